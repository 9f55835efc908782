package io.alerthub.mqtt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a value is placed into one level of an MQTT topic, so that it can never change the topic's shape.
 *
 * <p>Percent-encoding (RFC 3986 style, upper-case hex of the UTF-8 bytes) of exactly these characters:
 * {@code % / + # $ ~}, NUL and the other control characters (U+0001–U+001F, U+007F–U+009F), Unicode
 * non-characters, and unpaired surrogates (as their 3-byte WTF-8 form). Every other character is kept,
 * so the values the hub accepts ({@code violation}, {@code 42}, {@code line:7}) appear unchanged, and any
 * URL decoder gives the value back. An empty value is written {@code -}.
 *
 * <p>A value whose encoding would take more than {@value #MAX_VALUE_BYTES} bytes is shortened to its first
 * {@value #KEPT_BYTES} bytes, then {@code ~} and the first 16 hex digits of the SHA-256 of the whole value.
 * Such a value cannot be decoded, but it stays unique and the topic stays far inside MQTT's 65,535-byte
 * limit; {@code ~} is escaped everywhere else, so it only ever marks a shortened value.
 */
final class TopicEncoding {

    /** The most bytes one placeholder may add to a topic. */
    static final int MAX_VALUE_BYTES = 256;
    static final int KEPT_BYTES = 200;
    static final String EMPTY = "-";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private TopicEncoding() {
    }

    static String encode(String value) {
        if (value == null || value.isEmpty()) {
            return EMPTY;
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(i + 1));
                if (isNonCharacter(cp)) {
                    escape(out, Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                } else {
                    out.append(c).append(value.charAt(i + 1));
                }
                i += 2;
                continue;
            }
            if (Character.isSurrogate(c)) {
                // An unpaired surrogate has no UTF-8 form; its WTF-8 bytes keep it visible and distinct.
                escape(out, new byte[]{(byte) (0xE0 | (c >> 12)), (byte) (0x80 | ((c >> 6) & 0x3F)),
                        (byte) (0x80 | (c & 0x3F))});
            } else if (mustEscape(c)) {
                escape(out, String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            } else {
                out.append(c);
            }
            i++;
        }
        String encoded = out.toString();
        if (utf8Length(encoded) <= MAX_VALUE_BYTES) {
            return encoded;
        }
        return shorten(encoded, value);
    }

    /** The number of bytes {@code s} takes in UTF-8. */
    static int utf8Length(CharSequence s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static boolean mustEscape(char c) {
        return switch (c) {
            case '%', '/', '+', '#', '$', '~' -> true;
            default -> c < 0x20 || (c >= 0x7F && c <= 0x9F) || isNonCharacter(c);
        };
    }

    private static boolean isNonCharacter(int cp) {
        return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    }

    private static void escape(StringBuilder out, byte[] bytes) {
        for (byte b : bytes) {
            out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
    }

    private static String shorten(String encoded, String value) {
        StringBuilder kept = new StringBuilder(KEPT_BYTES + 20);
        int bytes = 0;
        int i = 0;
        while (i < encoded.length()) {
            int step = encoded.charAt(i) == '%' ? 3 : Character.charCount(encoded.codePointAt(i));
            String piece = encoded.substring(i, i + step);
            int size = utf8Length(piece);
            if (bytes + size > KEPT_BYTES) {
                break;
            }
            kept.append(piece);
            bytes += size;
            i += step;
        }
        return kept.append('~').append(sha256Prefix(value)).toString();
    }

    private static String sha256Prefix(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
