package io.alerthub.email;

import java.util.regex.Pattern;

/**
 * Makes text safe to place in a mail header: a value from a producer or from the configuration must never be
 * able to end the header it is in and start another one ({@code Bcc:}, a second {@code Subject:}).
 */
final class HeaderText {

    /** CR, LF and every other control character, plus the Unicode line and paragraph separators and NEL. */
    private static final Pattern BREAKS = Pattern.compile("[\\p{Cntrl}\\u0085\\u2028\\u2029]+");
    private static final Pattern SPACES = Pattern.compile("\\s{2,}");
    /** Long enough for any sensible subject, short enough that no client truncates it oddly. */
    static final int MAX_LENGTH = 200;

    private HeaderText() {
    }

    /** The text on one line: line breaks and control characters become a space, runs of spaces shrink to one. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = SPACES.matcher(BREAKS.matcher(text).replaceAll(" ")).replaceAll(" ").trim();
        if (oneLine.length() > MAX_LENGTH) {
            int cut = MAX_LENGTH - 1;
            if (Character.isHighSurrogate(oneLine.charAt(cut - 1))) {
                cut--;
            }
            return oneLine.substring(0, cut) + "…";
        }
        return oneLine;
    }
}
