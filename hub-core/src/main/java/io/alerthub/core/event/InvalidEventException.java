package io.alerthub.core.event;

/**
 * A request refused as a whole; the message and field name what was wrong.
 * {@link Kind#TOO_LARGE} maps to 413, everything else to 400.
 */
public final class InvalidEventException extends RuntimeException {

    /** What kind of rule was broken. */
    public enum Kind {
        /** A value breaks an event rule. */
        INVALID_EVENT("invalid_event"),
        /** The body is not JSON. */
        INVALID_JSON("invalid_json"),
        /** A size limit was passed. */
        TOO_LARGE("too_large");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Kind kind;
    private final String field;

    public InvalidEventException(Kind kind, String field, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    /** The field, as a path ({@code events[3].severity}); {@code null} for the body as a whole. */
    public String field() {
        return field;
    }
}
