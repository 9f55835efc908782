package io.alerthub.core.log;

/**
 * A log shared by several hubs (cluster mode) cannot reach its engine: nothing of the request was stored, or, when
 * the engine went away in the middle of a batch, the message says which events were (see
 * {@link SharedEventLog#appendUnique}). Ingest answers 503 {@code engine_unavailable} with {@code Retry-After}.
 */
public final class EngineUnavailableException extends RuntimeException {

    public EngineUnavailableException(String message) {
        super(message, null, false, false);
    }
}
