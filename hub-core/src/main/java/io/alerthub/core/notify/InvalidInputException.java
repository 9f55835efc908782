package io.alerthub.core.notify;

/** A value a client sent (a silence) that breaks a rule; names the field, for a {@code 400}. */
public final class InvalidInputException extends IllegalArgumentException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field, as the client wrote it ({@code matchers.type}, {@code schedule.zone}). */
    public String field() {
        return field;
    }
}
