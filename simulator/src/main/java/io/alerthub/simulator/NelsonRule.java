package io.alerthub.simulator;

/**
 * The eight Nelson rules for a Shewhart chart, numbered as Nelson (1984), Minitab and OpenSPC number them. Rules
 * 1, 5, 6 and 2 (with nine points instead of eight) are the Western Electric zone rules.
 *
 * <p>A rule looks at the newest {@link #span()} points, each given as its distance from the center line in
 * sigmas of the plotted statistic ({@code z}).
 */
enum NelsonRule {

    BEYOND_3_SIGMA(1, "One point beyond 3 sigma", 1),
    NINE_ON_ONE_SIDE(2, "Nine points in a row on one side of the center line", 9),
    SIX_TRENDING(3, "Six points in a row steadily increasing or decreasing", 6),
    FOURTEEN_ALTERNATING(4, "Fourteen points in a row alternating up and down", 14),
    TWO_OF_THREE_BEYOND_2_SIGMA(5, "Two out of three points beyond 2 sigma on the same side", 3),
    FOUR_OF_FIVE_BEYOND_1_SIGMA(6, "Four out of five points beyond 1 sigma on the same side", 5),
    FIFTEEN_WITHIN_1_SIGMA(7, "Fifteen points in a row within 1 sigma", 15),
    EIGHT_BEYOND_1_SIGMA(8, "Eight points in a row beyond 1 sigma on either side", 8);

    /** The longest span of any rule: how many points the engine must remember. */
    static final int MAX_SPAN = 15;

    private final int id;
    private final String title;
    private final int span;

    NelsonRule(int id, String title, int span) {
        this.id = id;
        this.title = title;
        this.span = span;
    }

    /** The rule's number, 1 to 8. */
    int id() {
        return id;
    }

    /** The rule's name as it goes out in {@code rule_name}. */
    String title() {
        return title;
    }

    /** How many of the newest points the rule looks at. */
    int span() {
        return span;
    }

    /** A point beyond the control limits is an outlier in itself; every other rule is a pattern warning. */
    String severity() {
        return this == BEYOND_3_SIGMA ? "CRITICAL" : "WARNING";
    }

    static NelsonRule byId(int id) {
        for (NelsonRule r : values()) {
            if (r.id == id) {
                return r;
            }
        }
        throw new IllegalArgumentException("there is no Nelson rule " + id + " (rules are 1 to 8)");
    }

    /**
     * Whether the pattern holds on the {@link #span()} points that end at {@code end} (inclusive); {@code false}
     * when there are fewer points than that.
     *
     * @param z   each point's distance from the center line in sigmas, oldest first
     * @param end the index of the newest point to look at
     */
    boolean holds(double[] z, int end) {
        int start = end - span + 1;
        if (start < 0 || end >= z.length) {
            return false;
        }
        return switch (this) {
            case BEYOND_3_SIGMA -> Math.abs(z[end]) > 3;
            case NINE_ON_ONE_SIDE -> all(z, start, end, v -> v > 0) || all(z, start, end, v -> v < 0);
            case SIX_TRENDING -> monotonic(z, start, end, 1) || monotonic(z, start, end, -1);
            case FOURTEEN_ALTERNATING -> alternating(z, start, end);
            case TWO_OF_THREE_BEYOND_2_SIGMA -> count(z, start, end, v -> v > 2) >= 2
                    || count(z, start, end, v -> v < -2) >= 2;
            case FOUR_OF_FIVE_BEYOND_1_SIGMA -> count(z, start, end, v -> v > 1) >= 4
                    || count(z, start, end, v -> v < -1) >= 4;
            case FIFTEEN_WITHIN_1_SIGMA -> all(z, start, end, v -> Math.abs(v) < 1);
            case EIGHT_BEYOND_1_SIGMA -> all(z, start, end, v -> Math.abs(v) > 1);
        };
    }

    private static boolean all(double[] z, int start, int end, java.util.function.DoublePredicate p) {
        return count(z, start, end, p) == end - start + 1;
    }

    private static int count(double[] z, int start, int end, java.util.function.DoublePredicate p) {
        int n = 0;
        for (int i = start; i <= end; i++) {
            if (p.test(z[i])) {
                n++;
            }
        }
        return n;
    }

    private static boolean monotonic(double[] z, int start, int end, int direction) {
        for (int i = start + 1; i <= end; i++) {
            if (Math.signum(z[i] - z[i - 1]) != direction) {
                return false;
            }
        }
        return true;
    }

    private static boolean alternating(double[] z, int start, int end) {
        double previous = 0;
        for (int i = start + 1; i <= end; i++) {
            double step = Math.signum(z[i] - z[i - 1]);
            if (step == 0 || step == previous) {
                return false;
            }
            previous = step;
        }
        return true;
    }
}
