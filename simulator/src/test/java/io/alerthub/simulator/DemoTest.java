package io.alerthub.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.alerthub.core.config.HubConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo end to end: a real hub, the simulator posting to its HTTP API, the events read back from it. */
class DemoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PUBLISH_TOKEN = "publish-token-0123456789";
    private static final String READ_TOKEN = "subscribe-token-0123456789";

    @TempDir
    Path dataDir;

    private HubConfig config(String extra) {
        return HubConfig.fromYaml("""
                server: { port: 0 }
                hub: { data-dir: "%s" }
                %s
                """.formatted(dataDir, extra), java.util.Map.of());
    }

    private static DemoOptions options(String... args) {
        return DemoOptions.parse(args, () -> 1);
    }

    private static List<JsonNode> events(Demo demo, String query, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + demo.hub().port() + "/api/v1/events?limit=1000&" + query));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(response.body()).get("events").forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void samplesLimitsAndViolationsReachTheHubAndTheDashboardUrlIsPrinted() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Demo demo = Demo.start(config(""), options("--rate", "25", "--seed", "3"),
                               new PrintStream(printed, true, StandardCharsets.UTF_8));
        int port = demo.hub().port();
        try {
            String out = printed.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("\ndashboard: http://127.0.0.1:" + port + "/?characteristic_ids=1,2,3\n"), out);
            assertTrue(out.contains("Torque"), out);
            assertEquals(URI.create("http://127.0.0.1:" + port + "/?characteristic_ids=1,2,3"), demo.dashboard());

            await().atMost(Duration.ofSeconds(30)).until(
                    () -> events(demo, "type=violation", null).stream()
                            .map(e -> e.get("characteristic_id").asInt()).collect(Collectors.toSet())
                            .containsAll(Set.of(2, 3)));
            List<JsonNode> limits = events(demo, "type=control_limits", null);
            assertTrue(limits.size() >= 3, limits.toString());
            JsonNode torque = events(demo, "topic=characteristic:3&type=sample", null).getLast();
            assertEquals(List.of("characteristic:3", "line:1"),
                         List.of(torque.get("topics").get(0).asText(), torque.get("topics").get(1).asText()));
            assertEquals("Torque", torque.at("/payload/characteristic_name").asText());
        } finally {
            demo.close();
        }
        assertThrows(ConnectException.class, () -> HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events")).build(),
                HttpResponse.BodyHandlers.ofString()), "the hub is stopped with the demo");
    }

    @Test
    void aSecondRunOnTheSameDataIsNotMistakenForDuplicates() {
        long firstRunNewest;
        try (Demo demo = Demo.start(config(""), options("--rate", "25", "--seed", "1"), nowhere())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> events(demo, "type=sample", null).size() >= 30);
            firstRunNewest = demo.hub().log().headSeq();
        }
        try (Demo demo = Demo.start(config(""), options("--rate", "25", "--seed", "1"), nowhere())) {
            await().atMost(Duration.ofSeconds(20)).until(
                    () -> events(demo, "type=sample&since=" + firstRunNewest, null).size() >= 30);
            List<JsonNode> samples = new ArrayList<>();
            long since = 0;
            List<JsonNode> page;
            do {
                page = events(demo, "type=sample&since=" + since, null);
                samples.addAll(page);
                since = page.isEmpty() ? since : page.getLast().get("seq").asLong();
            } while (page.size() == 1000);
            Set<Long> sampleIds = samples.stream().map(e -> e.at("/payload/sample/id").asLong())
                    .collect(Collectors.toSet());
            assertEquals(samples.size(), sampleIds.size(), "every sample of both runs has an id of its own");
        }
    }

    @Test
    void onASecuredHubTheDemoPublishesWithAConfiguredPublishToken() {
        String security = """
                security:
                  tokens:
                    - { token: "%s", roles: [publish] }
                    - { token: "%s", roles: [subscribe] }
                """.formatted(PUBLISH_TOKEN, READ_TOKEN);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Demo demo = Demo.start(config(security), options("--rate", "25", "--characteristics", "1"),
                                    new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> events(demo, "type=sample", READ_TOKEN).size() >= 5);
            String out = printed.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("the dashboard asks for one with the subscribe role"), out);
            assertTrue(!out.contains(PUBLISH_TOKEN), "the token is never printed");
        }
    }

    @Test
    void withoutAPublishTokenTheSimulatorStopsAndSaysWhy() {
        String security = """
                security:
                  tokens:
                    - { token: "%s", roles: [subscribe] }
                """.formatted(READ_TOKEN);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Demo demo = Demo.start(config(security), options("--rate", "25"),
                                    new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !demo.simulating());
            assertTrue(printed.toString(StandardCharsets.UTF_8)
                               .contains("none with the publish role was found: start the demo with --token T"));
            assertEquals(List.of(), events(demo, "type=sample", READ_TOKEN));
        }
    }

    private static PrintStream nowhere() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
