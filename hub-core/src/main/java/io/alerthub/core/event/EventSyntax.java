package io.alerthub.core.event;

import io.alerthub.spi.SubscriptionPattern;

/**
 * The event contract's text rules as plain loops: the same answers as the patterns of {@link SubscriptionPattern}
 * ({@code TYPE}, {@code TOPIC}, {@code CHARACTERISTIC_ID}), without a regex match per field of every event (the
 * type pattern's group allocates on every match; ingest checks several fields per event).
 */
final class EventSyntax {

    private EventSyntax() {
    }

    /** {@code [a-z0-9_]+(\.[a-z0-9_]+)*}. */
    static boolean isType(String s) {
        int n = s.length();
        if (n == 0 || s.charAt(0) == '.' || s.charAt(n - 1) == '.') {
            return false;
        }
        char previous = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (previous == '.') {
                    return false;
                }
            } else if (!isLowerWordChar(c)) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** {@code [a-z0-9_]+:[A-Za-z0-9_.-]{1,64}}. */
    static boolean isTopic(String s) {
        int colon = s.indexOf(':');
        int valueLength = s.length() - colon - 1;
        if (colon < 1 || valueLength < 1 || valueLength > 64) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            if (!isLowerWordChar(s.charAt(i))) {
                return false;
            }
        }
        for (int i = colon + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isIdChar(c) && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** {@code [A-Za-z0-9_-]{1,64}}. */
    static boolean isCharacteristicId(String s) {
        int n = s.length();
        if (n < 1 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!isIdChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isIdChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
