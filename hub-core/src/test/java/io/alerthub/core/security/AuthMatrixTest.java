package io.alerthub.core.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

import io.alerthub.core.testing.TestHub;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may do what: configured tokens and JWTs against every endpoint that needs a role. */
class AuthMatrixTest {

    private static final String SECRET = "a-shared-hs256-secret-of-32-chars!!";
    private static final String PUBLISH = "publish-token-0123456789";
    private static final String SUBSCRIBE = "subscribe-token-0123456789";
    private static final String ADMIN = "admin-token-0123456789";

    @TempDir
    static Path dir;
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dir, """
                security:
                  tokens:
                    - { token: %s, roles: [publish] }
                    - { token: %s, roles: [subscribe] }
                    - { token: %s, roles: [admin] }
                  jwt:
                    hs256-secret: "%s"
                """.formatted(PUBLISH, SUBSCRIBE, ADMIN, SECRET));
        // an alarm for every row to acknowledge (a second acknowledgement of one alarm answers 200, not 202)
        StringBuilder violations = new StringBuilder("{\"events\":[");
        for (int row = 0; row < ROWS; row++) {
            violations.append(row == 0 ? "" : ",").append("{\"type\":\"violation\",\"payload\":{\"violation_id\":")
                    .append(1000 + row).append("}}");
        }
        assertEquals(202, hub.post("/api/v1/events", violations.append("]}").toString(), PUBLISH).statusCode());
    }

    private static final int ROWS = 13;
    private static int nextRow;

    @AfterAll
    static void stop() {
        hub.close();
    }

    static Stream<Arguments> matrix() throws JOSEException {
        String jwtPublish = hs256(List.of("publish"), Instant.now().plusSeconds(300), null, SECRET);
        String jwtNoRoles = hs256(null, Instant.now().plusSeconds(300), null, SECRET);
        String jwtExpired = hs256(List.of("publish"), Instant.now().minusSeconds(600), null, SECRET);
        String jwtNotYet = hs256(List.of("publish"), Instant.now().plusSeconds(3600), Instant.now().plusSeconds(1800),
                                 SECRET);
        String jwtBadSignature = hs256(List.of("publish"), Instant.now().plusSeconds(300), null,
                                       "another-secret-of-at-least-32-chars");
        // OpenSPC's tokens carry "type": "access" or "refresh" (backend/src/openspc/core/auth/jwt.py).
        String jwtAccess = hs256(List.of("publish"), Instant.now().plusSeconds(300), null, "access", SECRET);
        String jwtRefresh = hs256(List.of("publish"), Instant.now().plusSeconds(300), null, "refresh", SECRET);
        String jwtRefreshNoRoles = hs256(null, Instant.now().plusSeconds(300), null, "refresh", SECRET);
        return Stream.of(
                // who                  token            publish  history  plugins  ack
                Arguments.of("no token", null, 401, 401, 401, 401),
                Arguments.of("unknown token", "not-a-known-token-at-all", 401, 401, 401, 401),
                Arguments.of("subscribe role", SUBSCRIBE, 403, 200, 403, 403),
                Arguments.of("publish role", PUBLISH, 202, 403, 200, 202),
                Arguments.of("admin role", ADMIN, 403, 200, 200, 202),
                Arguments.of("JWT with roles [publish]", jwtPublish, 202, 403, 200, 202),
                Arguments.of("JWT without roles claim (default subscribe)", jwtNoRoles, 403, 200, 403, 403),
                Arguments.of("expired JWT", jwtExpired, 401, 401, 401, 401),
                Arguments.of("JWT not valid yet", jwtNotYet, 401, 401, 401, 401),
                Arguments.of("JWT with a bad signature", jwtBadSignature, 401, 401, 401, 401),
                Arguments.of("access JWT (type access)", jwtAccess, 202, 403, 200, 202),
                Arguments.of("refresh JWT (type refresh)", jwtRefresh, 401, 401, 401, 401),
                Arguments.of("refresh JWT without roles claim", jwtRefreshNoRoles, 401, 401, 401, 401));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void endpointsAnswerByRole(String who, String token, int publish, int history, int plugins, int ack) {
        assertEquals(publish, hub.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}", token).statusCode(), who);
        assertEquals(history, hub.get("/api/v1/events?since=0", token).statusCode(), who);
        assertEquals(plugins, hub.get("/api/v1/plugins", token).statusCode(), who);
        int violation = 1000 + nextRow++;
        assertEquals(ack, hub.post("/api/v1/violations/" + violation + "/ack", "{\"user\":\"op\"}", token)
                .statusCode(), who);
    }

    @Test
    void refusalsSayWhyAsJsonWithoutEchoingTheToken() throws JOSEException {
        var missing = hub.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}", null);
        assertEquals("Bearer", missing.headers().firstValue("WWW-Authenticate").orElse(""));
        assertTrue(missing.body().contains("\"code\":\"unauthorized\""), missing.body());
        String expired = hs256(List.of("publish"), Instant.now().minusSeconds(600), null, SECRET);
        var r = hub.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}", expired);
        assertTrue(r.body().contains("expired"), r.body());
        assertTrue(!r.body().contains(expired), "the token is not echoed");
        var forbidden = hub.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}", SUBSCRIBE);
        assertTrue(forbidden.body().contains("\"code\":\"forbidden\"") && forbidden.body().contains("publish"),
                   forbidden.body());
        String refresh = hs256(List.of("publish"), Instant.now().plusSeconds(300), null, "refresh", SECRET);
        var refused = hub.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}", refresh);
        assertTrue(refused.body().contains("refresh tokens are not accepted"), refused.body());
    }

    @Test
    void theClusterEndpointIsForAdminsAndSaysWhenClusterModeIsOff() {
        assertEquals(401, hub.get("/api/v1/cluster", null).statusCode());
        assertEquals(403, hub.get("/api/v1/cluster", SUBSCRIBE).statusCode());
        assertEquals(403, hub.get("/api/v1/cluster", PUBLISH).statusCode());
        var off = hub.get("/api/v1/cluster", ADMIN);
        assertEquals(404, off.statusCode());
        assertTrue(off.body().contains("cluster mode is off"), off.body());
    }

    @Test
    void observeEndpointsStayOpenForProbesAndScrapers() {
        assertEquals(200, hub.get("/observe/health").statusCode());
        assertEquals(200, hub.get("/observe/metrics").statusCode());
    }

    @Test
    void rs256WithAPemKeyOrAJwksFile(@TempDir Path keys) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path pem = keys.resolve("public.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Path jwks = keys.resolve("keys.json");
        Files.writeString(jwks, new JWKSet(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID("k1").build())
                .toString());
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("line-7-panel").claim("roles", "publish subscribe")
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
        JWSSigner signer = new RSASSASigner(pair.getPrivate());
        jwt.sign(signer);
        String token = jwt.serialize();
        for (Path keyFile : List.of(pem, jwks)) {
            try (TestHub rsa = TestHub.start(keys.resolve("data-" + keyFile.getFileName()), """
                    security:
                      jwt:
                        public-key-file: "%s"
                    """.formatted(keyFile))) {
                assertEquals(202, rsa.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}", token).statusCode());
                assertEquals(200, rsa.get("/api/v1/events", token).statusCode());
                String hs = hs256(List.of("publish"), Instant.now().plusSeconds(300), null, SECRET);
                assertEquals(401, rsa.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}", hs).statusCode(),
                             "an HS256 token is refused when the hub expects RS256/ES256");
            }
        }
    }

    static String hs256(List<String> roles, Instant exp, Instant nbf, String secret) throws JOSEException {
        return hs256(roles, exp, nbf, null, secret);
    }

    /** @param type the {@code type} claim ({@code access}, {@code refresh}), or null for none */
    static String hs256(List<String> roles, Instant exp, Instant nbf, String type, String secret)
            throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("operator1")
                .expirationTime(Date.from(exp));
        if (roles != null) {
            claims.claim("roles", roles);
        }
        if (type != null) {
            claims.claim("type", type);
        }
        if (nbf != null) {
            claims.notBeforeTime(Date.from(nbf));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(secret.getBytes()));
        return jwt.serialize();
    }
}
