package io.alerthub.core.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.alerthub.spi.SubscriptionPattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written checks answer exactly as the contract's patterns, on edge cases and on random text. */
class EventSyntaxTest {

    private static final String ALPHABET = "az09_.:-AZ/ é";

    @Test
    void typeIsThePattern() {
        same(SubscriptionPattern.TYPE, EventSyntax::isType, "a", "a.b", "a..b", ".a", "a.", "a_b.c_9", "A", "", ".",
             "a.b.c.", "a:b");
    }

    @Test
    void topicIsThePattern() {
        same(SubscriptionPattern.TOPIC, EventSyntax::isTopic, "line:7", "line:", ":7", "a:b:c", "Line:7",
             "a_b:A-z.9_", "a:" + "x".repeat(64), "a:" + "x".repeat(65), "a:b/c", "a", "");
    }

    @Test
    void characteristicIdIsThePattern() {
        same(SubscriptionPattern.CHARACTERISTIC_ID, EventSyntax::isCharacteristicId, "7", "A-7_b", "a.b", "",
             "x".repeat(64), "x".repeat(65), "a b", "é");
    }

    private static void same(Pattern pattern, Predicate<String> check, String... cases) {
        List<String> all = new ArrayList<>(List.of(cases));
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(i % 100 == 0 ? 80 : 9);
            for (int k = 0; k < length; k++) {
                b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            all.add(b.toString());
        }
        for (String s : all) {
            assertEquals(pattern.matcher(s).matches(), check.test(s), () -> "for '" + s + "'");
        }
    }
}
