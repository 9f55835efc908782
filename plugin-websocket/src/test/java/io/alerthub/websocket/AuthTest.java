package io.alerthub.websocket;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token auth at the upgrade: role subscribe (or admin), from the Authorization header or {@code ?token=}. */
class AuthTest {

    @TempDir
    static Path dataDir;
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dataDir, "openspc: { enabled: true }", Tokens.SECURITY, "", Tokens.PUBLISH);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** How the token is presented → the HTTP status of the upgrade (101 = accepted). */
    static List<Object[]> tokens() {
        String expired = Tokens.jwt(Instant.now().minusSeconds(3600), null);
        String publishOnly = Tokens.jwt(Instant.now().plusSeconds(3600), List.of("publish"));
        return List.of(
                new Object[] {"no token", Map.of(), "", 401},
                new Object[] {"unknown token", Map.of("Authorization", "Bearer not-a-known-token-at-all"), "", 401},
                new Object[] {"unknown ?token", Map.of(), "?token=not-a-known-token-at-all", 401},
                new Object[] {"expired JWT", Map.of(), "?token=" + expired, 401},
                new Object[] {"refresh JWT (type refresh)", Map.of(), "?token=" + Tokens.refreshJwt(), 401},
                new Object[] {"token with role publish only", Map.of("Authorization", "Bearer " + Tokens.PUBLISH_ONLY), "", 403},
                new Object[] {"JWT with role publish only", Map.of("Authorization", "Bearer " + publishOnly), "", 403},
                new Object[] {"subscribe token in the header", Map.of("Authorization", "Bearer " + Tokens.SUBSCRIBE), "", 101},
                new Object[] {"subscribe token as ?token", Map.of(), "?token=" + Tokens.SUBSCRIBE, 101},
                new Object[] {"admin token", Map.of("Authorization", "Bearer " + Tokens.PUBLISH), "", 101},
                new Object[] {"JWT with default roles as ?token", Map.of(), "?token=" + Tokens.validJwt(), 101},
                new Object[] {"access JWT (type access)", Map.of(), "?token="
                        + Tokens.jwt(Instant.now().plusSeconds(3600), null, "access"), 101});
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("tokens")
    void theUpgradeNeedsATokenWithRoleSubscribe(String name, Map<String, String> headers, String query, int status) {
        if (status == 101) {
            try (WsClient c = WsClient.connect(hub.ws("/ws" + query), headers)) {
                assertEquals("welcome", c.next().get("type").asText());
            }
            return;
        }
        WsClient.Refused refused = WsClient.refused(hub.ws("/ws" + query), headers);
        assertEquals(status, refused.status(), refused.body());
        String code = TestHub.parse(refused.body()).get("error").get("code").asText();
        assertEquals(status == 401 ? "unauthorized" : "forbidden", code);
        if (status == 401) {
            assertEquals(List.of("Bearer"), refused.headers().get("www-authenticate"));
        }
        assertFalse(refused.body().contains("not-a-known-token"), "a token is never echoed");
    }

    @Test
    void refusalsAreCountedByReason() {
        WsClient.refused(hub.ws("/ws"), Map.of());
        assertTrue(hub.metrics().matches("(?s).*alerthub_websocket_upgrades_refused_total\\{reason=\"unauthorized\""
                                                 + "[^}]*} [1-9].*"));
    }

    @Test
    void openSpcIsAcceptedThenToldWhyAndClosedWith4001() {
        try (WsClient c = WsClient.connect(hub.ws("/ws/samples"))) {
            assertEquals(TestHub.parse("{\"type\":\"error\",\"message\":\"Authentication required\"}"), c.next());
            assertEquals(new WsClient.Close(4001, "Authentication failed"), c.awaitClose());
        }
        try (WsClient c = WsClient.connect(hub.ws("/ws/samples?token=eyJhbGciOiJIUzI1NiJ9.e30.bad"))) {
            assertEquals(TestHub.parse("{\"type\":\"error\",\"message\":\"Invalid or expired token\"}"), c.next());
            assertEquals(new WsClient.Close(4001, "Authentication failed"), c.awaitClose());
        }
        String expired = Tokens.jwt(Instant.now().minusSeconds(3600), null);
        try (WsClient c = WsClient.connect(hub.ws("/ws/samples?token=" + expired))) {
            assertEquals("Invalid or expired token", c.next().get("message").asText());
            assertEquals(4001, c.awaitClose().code());
        }
    }

    /** A connection opened with a JWT ends when the JWT expires: 1008 "token expired" on /ws, 4001 on /ws/samples. */
    @Test
    void aConnectionEndsWhenItsJwtExpires() {
        String shortLived = Tokens.jwt(Instant.now().plusSeconds(3), null);
        try (WsClient ws = WsClient.connect(hub.ws("/ws?token=" + shortLived));
             WsClient spc = WsClient.connect(hub.ws("/ws/samples?token=" + shortLived))) {
            assertEquals("welcome", ws.next().get("type").asText());
            assertEquals(new WsClient.Close(1008, "token expired"), ws.awaitClose());
            assertEquals("Invalid or expired token", spc.next().get("message").asText());
            assertEquals(new WsClient.Close(4001, "Authentication failed"), spc.awaitClose());
        }
    }

    /** OpenSPC's /ws/samples takes access tokens only (websocket.py verify_access_token: type must be access). */
    @Test
    void openSpcRefusesARefreshTokenWith4001() {
        try (WsClient c = WsClient.connect(hub.ws("/ws/samples?token=" + Tokens.refreshJwt()))) {
            assertEquals(TestHub.parse("{\"type\":\"error\",\"message\":\"Invalid or expired token\"}"), c.next());
            assertEquals(new WsClient.Close(4001, "Authentication failed"), c.awaitClose());
        }
        String access = Tokens.jwt(Instant.now().plusSeconds(3600), null, "access");
        try (WsClient c = WsClient.connect(hub.ws("/ws/samples?token=" + access))) {
            c.send("{\"type\":\"ping\"}");
            assertEquals(TestHub.parse("{\"type\":\"pong\"}"), c.next());
        }
    }
}
