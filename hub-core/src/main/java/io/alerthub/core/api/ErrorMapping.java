package io.alerthub.core.api;

import io.alerthub.core.event.InvalidEventException;
import io.alerthub.core.log.EngineUnavailableException;
import io.alerthub.core.log.LogException;
import io.alerthub.core.server.ConnectionGuard;
import io.alerthub.core.server.ExpectedFailures;

import io.helidon.common.Weighted;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;

/**
 * Makes every error JSON: the API's own, Helidon's low-level ones (malformed requests, bodies over the limit),
 * unexpected exceptions, unknown paths.
 */
public final class ErrorMapping {

    private static final System.Logger LOG = System.getLogger(ErrorMapping.class.getName());

    private ErrorMapping() {
    }

    /** Error handlers for the routing; refused requests are counted in {@code alerthub.events.refused}. */
    public static void register(HttpRouting.Builder routing, MeterRegistry metrics) {
        Counter refused = metrics.getOrCreate(Counter.builder("alerthub.events.refused")
                                                      .description("Publish requests refused: bad input, too large,"
                                                                           + " unauthorized, busy"));
        routing.error(ApiException.class, (req, res, e) -> {
            if (req.path().path().equals("/api/v1/events") && e.status() != Status.NOT_FOUND_404) {
                refused.increment();
            }
            Responses.error(res, e);
            ConnectionGuard.closeIfAsked(req);
        });
        routing.error(InvalidEventException.class, (req, res, e) -> {
            refused.increment();
            Status status = e.kind() == InvalidEventException.Kind.TOO_LARGE
                    ? Status.REQUEST_ENTITY_TOO_LARGE_413
                    : Status.BAD_REQUEST_400;
            Responses.error(res, new ApiException(status, e.kind().code(), e.getMessage(), e.field(), 0));
            ConnectionGuard.closeIfAsked(req);
        });
        routing.error(LogException.class, (req, res, e) -> {
            // logged once per outage by Ingest, not once per refused request
            Responses.error(res, e.storageFull()
                    ? new ApiException(Status.INSUFFICIENT_STORAGE_507, "storage_full",
                                       "the hub's data directory is full; nothing of this request was accepted",
                                       null, 10)
                    : new ApiException(Status.SERVICE_UNAVAILABLE_503, "log_unavailable",
                                       "the event log cannot be written; nothing of this request was accepted",
                                       null, 5));
            ConnectionGuard.closeIfAsked(req);
        });
        routing.error(EngineUnavailableException.class, (req, res, e) -> {
            refused.increment();
            Responses.error(res, new ApiException(Status.SERVICE_UNAVAILABLE_503, "engine_unavailable", e.getMessage(),
                                                  null, 2));
        });
        // Helidon's handlers say some answers by throwing: 304 Not Modified from static content, 404 for a missing
        // file. They are answers, not failures.
        routing.error(HttpException.class, (req, res, e) -> {
            if (e.status().code() < 400) {
                res.status(e.status());
                res.send();
            } else {
                String code = switch (e.status().code()) {
                    case 404 -> "not_found";
                    case 405 -> "method_not_allowed";
                    case 413 -> "too_large";
                    case 415 -> "unsupported_media_type";
                    default -> e.status().code() >= 500 ? "internal" : "bad_request";
                };
                Responses.error(res, new ApiException(e.status(), code, e.getMessage(), null, 0));
            }
            ConnectionGuard.closeIfAsked(req);
        });
        ExpectedFailures aborted = new ExpectedFailures(LOG, "requests ended by their clients mid-way");
        routing.error(Exception.class, (req, res, e) -> {
            if (ExpectedFailures.clientGone(e)) {
                // the client is gone: no answer can reach it, and it is no news for the operator
                aborted.record(e);
                throw new CloseConnectionException("the client went away", e);
            }
            LOG.log(System.Logger.Level.ERROR, "unexpected error on " + req.prologue().method().text() + " "
                    + req.path().path(), e);
            Responses.error(res, new ApiException(Status.INTERNAL_SERVER_ERROR_500, "internal",
                                                  "internal error; see the hub's log", null, 0));
            ConnectionGuard.closeIfAsked(req);
        });
        routing.addFeature(new NotFound());
    }

    /** JSON answers for what Helidon refuses before routing (bad request lines, bodies over the limit). */
    public static DirectHandlers directHandlers() {
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            b.addHandler(type, ErrorMapping::direct);
        }
        return b.build();
    }

    private static DirectHandler.TransportResponse direct(DirectHandler.TransportRequest request,
                                                          DirectHandler.EventType type,
                                                          Status status,
                                                          io.helidon.http.ServerResponseHeaders headers,
                                                          String message) {
        // Helidon reports some refusals as BAD_REQUEST events with another status (413 for a body over the limit).
        String code = switch (status.code()) {
            case 400 -> "bad_request";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 413 -> "too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 505 -> "http_version_not_supported";
            default -> status.code() >= 500 ? "internal" : "bad_request";
        };
        String text = switch (status.code()) {
            case 413 -> "the request body is too large";
            case 500 -> "internal error; see the hub's log";
            default -> message;
        };
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        return DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(Responses.errorBody(code, text, null))
                .build();
    }

    /** The last route of all: anything no API, plugin or observer route took is a JSON 404. */
    private static final class NotFound implements HttpFeature, Weighted {
        @Override
        public void setup(HttpRouting.Builder routing) {
            routing.any((req, res) -> Responses.json(res, Status.NOT_FOUND_404,
                                                     Responses.errorBody("not_found", "no such resource: "
                                                             + req.path().path(), null)));
        }

        @Override
        public double weight() {
            return 0.1;
        }
    }
}
