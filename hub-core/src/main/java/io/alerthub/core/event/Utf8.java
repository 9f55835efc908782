package io.alerthub.core.event;

/**
 * A streaming check of well-formed UTF-8 (RFC 3629): no overlong forms ({@code C0 AF}), no surrogates, nothing past
 * U+10FFFF. Fed one byte at a time; used for request bodies and for WebSocket text.
 */
public final class Utf8 {

    private int need;
    private int lower = 0x80;
    private int upper = 0xBF;

    public void reset() {
        need = 0;
        lower = 0x80;
        upper = 0xBF;
    }

    /** Takes one byte; false when it cannot be part of well-formed UTF-8 here. */
    public boolean next(int b) {
        if (need == 0) {
            if (b < 0x80) {
                return true;
            }
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                lower = b == 0xE0 ? 0xA0 : 0x80;
                upper = b == 0xED ? 0x9F : 0xBF;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                lower = b == 0xF0 ? 0x90 : 0x80;
                upper = b == 0xF4 ? 0x8F : 0xBF;
            } else {
                return false;
            }
            return true;
        }
        if (b < lower || b > upper) {
            return false;
        }
        lower = 0x80;
        upper = 0xBF;
        need--;
        return true;
    }

    public boolean complete() {
        return need == 0;
    }
}
