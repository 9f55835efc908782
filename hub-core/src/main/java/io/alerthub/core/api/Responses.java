package io.alerthub.core.api;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.alerthub.core.event.InvalidEventException;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON answers, and the one shape of every error: {@code {"error":{"code":..,"message":..,"field":..}}}. */
final class Responses {

    /** With a shared buffer pool: Jackson's default pool is per thread, and every request has a new one. */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                                                                .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
                                                                .build());

    private Responses() {
    }

    /**
     * A request body as a JSON tree.
     *
     * @throws InvalidEventException (400 {@code invalid_json}) when it is not JSON
     */
    static JsonNode parse(byte[] body) {
        try {
            JsonNode tree = MAPPER.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw new InvalidEventException(InvalidEventException.Kind.INVALID_JSON, null, "the body is empty");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(InvalidEventException.Kind.INVALID_JSON, null,
                                            "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void json(ServerResponse res, Status status, Object body) {
        try {
            json(res, status, MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void json(ServerResponse res, Status status, byte[] body) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(body);
    }

    static void error(ServerResponse res, ApiException e) {
        if (e.retryAfterSeconds() > 0) {
            res.header(HeaderNames.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
        }
        if (e.status() == Status.UNAUTHORIZED_401) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        json(res, e.status(), errorBody(e.code(), e.getMessage(), e.field()));
    }

    static byte[] errorBody(String code, String message, String field) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message == null || message.isBlank() ? code.replace('_', ' ') : message);
        if (field != null) {
            error.put("field", field);
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
