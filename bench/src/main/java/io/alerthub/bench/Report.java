package io.alerthub.bench;

import java.util.Locale;

/** Formatting shared by the console, the Markdown table and the chart. */
final class Report {

    private Report() {
    }

    /** Milliseconds with sensible precision: 0.42, 3.1, 27. */
    static String ms(double ms) {
        if (ms < 1) {
            return String.format(Locale.ROOT, "%.2f", ms);
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%.0f", ms);
    }

    /** A count with thousands separators: 97,500. */
    static String count(double n) {
        return String.format(Locale.ROOT, "%,.0f", n);
    }

    static String percent(double p) {
        return String.format(Locale.ROOT, "%.0f%%", p);
    }

    static String mb(double mb) {
        return String.format(Locale.ROOT, "%.0f MB", mb);
    }
}
