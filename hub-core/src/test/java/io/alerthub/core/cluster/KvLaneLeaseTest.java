package io.alerthub.core.cluster;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.alerthub.core.dispatch.LaneLease;
import io.alerthub.core.testing.ClusterYaml;
import io.alerthub.core.testing.NatsServer;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lane's lease in a KV bucket of the shared NATS (a bucket of the test's own): one holder at a time, a takeover
 * from the stored cursor when the holder goes silent, a stale holder refused, a clean release handed over at once.
 */
class KvLaneLeaseTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(2);

    private final String bucket = ClusterYaml.privateStream("lease");
    private final List<KvLaneLease> leases = new ArrayList<>();
    private Connection connection;
    private KeyValue kv;

    @BeforeEach
    void bucket() throws IOException, InterruptedException, JetStreamApiException {
        connection = Nats.connect(NatsServer.shared());
        connection.keyValueManagement().create(KeyValueConfiguration.builder().name(bucket)
                                                       .storageType(StorageType.File).maxHistoryPerKey(1).build());
        kv = connection.keyValue(bucket);
    }

    @AfterEach
    void drop() throws IOException, InterruptedException, JetStreamApiException {
        leases.forEach(KvLaneLease::close);
        connection.keyValueManagement().delete(bucket);
        connection.close();
    }

    private KvLaneLease lease(String instance, AtomicLong busy) {
        KvLaneLease lease = new KvLaneLease(kv, "mqtt", instance, TAKEOVER, busy::get, Clock.systemUTC());
        leases.add(lease);
        return lease;
    }

    @Test
    void oneHolderAtATimeAndATakeoverFromTheStoredCursorWhenItGoesSilent() throws InterruptedException {
        KvLaneLease a = lease("a", new AtomicLong());
        LaneLease.Grant first = a.acquire(Duration.ofSeconds(10));
        assertNotNull(first);
        assertEquals(-1, first.cursor(), "a lane that never ran has no cursor");
        KvLaneLease b = lease("b", new AtomicLong());
        assertTrue(a.store(42));
        // b watches a renewing: several takeover times pass without a takeover
        assertNull(b.acquire(TAKEOVER.multipliedBy(2)));
        assertEquals("a", b.holder());
        assertTrue(a.held());

        a.close(); // dies: no renewal, no release
        LaneLease.Grant taken = b.acquire(TAKEOVER.multipliedBy(4));
        assertNotNull(taken, "b takes the lane over once a is silent for the takeover time");
        assertEquals(42, taken.cursor());
        assertTrue(b.held());
    }

    @Test
    void aStalledHolderLosesTheLaneAndCanNoLongerStoreItsCursor() throws InterruptedException {
        AtomicLong busy = new AtomicLong();
        KvLaneLease a = lease("a", busy);
        assertNotNull(a.acquire(Duration.ofSeconds(10)));
        assertTrue(a.store(7));
        KvLaneLease b = lease("b", new AtomicLong());

        busy.set(Long.MAX_VALUE); // stuck in one delivery: a stops renewing
        LaneLease.Grant taken = b.acquire(TAKEOVER.multipliedBy(4));
        assertNotNull(taken);
        assertEquals(7, taken.cursor());
        assertFalse(a.held(), "a held it no longer than 0.6 of the takeover time after its last renewal");
        assertFalse(a.store(9), "the stale holder's write is refused");
        assertTrue(b.store(8));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.holder().equals("b"));
    }

    @Test
    void aCleanReleaseIsTakenAtOnceAndARestartTakesBackItsOwnLease() throws InterruptedException {
        KvLaneLease a = lease("a", new AtomicLong());
        assertNotNull(a.acquire(Duration.ofSeconds(10)));
        assertTrue(a.store(3));
        a.close();

        // the same instance, restarted: its lease in its own name is its own at once
        KvLaneLease again = lease("a", new AtomicLong());
        LaneLease.Grant back = again.acquire(TAKEOVER.dividedBy(2));
        assertNotNull(back);
        assertEquals(3, back.cursor());

        KvLaneLease b = lease("b", new AtomicLong());
        assertTrue(again.store(5));
        again.release();
        LaneLease.Grant handed = b.acquire(TAKEOVER.dividedBy(2));
        assertNotNull(handed, "a released lease is taken without waiting for the takeover time");
        assertEquals(5, handed.cursor());
        await().atMost(Duration.ofSeconds(5)).until(() -> !again.held());
    }
}
