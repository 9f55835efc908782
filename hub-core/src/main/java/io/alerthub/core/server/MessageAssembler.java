package io.alerthub.core.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Turns a client's data frames into message parts: continuation rules (RFC 6455 section 5.4), permessage-deflate
 * (RFC 7692: a compressed message is inflated, the parts handed on as they inflate), and UTF-8 for text, checked
 * strictly across frame boundaries (an overlong or otherwise invalid sequence closes with 1007, RFC 6455 section
 * 8.1). One per connection, used by its reader thread only.
 */
final class MessageAssembler {

    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /** A part of a message: text or binary bytes, and whether it ends the message. */
    record Part(boolean text, String string, byte[] bytes, boolean last) {
    }

    private final int maxMessageBytes;
    /**
     * Made for a compressed message and, when the client compresses each message on its own, ended after it: zlib
     * holds about 40 KB of native memory per inflater once it has inflated, and clients send little (subscribe,
     * pong), so thousands of idle dashboards do not each keep one.
     */
    private Inflater inflater;
    private final boolean resetPerMessage;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** The opcode of the message under way, or {@link ClientFrame#CONTINUATION} between messages. */
    private int open = ClientFrame.CONTINUATION;
    private boolean compressed;
    private long messageBytes;
    /** The start of a UTF-8 sequence that the next frame finishes. */
    private byte[] pendingUtf8 = new byte[0];

    /**
     * @param maxMessageBytes the largest message, after inflation (a larger one closes with 1009)
     * @param resetPerMessage the client compresses each message on its own ({@code client_no_context_takeover})
     */
    MessageAssembler(int maxMessageBytes, boolean resetPerMessage) {
        this.maxMessageBytes = maxMessageBytes;
        this.resetPerMessage = resetPerMessage;
    }

    /**
     * The part a data frame carries.
     *
     * @throws ClientFrame.Refused for a continuation out of place (1002), a message too large (1009), a compressed
     *                             message that does not inflate (1007) or text that is not UTF-8 (1007)
     */
    Part accept(ClientFrame frame) throws ClientFrame.Refused {
        int type;
        if (frame.opcode() == ClientFrame.CONTINUATION) {
            if (open == ClientFrame.CONTINUATION) {
                throw new ClientFrame.Refused(1002, "a continuation frame with no message under way");
            }
            type = open;
        } else {
            if (open != ClientFrame.CONTINUATION) {
                throw new ClientFrame.Refused(1002, "a new message before the last one ended");
            }
            type = frame.opcode();
            compressed = frame.compressed();
            messageBytes = 0;
        }
        open = frame.fin() ? ClientFrame.CONTINUATION : type;
        byte[] bytes = compressed ? inflate(frame.payload(), frame.fin()) : frame.payload();
        messageBytes += bytes.length;
        if (messageBytes > maxMessageBytes) {
            throw new ClientFrame.Refused(1009, "a message of more than " + maxMessageBytes + " bytes");
        }
        if (type == ClientFrame.BINARY) {
            return new Part(false, null, bytes, frame.fin());
        }
        return new Part(true, decode(bytes, frame.fin()), null, frame.fin());
    }

    /** Strict UTF-8 of a reason or a whole payload (a close frame's reason). */
    static String utf8(byte[] bytes, int offset, int length) throws ClientFrame.Refused {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ClientFrame.Refused(1007, "text that is not UTF-8");
        }
    }

    void close() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    private String decode(byte[] bytes, boolean last) throws ClientFrame.Refused {
        ByteBuffer in;
        if (pendingUtf8.length == 0) {
            in = ByteBuffer.wrap(bytes);
        } else {
            in = ByteBuffer.allocate(pendingUtf8.length + bytes.length).put(pendingUtf8).put(bytes).flip();
        }
        CharBuffer out = CharBuffer.allocate(in.remaining());
        CoderResult r = utf8.decode(in, out, last);
        if (r.isError()) {
            throw new ClientFrame.Refused(1007, "text that is not UTF-8");
        }
        if (last) {
            if (utf8.flush(out).isError() || in.hasRemaining()) {
                throw new ClientFrame.Refused(1007, "text that is not UTF-8 (it ends inside a character)");
            }
            utf8.reset();
            pendingUtf8 = new byte[0];
        } else {
            pendingUtf8 = new byte[in.remaining()];
            in.get(pendingUtf8);
        }
        return out.flip().toString();
    }

    private byte[] inflate(byte[] payload, boolean last) throws ClientFrame.Refused {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, payload.length * 3));
        byte[] buf = new byte[8192];
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        try {
            inflater.setInput(payload);
            drain(out, buf);
            if (last) {
                inflater.setInput(DEFLATE_TAIL);
                drain(out, buf);
                if (resetPerMessage) {
                    close();
                } else if (inflater.finished()) {
                    // A client that ended its deflate stream (BFINAL) starts a new one with its next message.
                    inflater.reset();
                }
            }
        } catch (DataFormatException e) {
            throw new ClientFrame.Refused(1007, "a compressed message that does not inflate: " + e.getMessage());
        }
        return out.toByteArray();
    }

    private void drain(ByteArrayOutputStream out, byte[] buf) throws DataFormatException, ClientFrame.Refused {
        while (true) {
            int n = inflater.inflate(buf);
            if (n > 0) {
                out.write(buf, 0, n);
                if (messageBytes + out.size() > maxMessageBytes) {
                    throw new ClientFrame.Refused(1009, "a message of more than " + maxMessageBytes + " bytes");
                }
            } else if (inflater.needsInput() || inflater.finished() || inflater.needsDictionary()) {
                return;
            }
        }
    }
}
