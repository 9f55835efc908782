package io.alerthub.websocket;

/**
 * A client message the hub refuses; it is answered with an {@code error} message and the connection stays open.
 * The code is for programs, the message for the people writing them.
 */
final class ClientError extends RuntimeException {

    static final String INVALID_JSON = "invalid_json";
    static final String INVALID_MESSAGE = "invalid_message";
    static final String UNKNOWN_TYPE = "unknown_type";
    static final String INVALID_SUBSCRIPTION = "invalid_subscription";
    static final String TOO_MANY_SUBSCRIPTIONS = "too_many_subscriptions";
    static final String UNSUPPORTED_BINARY = "unsupported_binary";

    private final String code;

    ClientError(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
