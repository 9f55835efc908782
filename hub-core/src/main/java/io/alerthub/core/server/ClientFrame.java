package io.alerthub.core.server;

import io.helidon.common.buffers.DataReader;

/**
 * One frame from a WebSocket client (RFC 6455 section 5.2), read and checked: every rule a server must enforce is
 * checked here, and a frame that breaks one is refused with the close code the RFC names (1002 protocol error, 1009
 * too big). Payloads are unmasked in place.
 *
 * @param fin        the last frame of its message
 * @param compressed RSV1: the message is compressed (permessage-deflate, RFC 7692); only on a message's first frame
 * @param opcode     the frame's opcode
 * @param payload    the unmasked payload
 */
record ClientFrame(boolean fin, boolean compressed, int opcode, byte[] payload) {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** A frame that breaks a rule: the connection is closed with {@link #code()}. */
    static final class Refused extends Exception {
        private final int code;

        Refused(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    boolean control() {
        return opcode >= CLOSE;
    }

    /**
     * Reads the next frame.
     *
     * @param maxLength      the largest payload accepted (larger: 1009)
     * @param rsv1Allowed    whether permessage-deflate was negotiated (otherwise RSV1 is a protocol error)
     * @throws Refused       for a frame that breaks RFC 6455 (or RFC 7692)
     * @throws DataReader.InsufficientDataAvailableException when the client is gone
     */
    static ClientFrame read(DataReader reader, int maxLength, boolean rsv1Allowed) throws Refused {
        int b0 = reader.read() & 0xFF;
        int b1 = reader.read() & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        boolean rsv1 = (b0 & 0x40) != 0;
        int opcode = b0 & 0x0F;
        if ((b0 & 0x30) != 0 || (rsv1 && !rsv1Allowed)) {
            throw new Refused(1002, "reserved bits set without an extension that defines them");
        }
        if (opcode > BINARY && opcode < CLOSE || opcode > PONG) {
            throw new Refused(1002, "reserved opcode " + opcode);
        }
        if ((b1 & 0x80) == 0) {
            throw new Refused(1002, "a client's frames must be masked");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = ((reader.read() & 0xFF) << 8) | (reader.read() & 0xFF);
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (reader.read() & 0xFF);
            }
            if (length < 0) {
                throw new Refused(1002, "a payload length with its highest bit set");
            }
        }
        boolean control = opcode >= CLOSE;
        if (control && (!fin || length > 125)) {
            throw new Refused(1002, "a control frame must be one frame of at most 125 bytes");
        }
        if (rsv1 && (control || opcode == CONTINUATION)) {
            throw new Refused(1002, "only a message's first data frame may say it is compressed");
        }
        if (length > maxLength) {
            throw new Refused(1009, "a frame of " + length + " bytes; at most " + maxLength);
        }
        byte[] mask = reader.readBytes(4);
        byte[] payload = length == 0 ? new byte[0] : reader.readBytes((int) length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return new ClientFrame(fin, rsv1, opcode, payload);
    }
}
