package io.alerthub.core.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.alerthub.core.config.SecuritySettings;
import io.alerthub.spi.Authenticator;
import io.alerthub.spi.Identity;

/**
 * Checks configured tokens (in constant time: every token is compared, by SHA-256 digest) and bearer JWTs.
 * With neither configured, everything is open.
 */
public final class TokenAuthenticator implements Authenticator {

    private record Known(byte[] digest, Identity identity) {
    }

    private final List<Known> tokens;
    private final Optional<JwtVerifier> jwt;

    private TokenAuthenticator(List<Known> tokens, Optional<JwtVerifier> jwt) {
        this.tokens = tokens;
        this.jwt = jwt;
    }

    /**
     * Builds the checks; a JWT key file that cannot be read fails here, naming its key.
     */
    public static TokenAuthenticator create(SecuritySettings settings) {
        List<Known> known = new ArrayList<>();
        for (int i = 0; i < settings.tokens().size(); i++) {
            SecuritySettings.Token t = settings.tokens().get(i);
            known.add(new Known(digest(t.token()), new Identity("token#" + i, t.roles())));
        }
        return new TokenAuthenticator(List.copyOf(known), settings.jwt().map(JwtVerifier::create));
    }

    @Override
    public boolean enabled() {
        return !tokens.isEmpty() || jwt.isPresent();
    }

    @Override
    public Identity authenticate(String token) throws AuthenticationException {
        if (!enabled()) {
            return Identity.ANONYMOUS;
        }
        if (token == null || token.isBlank()) {
            throw new AuthenticationException("a bearer token is required", true);
        }
        byte[] presented = digest(token);
        Identity match = null;
        for (Known k : tokens) {
            if (MessageDigest.isEqual(k.digest, presented)) {
                match = k.identity;
            }
        }
        if (match != null) {
            return match;
        }
        if (jwt.isPresent() && looksLikeJwt(token)) {
            return jwt.get().verify(token);
        }
        throw new AuthenticationException("invalid token", false);
    }

    /** The roles a configured token or JWT may carry. */
    static Set<String> knownRoles() {
        return Set.of(Identity.PUBLISH, Identity.SUBSCRIBE, Identity.ADMIN);
    }

    private static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
