package io.alerthub.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Talks HTTP to a hub on 127.0.0.1 as a producer or an operator would: JSON bodies, a bearer token, the plugin list,
 * the meters. The hub may run in this JVM ({@link TestHub}) or in another process ({@link HubProcess}).
 */
public class HubClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final String token;
    private final Duration requestTimeout;

    /**
     * A client of the hub listening on {@code port}.
     *
     * @param token          the bearer token of the requests that do not name one, or null for none
     * @param requestTimeout how long one request may take, or null for no limit
     */
    public HubClient(int port, String token, Duration requestTimeout) {
        this.port = port;
        this.token = token;
        this.requestTimeout = requestTimeout;
    }

    public int port() {
        return port;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** A request to this hub with the request timeout, for a test that needs more than the methods below. */
    public HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery));
        if (requestTimeout != null) {
            b.timeout(requestTimeout);
        }
        return b;
    }

    /** POSTs a JSON body with this client's token. */
    public HttpResponse<String> post(String path, String body) {
        return post(path, body, token);
    }

    /** POSTs a JSON body with {@code token} (null: without one). */
    public HttpResponse<String> post(String path, String body, String token) {
        return send(authorized(request(path), token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** GETs with this client's token. */
    public HttpResponse<String> get(String pathAndQuery) {
        return get(pathAndQuery, token);
    }

    /** GETs with {@code token} (null: without one). */
    public HttpResponse<String> get(String pathAndQuery, String token) {
        return send(authorized(request(pathAndQuery), token).GET().build());
    }

    /**
     * Any method, with a JSON body or none.
     *
     * @param body  the JSON body, or null for none
     * @param token the bearer token, or null for none
     */
    public HttpResponse<String> send(String method, String pathAndQuery, String body, String token) {
        HttpRequest.Builder b = authorized(request(pathAndQuery), token);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return send(b.build());
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder b, String token) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /** Publishes {@code body} (one event or a {@link #batch}) with this client's token, expects 202; the seqs. */
    public List<Long> publish(String body) {
        HttpResponse<String> r = post("/api/v1/events", body);
        if (r.statusCode() != 202) {
            throw new AssertionError("expected 202, got " + r.statusCode() + ": " + r.body());
        }
        List<Long> seqs = new ArrayList<>();
        json(r.body()).get("seq").forEach(n -> seqs.add(n.asLong()));
        return seqs;
    }

    /** The body that publishes these events ({@code {...}} objects) in one batch. */
    public static String batch(List<String> events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    /** The {@code plugins} array of {@code GET /api/v1/plugins}, which must answer 200. */
    public JsonNode plugins() {
        HttpResponse<String> r = get("/api/v1/plugins");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /api/v1/plugins answered " + r.statusCode() + ": " + r.body());
        }
        return json(r.body()).path("plugins");
    }

    /** The entry of the plugin {@code name} in {@code GET /api/v1/plugins}. */
    public JsonNode plugin(String name) {
        JsonNode plugins = plugins();
        for (JsonNode p : plugins) {
            if (p.path("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no " + name + " plugin in " + plugins);
    }

    /** {@code /observe/metrics}: the meters in Prometheus text. */
    public String metrics() {
        return get("/observe/metrics").body();
    }

    /** One meter's value from {@link #metrics()} (the first series of that name). */
    public double metric(String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(metrics());
        if (!m.find()) {
            throw new AssertionError("no meter " + name + " at /observe/metrics");
        }
        return Double.parseDouble(m.group(2));
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
