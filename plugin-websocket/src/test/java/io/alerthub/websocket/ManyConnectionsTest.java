package io.alerthub.websocket;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** 1,000 concurrent connections subscribe, and each receives its event and a broadcast (integration, not a benchmark). */
class ManyConnectionsTest {

    private static final int CONNECTIONS = 1000;
    private static final int CHARACTERISTICS = 100;

    @TempDir
    Path dataDir;

    @Test
    void aThousandConnectionsEachReceiveTheirEvent() {
        try (TestHub hub = TestHub.start(dataDir, "")) {
            List<CompletableFuture<WsClient>> connecting = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                connecting.add(WsClient.connectAsync(hub.ws("/ws")));
            }
            List<WsClient> clients = new ArrayList<>();
            try {
                for (CompletableFuture<WsClient> f : connecting) {
                    clients.add(f.join());
                }
                for (int i = 0; i < CONNECTIONS; i++) {
                    WsClient c = clients.get(i);
                    c.next("welcome");
                    c.send("{\"type\":\"subscribe\",\"characteristic_ids\":[" + (i % CHARACTERISTICS) + "]}");
                }
                for (WsClient c : clients) {
                    c.next("subscribed");
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> hub.connections() == CONNECTIONS);

                String[] events = new String[CHARACTERISTICS];
                for (int id = 0; id < CHARACTERISTICS; id++) {
                    events[id] = "{\"type\":\"sample\",\"characteristic_id\":" + id + ",\"payload\":{\"id\":" + id + "}}";
                }
                List<Long> seqs = hub.publish(events);
                long broadcast = hub.publishOne("{\"type\":\"ack_update\",\"payload\":{\"violation_id\":1}}");

                for (int i = 0; i < CONNECTIONS; i++) {
                    JsonNode event = clients.get(i).next();
                    assertEquals(seqs.get(i % CHARACTERISTICS), event.get("seq").asLong(), "connection " + i);
                    assertEquals(i % CHARACTERISTICS, event.get("characteristic_id").asInt());
                    assertEquals(broadcast, clients.get(i).next().get("seq").asLong(), "connection " + i);
                }
                assertEquals(CONNECTIONS, hub.details().get("subscriptions").asInt());
            } finally {
                clients.forEach(WsClient::close);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.connections() == 0);
        }
    }
}
