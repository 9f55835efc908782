package io.alerthub.core.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.alerthub.core.testing.ClusterYaml;
import io.alerthub.core.testing.FaultyProvider;
import io.alerthub.core.testing.NatsServer;
import io.alerthub.core.testing.TestHub;
import io.alerthub.spi.Event;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lane with side effects moves to another instance not only when its instance dies: when its plugin cannot start
 * there, and when it is stuck in one delivery for longer than the takeover time (a stalled channel on that instance
 * alone). The other instance goes on from the stored cursor; nothing is lost.
 */
class LeasedLaneTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private final String stream = ClusterYaml.privateStream("leased");
    private final String url = NatsServer.shared();
    private final List<TestHub> hubs = new ArrayList<>();

    @AfterEach
    void stop() {
        FaultyProvider.release();
        hubs.forEach(TestHub::close);
        NatsServer.deleteStream(url, stream);
    }

    private TestHub start(String name, String behaviour) {
        TestHub h = TestHub.start(dir.resolve(name), "", ClusterYaml.section(url, stream, name, TAKEOVER)
                + "plugins:\n  faulty: { enabled: true, behaviour: " + behaviour + " }\n");
        hubs.add(h);
        return h;
    }

    private List<Long> publish(TestHub to, int from, int count) {
        List<Long> seqs = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            seqs.add(to.publish("{\"type\":\"sample\",\"characteristic_id\":1,\"payload\":{\"i\":" + i + "}}")
                             .getFirst());
        }
        return seqs;
    }

    @Test
    void aPluginThatCannotStartOnOneInstanceRunsOnAnother() {
        TestHub a = start("a", "no-start");
        // a takes the lane first, fails to start the plugin and steps down
        await().atMost(Duration.ofSeconds(10)).until(() -> FaultyProvider.instance(a.dataDir()).starts() > 0);
        TestHub b = start("b", "fine");
        List<Long> seqs = publish(b, 0, 5);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(
                seqs, FaultyProvider.instance(b.dataDir()).delivered().stream().map(Event::seq).toList()));
        assertTrue(FaultyProvider.instance(a.dataDir()).delivered().isEmpty(), "a never ran the lane");
    }

    @Test
    void aLaneStuckInOneDeliveryMovesToAnotherInstance() {
        TestHub a = start("a", "hang");
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.pluginStatus("faulty").reason().startsWith("standby"));
        TestHub b = start("b", "fine");
        List<Long> seqs = publish(a, 0, 3); // a's lane hangs in the first one
        await().atMost(Duration.ofSeconds(10)).until(() -> FaultyProvider.instance(a.dataDir()).attempts() > 0);
        await().atMost(TAKEOVER.multipliedBy(5)).untilAsserted(() -> assertEquals(
                seqs, FaultyProvider.instance(b.dataDir()).delivered().stream().map(Event::seq).toList()));
        assertTrue(b.pluginStatus("faulty").reason().isEmpty() || !b.pluginStatus("faulty").reason()
                .startsWith("standby"), "b runs the lane now");
    }
}
