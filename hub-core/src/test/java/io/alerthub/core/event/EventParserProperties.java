package io.alerthub.core.event;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import io.alerthub.spi.Event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event parser against generated input (jqwik): random JSON trees as payloads, numbers at the edges, strings of
 * any code point, nesting around the limit, bodies with bytes flipped, cut or made invalid UTF-8. Every body is either
 * refused with an {@link InvalidEventException} (a clean 400; an invalid event names its field) or accepted, and an
 * accepted payload comes out byte for byte as it went in. Tries per property: {@code jqwik.tries.default} (200 in the
 * default run; {@code ./alerthub test --fuzz [TRIES]} for more).
 */
@Tag("fuzz")
class EventParserProperties {

    private static final JsonFactory JSON = new JsonFactory();
    private final EventParser parser = new EventParser(new EventLimits(65_536, 32, 1000, 1 << 20),
                                                       Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"),
                                                                   ZoneOffset.UTC));

    /** A JSON value as compact text, written the way the parser writes it (so round trips compare bytes). */
    private sealed interface Tree permits Leaf, Obj, Arr {
    }

    private record Leaf(String kind, String text) implements Tree {
    }

    private record Obj(List<String> keys, List<Tree> values) implements Tree {
    }

    private record Arr(List<Tree> items) implements Tree {
    }

    @Provide
    Arbitrary<Tree> trees() {
        return tree(4);
    }

    private Arbitrary<Tree> tree(int depth) {
        Arbitrary<Tree> leaf = Arbitraries.oneOf(
                numbers().map(n -> (Tree) new Leaf("number", n)),
                strings().map(s -> (Tree) new Leaf("string", s)),
                Arbitraries.of("true", "false", "null").map(v -> (Tree) new Leaf(v, v)));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Tree> obj = Combinators.combine(strings().list().uniqueElements().ofMaxSize(4),
                                                  tree(depth - 1).list().ofSize(4))
                .as((keys, values) -> (Tree) new Obj(keys, values.subList(0, keys.size())));
        Arbitrary<Tree> arr = tree(depth - 1).list().ofMaxSize(4).map(items -> (Tree) new Arr(items));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, leaf), net.jqwik.api.Tuple.of(2, obj),
                                       net.jqwik.api.Tuple.of(1, arr));
    }

    /** Numbers at the edges: the extremes of long and double, exponents, negative zero, huge exact integers. */
    private static Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "-0", "1", "-1", "9223372036854775807", "-9223372036854775808",
                               "9223372036854775808", "123456789012345678901234567890", "1.7976931348623157e308",
                               "4.9e-324", "1e-400", "0.1", "-0.0", "1E+2", "2.5e-3", "1e308", "10.50"),
                Arbitraries.longs().map(n -> Long.toString(n)),
                Arbitraries.doubles().filter(Double::isFinite).map(d -> Double.toString(d)));
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.strings().all().ofMaxLength(12)
                .filter(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
    }

    private static String json(Tree t) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JSON.createGenerator(out)) {
                write(g, t);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(JsonGenerator g, Tree t) throws IOException {
        switch (t) {
            case Leaf l when l.kind().equals("number") -> g.writeNumber(l.text());
            case Leaf l when l.kind().equals("string") -> g.writeString(l.text());
            case Leaf l when l.kind().equals("null") -> g.writeNull();
            case Leaf l -> g.writeBoolean(Boolean.parseBoolean(l.text()));
            case Obj o -> {
                g.writeStartObject();
                for (int i = 0; i < o.keys().size(); i++) {
                    g.writeFieldName(o.keys().get(i));
                    write(g, o.values().get(i));
                }
                g.writeEndObject();
            }
            case Arr a -> {
                g.writeStartArray();
                for (Tree item : a.items()) {
                    write(g, item);
                }
                g.writeEndArray();
            }
        }
    }

    private static boolean beyondDouble(Tree t) {
        return switch (t) {
            case Leaf l -> l.kind().equals("number") && (l.text().contains(".") || l.text().contains("e")
                    || l.text().contains("E")) && Double.isInfinite(Double.parseDouble(l.text()));
            case Obj o -> o.values().stream().anyMatch(EventParserProperties::beyondDouble);
            case Arr a -> a.items().stream().anyMatch(EventParserProperties::beyondDouble);
        };
    }

    @Property
    void anAcceptedPayloadRoundTripsByteForByte(@ForAll("trees") Tree tree) {
        Obj payload = tree instanceof Obj o ? o : new Obj(List.of("v"), List.of(tree));
        String text = json(payload);
        String body = "{\"type\":\"sample\",\"characteristic_id\":7,\"payload\":" + text + "}";
        try {
            List<EventDraft> drafts = parse(body.getBytes(StandardCharsets.UTF_8));
            Event e = drafts.getFirst().withSeq(1);
            String stored = new String(e.json(), StandardCharsets.UTF_8);
            assertTrue(stored.contains("\"payload\":" + text), () -> "payload changed:\n" + text + "\n" + stored);
        } catch (InvalidEventException refused) {
            assertTrue(beyondDouble(payload), () -> "a valid payload was refused: " + refused.getMessage() + "\n" + text);
            assertEquals("payload", refused.field());
        }
    }

    @Property
    void anyBytesAreAcceptedOrRefusedCleanly(@ForAll("trees") Tree tree, @ForAll @IntRange(min = 0, max = 400) int at,
                                             @ForAll("damage") byte[] damage, @ForAll boolean cut) {
        byte[] body = ("{\"type\":\"sample\",\"payload\":{\"v\":" + json(tree) + "}}").getBytes(StandardCharsets.UTF_8);
        int i = Math.min(at, body.length);
        byte[] bad = new byte[(cut ? i : body.length) + damage.length];
        System.arraycopy(body, 0, bad, 0, i);
        System.arraycopy(damage, 0, bad, i, damage.length);
        if (!cut) {
            System.arraycopy(body, i, bad, i + damage.length, body.length - i);
        }
        try {
            List<EventDraft> drafts = parse(bad);
            assertNotNull(drafts.getFirst().withSeq(1).json());
        } catch (InvalidEventException refused) {
            assertNotNull(refused.kind());
            if (refused.kind() == InvalidEventException.Kind.INVALID_EVENT
                    && !refused.getMessage().startsWith("the body must be a JSON object")) {
                // a refusal of an event names its field; only a body that is no object at all has none to name
                assertNotNull(refused.field(), refused.getMessage());
            }
        }
    }

    @Provide
    Arbitrary<byte[]> damage() {
        return Arbitraries.oneOf(
                Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0x80},
                               new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90},
                               new byte[] {0}, "\"".getBytes(), "{".getBytes(), "]".getBytes(), "\\u".getBytes(),
                               ",\"a\":1".getBytes()),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(6));
    }

    @Property
    void nestingIsAcceptedUpToTheLimitAndRefusedPastItNamingThePayload(@ForAll @IntRange(min = 1, max = 80) int depth,
                                                                      @ForAll boolean arrays) {
        StringBuilder b = new StringBuilder();
        // depth containers: the payload object, then objects or arrays inside it
        for (int d = 1; d <= depth; d++) {
            b.append(arrays && d > 1 ? "[" : "{\"k\":");
        }
        b.append("1");
        for (int d = depth; d >= 1; d--) {
            b.append(arrays && d > 1 ? "]" : "}");
        }
        String payload = b.toString();
        String body = "{\"type\":\"sample\",\"payload\":" + payload + "}";
        try {
            parse(body.getBytes(StandardCharsets.UTF_8));
            assertTrue(depth <= 32, "depth " + depth + " accepted");
        } catch (InvalidEventException refused) {
            assertTrue(depth > 32, () -> "depth " + depth + " refused: " + refused.getMessage());
            assertTrue("payload".equals(refused.field()) || refused.kind() == InvalidEventException.Kind.INVALID_JSON,
                       refused.getMessage());
        }
    }

    private List<EventDraft> parse(byte[] body) {
        return parser.parse(new ByteArrayInputStream(Arrays.copyOf(body, body.length)));
    }
}
