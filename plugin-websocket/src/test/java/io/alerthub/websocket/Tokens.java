package io.alerthub.websocket;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** The security configuration the auth tests run with, and JWTs signed for it. */
final class Tokens {

    static final String PUBLISH = "publish-token-0123456789";
    static final String SUBSCRIBE = "subscribe-token-0123456789";
    static final String PUBLISH_ONLY = "publisher-only-token-0123456789";
    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final String SECURITY = """
            security:
              tokens:
                - { token: "%s", roles: [publish, admin] }
                - { token: "%s", roles: [subscribe] }
                - { token: "%s", roles: [publish] }
              jwt: { hs256-secret: "%s" }
            """.formatted(PUBLISH, SUBSCRIBE, PUBLISH_ONLY, SECRET);

    private Tokens() {
    }

    /** A JWT as OpenSPC's backend would issue it; {@code roles} null = no roles claim (default roles apply). */
    static String jwt(Instant expires, List<String> roles) {
        return jwt(expires, roles, null);
    }

    /**
     * @param type the {@code type} claim, as OpenSPC's {@code backend/src/openspc/core/auth/jwt.py} sets it
     *             ({@code access} or {@code refresh}), or null for none
     */
    static String jwt(Instant expires, List<String> roles, String type) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("operator1").expirationTime(Date.from(expires));
        if (roles != null) {
            claims.claim("roles", roles);
        }
        if (type != null) {
            claims.claim("type", type);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static String validJwt() {
        return jwt(Instant.now().plusSeconds(3600), null);
    }

    /** OpenSPC's refresh token: valid signature and expiry, but never a bearer token. */
    static String refreshJwt() {
        return jwt(Instant.now().plusSeconds(3600), null, "refresh");
    }
}
