package io.alerthub.spi;

/** Checks bearer tokens (configured tokens and JWTs) the same way for every entry point. */
public interface Authenticator {

    /** {@code false} when no tokens and no JWT key are configured: everything is open. */
    boolean enabled();

    /**
     * Check a token (without the {@code Bearer } prefix).
     *
     * @param token the presented token, or {@code null} when none was
     * @return the identity, or {@link Identity#ANONYMOUS} when security is off
     * @throws AuthenticationException when a token is needed and is missing, unknown, expired or badly signed
     */
    Identity authenticate(String token) throws AuthenticationException;

    /** A token that does not pass; the message says why, for the client, and never contains the token. */
    final class AuthenticationException extends Exception {
        private final boolean missing;

        public AuthenticationException(String message, boolean missing) {
            super(message, null, false, false);
            this.missing = missing;
        }

        /** {@code true} when no token was presented at all (as opposed to a bad one). */
        public boolean missing() {
            return missing;
        }
    }
}
