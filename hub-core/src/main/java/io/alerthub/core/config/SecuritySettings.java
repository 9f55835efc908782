package io.alerthub.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.Identity;

/**
 * {@code security}: configured tokens and bearer JWTs. Neither = open.
 *
 * @param tokens the static tokens and their roles
 * @param jwt    JWT checks, when a secret or key is configured
 * @param rateLimit events a token (or, with security off, a client address) may publish; none when absent
 */
public record SecuritySettings(List<Token> tokens, Optional<Jwt> jwt, Optional<RateLimit> rateLimit) {

    private static final Set<String> ROLES = Set.of(Identity.PUBLISH, Identity.SUBSCRIBE, Identity.ADMIN);

    /** A configured token. */
    public record Token(String token, Set<String> roles) {
        @Override
        public String toString() {
            return "Token[roles=" + roles + "]";
        }
    }

    /**
     * JWT checks.
     *
     * @param hs256Secret   shared secret, when HS256
     * @param publicKeyFile RS256/ES256 public key (PEM) or JWKS file
     * @param rolesClaim    the claim holding the roles
     * @param defaultRoles  roles of a token without that claim
     */
    public record Jwt(Optional<String> hs256Secret, Optional<Path> publicKeyFile, String rolesClaim,
                      Set<String> defaultRoles) {
        @Override
        public String toString() {
            return "Jwt[hs256=" + hs256Secret.isPresent() + ", key=" + publicKeyFile + "]";
        }
    }

    /**
     * {@code security.rate-limits}: a token bucket per token.
     *
     * @param eventsPerSecond the sustained rate
     * @param burst           the most events at once (the bucket's size)
     */
    public record RateLimit(double eventsPerSecond, long burst) {
    }

    public static SecuritySettings create(ConfigNode c) {
        List<Token> tokens = new ArrayList<>();
        for (ConfigNode t : c.sections("tokens")) {
            String value = t.requiredString("token");
            if (value.length() < 16) {
                throw t.error("token", "is too short: use at least 16 characters");
            }
            tokens.add(new Token(value, roles(t, "roles", List.of())));
            t.rejectUnknown();
        }
        ConfigNode j = c.child("jwt");
        Optional<String> secret = j.string("hs256-secret").filter(s -> !s.isEmpty());
        Optional<Path> keyFile = j.string("public-key-file").filter(s -> !s.isEmpty()).map(Path::of);
        String rolesClaim = j.string("roles-claim", "roles");
        Set<String> defaultRoles = roles(j, "default-roles", List.of(Identity.SUBSCRIBE));
        if (secret.isPresent() && keyFile.isPresent()) {
            throw j.error("set either hs256-secret or public-key-file, not both");
        }
        if (secret.isPresent() && secret.get().length() < 32) {
            throw j.error("hs256-secret", "is too short: HS256 needs at least 32 characters (256 bits)");
        }
        Optional<Jwt> jwt = secret.isPresent() || keyFile.isPresent()
                ? Optional.of(new Jwt(secret, keyFile, rolesClaim, defaultRoles))
                : Optional.empty();
        return new SecuritySettings(List.copyOf(tokens), jwt, rateLimit(c.child("rate-limits")));
    }

    private static Optional<RateLimit> rateLimit(ConfigNode c) {
        if (!c.exists("events-per-second") && !c.exists("burst")) {
            return Optional.empty();
        }
        long rate = c.longValue("events-per-second", 500, 1, 10_000_000);
        long burst = c.longValue("burst", Math.max(1, rate * 2), 1, 100_000_000);
        return Optional.of(new RateLimit(rate, burst));
    }

    private static Set<String> roles(ConfigNode c, String key, List<String> defaults) {
        List<String> roles = c.strings(key, defaults);
        for (String r : roles) {
            if (!ROLES.contains(r)) {
                throw c.error(key, "unknown role '" + r + "'; roles are publish, subscribe, admin");
            }
        }
        return Set.copyOf(roles);
    }
}
