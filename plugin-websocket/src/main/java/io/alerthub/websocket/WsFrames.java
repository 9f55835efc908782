package io.alerthub.websocket;

import java.nio.charset.StandardCharsets;

/**
 * Whole WebSocket frames (RFC 6455 section 5.2) as the server sends them: unmasked, so the bytes are the same
 * for every recipient. An event is framed once and the same array is written to every socket.
 */
final class WsFrames {

    private static final int FIN_TEXT = 0x81;
    /** FIN, RSV1 (compressed, RFC 7692) and the text opcode. */
    private static final int FIN_COMPRESSED_TEXT = 0xC1;
    private static final int FIN_PING = 0x89;
    private static final int FIN_PONG = 0x8A;
    private static final byte[] REPLAY_SUFFIX = ",\"replay\":true}".getBytes(StandardCharsets.US_ASCII);

    /** An empty protocol-level ping; browsers answer it with a pong on their own. */
    static final byte[] PING = {(byte) FIN_PING, 0};

    private WsFrames() {
    }

    /** A text frame carrying {@code payload} (UTF-8 JSON). */
    static byte[] text(byte[] payload) {
        return frame(FIN_TEXT, payload, 0, payload.length, null);
    }

    /** A compressed text frame carrying the first {@code length} bytes of {@code deflated} (permessage-deflate). */
    static byte[] compressedText(byte[] deflated, int length) {
        return frame(FIN_COMPRESSED_TEXT, deflated, 0, length, null);
    }

    /** A text frame carrying an event's wire form with {@code "replay":true} added as its last field. */
    static byte[] replayText(byte[] eventJson) {
        // The wire form is one JSON object that always has fields: drop its closing brace and append ours.
        return frame(FIN_TEXT, eventJson, 0, eventJson.length - 1, REPLAY_SUFFIX);
    }

    /** A pong answering a client's protocol ping with its application data (at most 125 bytes). */
    static byte[] pong(byte[] data) {
        return frame(FIN_PONG, data, 0, data.length, null);
    }

    private static byte[] frame(int first, byte[] payload, int offset, int length, byte[] suffix) {
        int payloadLength = length + (suffix == null ? 0 : suffix.length);
        int header = payloadLength < 126 ? 2 : payloadLength < 65_536 ? 4 : 10;
        byte[] frame = new byte[header + payloadLength];
        frame[0] = (byte) first;
        if (header == 2) {
            frame[1] = (byte) payloadLength;
        } else if (header == 4) {
            frame[1] = 126;
            frame[2] = (byte) (payloadLength >>> 8);
            frame[3] = (byte) payloadLength;
        } else {
            frame[1] = 127;
            long len = payloadLength;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (len >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, offset, frame, header, length);
        if (suffix != null) {
            System.arraycopy(suffix, 0, frame, header + length, suffix.length);
        }
        return frame;
    }
}
