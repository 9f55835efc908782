package io.alerthub.websocket;

import java.util.Arrays;
import java.util.Locale;
import java.util.zip.Deflater;

/**
 * permessage-deflate (RFC 7692) as the hub speaks it: each message compressed on its own, by the hub and by the
 * client ({@code server_no_context_takeover; client_no_context_takeover}), so that an event's compressed frame is the
 * same bytes for every client that agreed, and is built once per event and dialect, like its plain frame. The hub
 * compresses events; its own small messages (welcome, pings, answers) go out plain, as the RFC allows.
 */
final class PermessageDeflate {

    /** The hub's answer to an offer it takes. */
    static final String AGREED = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    private byte[] buffer = new byte[4096];

    /**
     * Whether the client's {@code Sec-WebSocket-Extensions} offers permessage-deflate on terms the hub can keep: any
     * offer, unless it asks the hub for a window under 15 bits (the JDK's deflater always uses 15).
     */
    static boolean offered(String extensions) {
        if (extensions == null) {
            return false;
        }
        for (String offer : extensions.split(",")) {
            String[] params = offer.split(";");
            if (!params[0].trim().equalsIgnoreCase("permessage-deflate")) {
                continue;
            }
            boolean acceptable = true;
            for (int i = 1; i < params.length; i++) {
                String p = params[i].trim().toLowerCase(Locale.ROOT);
                if (p.startsWith("server_max_window_bits") && !p.replace(" ", "").equals("server_max_window_bits=15")
                        && !p.equals("server_max_window_bits")) {
                    acceptable = false;
                }
            }
            if (acceptable) {
                return true;
            }
        }
        return false;
    }

    /**
     * A whole compressed text frame (FIN, RSV1, opcode 1) carrying {@code message}. Called by one thread at a time
     * (the websocket lane's).
     */
    byte[] textFrame(byte[] message) {
        deflater.reset();
        deflater.setInput(message);
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            length += deflater.deflate(buffer, length, buffer.length - length, Deflater.SYNC_FLUSH);
            if (length < buffer.length) {
                break;
            }
        }
        // A sync flush ends with an empty stored block, 00 00 FF FF, which the RFC has the sender leave out.
        if (length >= 4 && Arrays.equals(buffer, length - 4, length, TAIL, 0, 4)) {
            length -= 4;
        }
        return WsFrames.compressedText(buffer, length);
    }
}
