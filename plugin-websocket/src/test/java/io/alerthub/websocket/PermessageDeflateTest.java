package io.alerthub.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * permessage-deflate (RFC 7692) on both endpoints: agreed with a client that offers it when the hub has it on (the
 * default), events sent as compressed frames that are the same bytes for every client of a dialect, compressed client
 * messages read; and nothing of it with the setting off or without an offer.
 */
class PermessageDeflateTest {

    private static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    private static final String EVENT = """
            {"type":"sample","characteristic_id":7,"payload":{"sample":{"id":1,"value":10.25,"mean":10.25},
             "violations":[],"note":"%s"}}""".formatted("a typical SPC payload ".repeat(8));

    @TempDir
    Path dir;

    @Test
    void byDefaultEventsGoCompressedAndTheSameFrameToEveryClientThatAgreed() throws Exception {
        try (TestHub hub = TestHub.start(dir, "");
             RawWsClient a = RawWsClient.connect(hub.port(), "/ws?characteristic_ids=7", 0, OFFER);
             RawWsClient b = RawWsClient.connect(hub.port(), "/ws?characteristic_ids=7", 0, OFFER)) {
            assertEquals(PermessageDeflate.AGREED, a.answerHeader("Sec-WebSocket-Extensions"));
            skipTo(a, "subscribed");
            skipTo(b, "subscribed");
            long seq = hub.publishOne(EVENT);
            RawWsClient.Frame fa = a.readFrame();
            RawWsClient.Frame fb = b.readFrame();
            assertTrue(fa.compressed(), "RSV1 set on the event's frame");
            assertArrayEquals(fa.payload(), fb.payload(), "one compressed frame for every client");
            JsonNode event = TestHub.parse(inflate(fa.payload()));
            assertEquals(seq, event.get("seq").asLong());
            assertEquals(10.25, event.get("payload").get("sample").get("value").asDouble());
            assertTrue(fa.payload().length < inflate(fa.payload()).length() * 3 / 4, "it is smaller: "
                    + fa.payload().length + " bytes for " + inflate(fa.payload()).length());
        }
    }

    @Test
    void aClientsCompressedMessagesAreRead() throws Exception {
        try (TestHub hub = TestHub.start(dir, "permessage-deflate: true");
             RawWsClient c = RawWsClient.connect(hub.port(), "/ws", 0, OFFER)) {
            skipTo(c, "welcome");
            c.sendFrame(0x1, deflate("{\"type\":\"subscribe\",\"characteristic_ids\":[7]}"), true, true);
            RawWsClient.Frame answer = c.readFrame();
            assertFalse(answer.compressed(), "the hub's own small messages go plain");
            assertEquals("subscribed", TestHub.parse(answer.text()).get("type").asText());
            hub.publishOne(EVENT);
            assertEquals("sample", TestHub.parse(inflate(c.readFrame().payload())).get("type").asText());
        }
    }

    @Test
    void openSpcClientsGetTheirDialectCompressed() throws Exception {
        try (TestHub hub = TestHub.start(dir, "permessage-deflate: true, openspc: { enabled: true }");
             RawWsClient c = RawWsClient.connect(hub.port(), "/ws/samples", 0, OFFER)) {
            assertEquals(PermessageDeflate.AGREED, c.answerHeader("Sec-WebSocket-Extensions"));
            c.sendText("{\"type\":\"subscribe\",\"characteristic_ids\":[7]}");
            assertEquals("subscribed", TestHub.parse(c.readFrame().text()).get("type").asText());
            hub.publishOne(EVENT);
            RawWsClient.Frame f = c.readFrame();
            assertTrue(f.compressed());
            JsonNode message = TestHub.parse(inflate(f.payload()));
            assertEquals(10.25, message.get("sample").get("mean").asDouble());
        }
    }

    @ParameterizedTest(name = "setting {0}, offer \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            false | permessage-deflate
            true  |
            true  | permessage-deflate; server_max_window_bits=10
            true  | x-webkit-deflate-frame
            """)
    void withoutTheSettingOrAnOfferTheHubCanKeepEventsGoPlain(boolean setting, String offer) throws Exception {
        String header = offer == null ? "" : "Sec-WebSocket-Extensions: " + offer + "\r\n";
        try (TestHub hub = TestHub.start(dir, "permessage-deflate: " + setting);
             RawWsClient c = RawWsClient.connect(hub.port(), "/ws?characteristic_ids=7", 0, header)) {
            assertNull(c.answerHeader("Sec-WebSocket-Extensions"));
            skipTo(c, "subscribed");
            hub.publishOne(EVENT);
            RawWsClient.Frame f = c.readFrame();
            assertFalse(f.compressed());
            assertEquals("sample", TestHub.parse(f.text()).get("type").asText());
        }
    }

    private static void skipTo(RawWsClient c, String type) throws IOException {
        while (!TestHub.parse(c.readFrame().text()).get("type").asText().equals(type)) {
            // welcome before subscribed
        }
    }

    /** Inflates a permessage-deflate payload: the deflate stream, with the tail the sender left out put back. */
    static String inflate(byte[] payload) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        byte[] input = Arrays.copyOf(payload, payload.length + 4);
        input[payload.length + 2] = (byte) 0xFF;
        input[payload.length + 3] = (byte) 0xFF;
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = inflater.inflate(buf)) > 0) {
            out.write(buf, 0, n);
        }
        inflater.end();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] deflate(String text) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(text.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[text.length() + 64];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        d.end();
        return Arrays.copyOf(out, n - 4);
    }
}
