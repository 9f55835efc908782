package io.alerthub.core.api;

import io.alerthub.core.event.IngestGate;

import io.helidon.http.Status;

/** A request answered with an error: status, a machine-readable code, and a message for people. */
public final class ApiException extends RuntimeException {

    private final Status status;
    private final String code;
    private final String field;
    private final int retryAfterSeconds;

    public ApiException(Status status, String code, String message) {
        this(status, code, message, null, 0);
    }

    public ApiException(Status status, String code, String message, String field, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(Status.BAD_REQUEST_400, "invalid_request", message, field, 0);
    }

    /** The answer to a request the ingest gate turned away: 429 (busy) or 503 (shutting down), with Retry-After. */
    public static ApiException refused(IngestGate.RefusedException e) {
        return e.refusal() == IngestGate.Refusal.BUSY
                ? new ApiException(Status.TOO_MANY_REQUESTS_429, "busy", e.getMessage(), null, 1)
                : new ApiException(Status.SERVICE_UNAVAILABLE_503, "shutting_down", e.getMessage(), null, 5);
    }

    public Status status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The offending field, or {@code null}. */
    public String field() {
        return field;
    }

    /** Seconds for {@code Retry-After}, or 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
