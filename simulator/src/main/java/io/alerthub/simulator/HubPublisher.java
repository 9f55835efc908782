package io.alerthub.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Posts events to a hub's {@code POST /api/v1/events}, as any producer would. A busy or stopping hub (429, 503)
 * is waited for as its {@code Retry-After} says, an unreachable one with backoff; the events' ids make a repeated
 * post harmless. A refused token ends the simulation: retrying cannot fix it.
 */
final class HubPublisher implements Simulator.Publisher {

    private static final System.Logger LOG = System.getLogger(HubPublisher.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The contract allows 1000 events per request; half leaves room for large rounds without nearing 1 MiB. */
    static final int MAX_BATCH = 500;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final URI events;
    private final Optional<String> token;
    private final HttpClient client;
    private boolean failing;

    /**
     * @param hub   the hub's base address, such as {@code http://127.0.0.1:8080}
     * @param token a bearer token with the publish role, when the hub requires one
     */
    HubPublisher(URI hub, Optional<String> token) {
        this.events = hub.resolve("/api/v1/events");
        this.token = token;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public void publish(List<ObjectNode> list) throws InterruptedException {
        for (int from = 0; from < list.size(); from += MAX_BATCH) {
            ArrayNode batch = JSON.createArrayNode();
            batch.addAll(list.subList(from, Math.min(list.size(), from + MAX_BATCH)));
            post(batch);
        }
    }

    private void post(ArrayNode batch) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.set("events", batch);
        HttpRequest.Builder request = HttpRequest.newBuilder(events)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        Duration backoff = Duration.ofMillis(250);
        while (true) {
            Duration wait;
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 202) {
                    if (failing) {
                        failing = false;
                        LOG.log(System.Logger.Level.INFO, "publishing to " + events + " again");
                    }
                    return;
                }
                if (status == 401 || status == 403) {
                    throw new HubRefusedException("the hub answered " + status + " (" + errorMessage(response)
                            + "): give the demo a token with the publish role (--token)");
                }
                if (status != 429 && status != 503) {
                    throw new HubRefusedException("the hub refused a batch of events with " + status + ": "
                            + errorMessage(response));
                }
                wait = response.headers().firstValueAsLong("Retry-After").stream()
                        .mapToObj(Duration::ofSeconds).findFirst().orElse(Duration.ofSeconds(1));
                failing("the hub is " + (status == 429 ? "busy" : "unavailable") + " (" + status + ")");
            } catch (IOException e) {
                failing("cannot reach the hub at " + events + ": " + (e.getMessage() == null ? e : e.getMessage()));
                wait = backoff;
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
            Thread.sleep(wait);
        }
    }

    private void failing(String why) {
        if (!failing) {
            failing = true;
            LOG.log(System.Logger.Level.WARNING, why + "; the simulator waits and posts again");
        }
    }

    private static String errorMessage(HttpResponse<String> response) {
        try {
            JsonNode message = JSON.readTree(response.body()).path("error").path("message");
            if (message.isTextual()) {
                return message.textValue();
            }
        } catch (IOException e) {
            // not JSON: show the start of it
        }
        String body = response.body();
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
}
