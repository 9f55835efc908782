package io.alerthub.core.log;

/** The event log cannot be read or written (disk full, I/O error). */
public final class LogException extends RuntimeException {

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
