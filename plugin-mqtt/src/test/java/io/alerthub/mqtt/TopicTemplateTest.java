package io.alerthub.mqtt;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicTemplateTest {

    private static final TopicTemplate ALL = TopicTemplate.parse("plant/{type}/{characteristic_id}/{severity}/{topic}");

    @Test
    void rendersEveryPlaceholder() {
        String topic = ALL.render(new TopicTemplate.Values("violation", "42", "CRITICAL", "characteristic:42"));
        assertEquals("plant/violation/42/CRITICAL/characteristic:42", topic);
    }

    @Test
    void rendersTheDefaultTemplates() {
        assertEquals("alerthub/characteristic/7/control_limits",
                     TopicTemplate.parse("alerthub/characteristic/{characteristic_id}/{type}")
                             .render(new TopicTemplate.Values("control_limits", "7", "INFO", "characteristic:7")));
        assertEquals("alerthub/event/alert.created",
                     TopicTemplate.parse("alerthub/event/{type}")
                             .render(new TopicTemplate.Values("alert.created", null, "WARNING", "line:7")));
    }

    /** One row per value that would change the topic's shape if it went in raw. */
    static Stream<Arguments> injections() {
        return Stream.of(
                Arguments.of("a/b", "a%2Fb"),
                Arguments.of("+", "%2B"),
                Arguments.of("#", "%23"),
                Arguments.of("a/+/#", "a%2F%2B%2F%23"),
                Arguments.of("nul\0here", "nul%00here"),
                Arguments.of("new\nline", "new%0Aline"),
                Arguments.of("tab\t", "tab%09"),
                Arguments.of("del\u007f", "del%7F"),
                Arguments.of("c1\u0085", "c1%C2%85"),
                Arguments.of("$SYS", "%24SYS"),
                Arguments.of("100%", "100%25"),
                Arguments.of("%2F", "%252F"),
                Arguments.of("~", "%7E"),
                Arguments.of("non\uFFFFchar", "non%EF%BF%BFchar"),
                Arguments.of("lone\uD800", "lone%ED%A0%80"),
                Arguments.of("", "-"),
                Arguments.of("line:7", "line:7"),
                Arguments.of("A-7_b.c", "A-7_b.c"),
                Arguments.of("Prüfstand é", "Prüfstand é"),
                Arguments.of("emoji \uD83D\uDE00", "emoji \uD83D\uDE00"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("injections")
    void encodesWhatWouldInjectAndKeepsTheRest(String value, String expected) {
        String topic = ALL.render(new TopicTemplate.Values(value, value, value, value));
        assertEquals("plant/" + expected + "/" + expected + "/" + expected + "/" + expected, topic);
        assertEquals(5, topic.split("/", -1).length, "levels stay as the template made them");
        MqttTopicValidator.validate(topic, false, true);
        assertTrue(topic.indexOf('\0') < 0);
        if (!value.isEmpty() && !value.contains("\uD800")) {
            assertEquals(value, URLDecoder.decode(expected, StandardCharsets.UTF_8), "reversible");
        }
    }

    @Test
    void shortensAValueThatWouldBeTooLongAndKeepsItUnique() {
        String longValue = "x".repeat(70_000);
        String other = "x".repeat(69_999) + "y";
        String a = TopicEncoding.encode(longValue);
        String b = TopicEncoding.encode(other);
        assertTrue(TopicEncoding.utf8Length(a) <= TopicEncoding.MAX_VALUE_BYTES, a);
        assertTrue(a.startsWith("x".repeat(TopicEncoding.KEPT_BYTES) + "~"), a);
        assertTrue(!a.equals(b), "different values stay different");
        String escaped = TopicEncoding.encode("/".repeat(100));
        assertTrue(escaped.matches("(%2F){66}~[0-9a-f]{16}"), "never cuts an escape in half: " + escaped);
        String topic = ALL.render(new TopicTemplate.Values(longValue, longValue, longValue, longValue));
        assertTrue(TopicEncoding.utf8Length(topic) < TopicTemplate.MAX_TOPIC_BYTES);
        MqttTopicValidator.validate(topic, false, true);
    }

    @Test
    void theLongestTemplateWithTheLongestValuesFitsMqttsLimit() {
        String literal = "t".repeat(TopicTemplate.MAX_TEMPLATE_BYTES - TopicTemplate.MAX_PLACEHOLDERS * 6);
        TopicTemplate t = TopicTemplate.parse(literal + "{type}".repeat(TopicTemplate.MAX_PLACEHOLDERS));
        String huge = "\u00e9".repeat(100_000);
        String topic = t.render(new TopicTemplate.Values(huge, null, null, null));
        assertTrue(TopicEncoding.utf8Length(topic) <= TopicTemplate.MAX_TOPIC_BYTES);
    }

    /** One row per bad template, with the words the error must contain. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "alerthub/{typ}                | unknown placeholder {typ}",
            "alerthub/{type                | never closed",
            "alerthub/type}                | without a '{'",
            "alerthub/+/{type}             | wildcard '+'",
            "alerthub/#                    | wildcard '#'",
            "$SYS/{type}                   | must not start with $",
            "alerthub/{characteristic-id}  | unknown placeholder {characteristic-id}",
    })
    void refusesBadTemplates(String template, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopicTemplate.parse(template));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void refusesControlCharactersEmptyTemplatesAndTooManyPlaceholders() {
        assertThrows(IllegalArgumentException.class, () -> TopicTemplate.parse("a\0b"));
        assertThrows(IllegalArgumentException.class, () -> TopicTemplate.parse("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> TopicTemplate.parse(""));
        assertThrows(IllegalArgumentException.class,
                     () -> TopicTemplate.parse("{type}".repeat(TopicTemplate.MAX_PLACEHOLDERS + 1)));
        assertThrows(IllegalArgumentException.class,
                     () -> TopicTemplate.parse("a".repeat(TopicTemplate.MAX_TEMPLATE_BYTES + 1)));
    }
}
