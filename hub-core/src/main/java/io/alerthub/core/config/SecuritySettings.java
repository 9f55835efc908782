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
 */
public record SecuritySettings(List<Token> tokens, Optional<Jwt> jwt) {

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
        return new SecuritySettings(List.copyOf(tokens), jwt);
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
