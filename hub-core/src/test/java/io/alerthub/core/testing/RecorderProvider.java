package io.alerthub.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.DeliveryException;
import io.alerthub.spi.Event;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.LocalDelivery;
import io.alerthub.spi.Notifier;
import io.alerthub.spi.NotifierProvider;

/**
 * A test plugin that records what it is given: in memory (per hub data dir) and, when {@code file} is set,
 * as one seq per line in a file (so a test can read what a hub in another process delivered). With
 * {@code local: true} it delivers locally ({@link LocalDelivery}): in cluster mode every instance runs it.
 */
public final class RecorderProvider implements NotifierProvider {

    private static final Map<Path, List<Event>> RECORDED = new ConcurrentHashMap<>();

    /** What the recorder of the hub whose plugin data lives under {@code dataDir} was given. */
    public static List<Event> recorded(Path dataDir) {
        return RECORDED.computeIfAbsent(dataDir.toAbsolutePath().normalize(), k -> new CopyOnWriteArrayList<>());
    }

    @Override
    public String type() {
        return "recorder";
    }

    @Override
    public boolean enabledByDefault() {
        return false;
    }

    @Override
    public Notifier create(ConfigNode config, HubContext hub) {
        Path file = config.string("file").map(Path::of).orElse(null);
        boolean local = config.bool("local", false);
        Path key = hub.dataDir().getParent().getParent().toAbsolutePath().normalize();
        Notifier recorder = event -> {
            recorded(key).add(event);
            if (file != null) {
                try {
                    Files.writeString(file, event.seq() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                                      StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return local ? new Local(recorder) : recorder;
    }

    /** With {@code local: true}: a plugin that delivers to this instance only (every cluster instance runs it). */
    private record Local(Notifier recorder) implements Notifier, LocalDelivery {
        @Override
        public void deliver(Event event) throws DeliveryException {
            recorder.deliver(event);
        }
    }
}
