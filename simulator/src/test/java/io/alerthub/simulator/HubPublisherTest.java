package io.alerthub.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator's producer side against a real hub: retries that are safe, refusals that are final. */
class HubPublisherTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private Hub start(int port, String extra) {
        return Hub.start(HubConfig.fromYaml("""
                server: { port: %d }
                hub: { data-dir: "%s" }
                %s
                """.formatted(port, dataDir, extra), java.util.Map.of()));
    }

    private static ObjectNode event(String type, String id) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", type);
        e.put("characteristic_id", 1);
        e.put("id", id);
        e.putObject("payload").put("value", 1.5);
        return e;
    }

    private static JsonNode events(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body()).get("events");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aHubThatIsNotUpYetIsWaitedFor() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        HubPublisher publisher = new HubPublisher(URI.create("http://127.0.0.1:" + port), Optional.empty());
        CompletableFuture<Void> published = CompletableFuture.runAsync(() -> {
            try {
                publisher.publish(List.of(event("sample", "early-1")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Hub hub = start(port, "");
        try {
            published.get(20, TimeUnit.SECONDS);
            assertEquals("early-1", events(port).get(0).get("id").asText());
        } finally {
            hub.close();
        }
    }

    @Test
    void postingTheSameEventsTwiceDispatchesThemOnce() throws Exception {
        Hub hub = start(0, "");
        try {
            HubPublisher publisher = new HubPublisher(URI.create("http://127.0.0.1:" + hub.port()), Optional.empty());
            List<ObjectNode> batch = List.of(event("sample", "same-1"), event("violation", "same-2"));
            publisher.publish(batch);
            publisher.publish(batch);
            assertEquals(2, events(hub.port()).size());
        } finally {
            hub.close();
        }
    }

    @Test
    void refusalsThatRetryingCannotFixEndThePublishing() {
        Hub hub = start(0, """
                security:
                  tokens:
                    - { token: "publish-token-0123456789", roles: [publish] }
                """);
        try {
            URI uri = URI.create("http://127.0.0.1:" + hub.port());
            HubRefusedException noToken = assertThrows(HubRefusedException.class, () ->
                    new HubPublisher(uri, Optional.empty()).publish(List.of(event("sample", "x-1"))));
            assertTrue(noToken.getMessage().startsWith("the hub answered 401 ("), noToken.getMessage());
            assertTrue(noToken.getMessage().endsWith("give the demo a token with the publish role (--token)"));

            HubRefusedException badEvent = assertThrows(HubRefusedException.class, () ->
                    new HubPublisher(uri, Optional.of("publish-token-0123456789"))
                            .publish(List.of(event("Not A Type", "x-2"))));
            assertTrue(badEvent.getMessage().startsWith("the hub refused a batch of events with 400: "),
                       badEvent.getMessage());
        } finally {
            hub.close();
        }
    }

    @Test
    void largeRoundsGoOutInSeveralRequests() throws Exception {
        Hub hub = start(0, "");
        try {
            HubPublisher publisher = new HubPublisher(URI.create("http://127.0.0.1:" + hub.port()), Optional.empty());
            List<ObjectNode> round = java.util.stream.IntStream.range(0, HubPublisher.MAX_BATCH + 10)
                    .mapToObj(i -> event("sample", "many-" + i)).toList();
            publisher.publish(round);
            assertEquals(HubPublisher.MAX_BATCH + 10, hub.log().headSeq());
        } finally {
            hub.close();
        }
    }
}
