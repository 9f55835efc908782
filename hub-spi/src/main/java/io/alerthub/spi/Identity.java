package io.alerthub.spi;

import java.time.Instant;
import java.util.Set;

/**
 * Who presented a token, and what they may do.
 *
 * @param subject a name for logs (a JWT's {@code sub}, or {@code token#2} for a configured token); never the secret
 * @param roles   {@code publish}, {@code subscribe}, {@code admin}
 * @param expiresAt when the credential stops being valid (a JWT's {@code exp}), or {@code null} for never (a
 *                  configured token): a connection opened with it must end then
 */
public record Identity(String subject, Set<String> roles, Instant expiresAt) {

    public static final String PUBLISH = "publish";
    public static final String SUBSCRIBE = "subscribe";
    public static final String ADMIN = "admin";

    /** Everyone, when the hub runs without security. */
    public static final Identity ANONYMOUS = new Identity("anonymous", Set.of(PUBLISH, SUBSCRIBE, ADMIN));

    public Identity {
        roles = Set.copyOf(roles);
    }

    /** An identity whose credential does not expire. */
    public Identity(String subject, Set<String> roles) {
        this(subject, roles, null);
    }

    /** Whether this identity holds at least one of {@code anyOf}. */
    public boolean hasAnyRole(String... anyOf) {
        for (String r : anyOf) {
            if (roles.contains(r)) {
                return true;
            }
        }
        return false;
    }
}
