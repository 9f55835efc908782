package io.alerthub.core.server;

import java.util.Arrays;

import io.alerthub.core.event.Utf8;

import io.helidon.websocket.WsCloseException;

/**
 * Checks the bytes a WebSocket client sends, frame by frame, before Helidon reads them (RFC 6455 sections 5 and 7.4),
 * for what Helidon 4.5 lets through or answers wrongly: a reserved opcode (Helidon writes a raw {@code HTTP/1.1 500}
 * into the WebSocket stream), reserved bits, an unmasked frame, a fragmented or over-125-byte control frame, a
 * continuation out of place (all 1002), text that is not UTF-8 (1007; Helidon substitutes U+FFFD) and a close
 * frame with a code a client may not send, such as 999 (1002; Helidon echoes 1000) or a reason that is not UTF-8.
 *
 * <p>{@link #accept(byte[], int)} takes the next bytes and says how many of them may be passed on: all, or those
 * before the first byte that breaks a rule; then {@link #failure()} is the close to send. The failing frame is never
 * whole for Helidon, so it waits for more and is answered with the close.
 */
final class ClientFrames {

    private enum Part { HEAD, LENGTH, EXTENDED, MASK, PAYLOAD }

    private static final int CONTINUATION = 0;
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;

    private Part part = Part.HEAD;
    private int opcode;
    private boolean fin;
    private int extendedLeft;
    private long length;
    private final byte[] mask = new byte[4];
    private int maskRead;
    private long payloadRead;
    /** The data message in progress: TEXT, BINARY, or -1 for none. */
    private int message = -1;
    private final Utf8 text = new Utf8();
    private final Utf8 closeReason = new Utf8();
    private int closeCode;
    private WsCloseException failure;

    /** The close to send once {@link #accept} stopped short, else {@code null}. */
    WsCloseException failure() {
        return failure;
    }

    /** How many of {@code bytes[0..n)} may be passed on; fewer than {@code n} when one breaks a rule. */
    int accept(byte[] bytes, int n) {
        for (int i = 0; i < n; i++) {
            if (!next(bytes[i] & 0xFF)) {
                return i;
            }
        }
        return n;
    }

    private boolean next(int b) {
        switch (part) {
            case HEAD -> {
                fin = (b & 0x80) != 0;
                opcode = b & 0x0F;
                if ((b & 0x70) != 0) {
                    return fail(1002, "reserved bits set (no extension was negotiated)");
                }
                if (opcode >= 8) {
                    if (opcode > PONG) {
                        return fail(1002, "reserved opcode " + opcode);
                    }
                    if (!fin) {
                        return fail(1002, "fragmented control frame");
                    }
                } else if (opcode > BINARY) {
                    return fail(1002, "reserved opcode " + opcode);
                } else if (opcode == CONTINUATION && message < 0) {
                    return fail(1002, "continuation frame without a message to continue");
                } else if (opcode != CONTINUATION && message >= 0) {
                    return fail(1002, "new message before the last one was finished");
                }
                part = Part.LENGTH;
            }
            case LENGTH -> {
                if ((b & 0x80) == 0) {
                    return fail(1002, "client frames must be masked");
                }
                int len = b & 0x7F;
                if (opcode >= 8 && len > 125) {
                    return fail(1002, "control frame longer than 125 bytes");
                }
                if (opcode == CLOSE && len == 1) {
                    return fail(1002, "close frame with a one-byte payload");
                }
                length = len < 126 ? len : 0;
                extendedLeft = len == 126 ? 2 : len == 127 ? 8 : 0;
                part = extendedLeft > 0 ? Part.EXTENDED : Part.MASK;
                maskRead = 0;
            }
            case EXTENDED -> {
                length = (length << 8) | b;
                if (--extendedLeft == 0) {
                    part = Part.MASK;
                }
            }
            case MASK -> {
                mask[maskRead++] = (byte) b;
                if (maskRead == 4) {
                    startPayload();
                    if (length == 0) {
                        return endFrame();
                    }
                    part = Part.PAYLOAD;
                }
            }
            case PAYLOAD -> {
                int plain = (b ^ mask[(int) (payloadRead & 3)]) & 0xFF;
                payloadRead++;
                if (!payload(plain)) {
                    return false;
                }
                if (payloadRead == length) {
                    return endFrame();
                }
            }
            default -> throw new IllegalStateException(part.toString());
        }
        return true;
    }

    private void startPayload() {
        payloadRead = 0;
        if (opcode == TEXT || opcode == BINARY) {
            message = opcode;
            text.reset();
        }
        if (opcode == CLOSE) {
            closeCode = 0;
            closeReason.reset();
        }
    }

    private boolean payload(int b) {
        if (opcode == CLOSE) {
            if (payloadRead <= 2) {
                closeCode = (closeCode << 8) | b;
                if (payloadRead == 2 && !closeCodeAllowed(closeCode)) {
                    return fail(1002, "close code " + closeCode + " may not be sent by a client");
                }
                return true;
            }
            return closeReason.next(b) || fail(1007, "close reason is not UTF-8");
        }
        if (message == TEXT && opcode != PING && opcode != PONG) {
            return text.next(b) || fail(1007, "text message is not UTF-8");
        }
        return true;
    }

    private boolean endFrame() {
        part = Part.HEAD;
        if (opcode == CLOSE && !closeReason.complete()) {
            return fail(1007, "close reason is not UTF-8");
        }
        if (opcode < 8 && fin) {
            if (message == TEXT && !text.complete()) {
                return fail(1007, "text message ends inside a UTF-8 sequence");
            }
            message = -1;
        }
        return true;
    }

    /** RFC 6455 7.4: what a close frame may carry (1005, 1006 and 1015 are never sent). */
    static boolean closeCodeAllowed(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    private boolean fail(int code, String reason) {
        failure = new WsCloseException(reason, code);
        return false;
    }

    @Override
    public String toString() {
        return "ClientFrames[" + part + ", opcode " + opcode + ", " + Arrays.toString(mask) + "]";
    }
}
