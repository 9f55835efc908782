package io.alerthub.core.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.DeliveryException;
import io.alerthub.spi.Event;
import io.alerthub.spi.Health;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.Notifier;
import io.alerthub.spi.NotifierProvider;

/**
 * A test plugin that misbehaves on purpose: {@code behaviour} is one of
 * {@code throw} (a RuntimeException every time), {@code hang} (blocks until {@link #release()}), {@code deadlock}
 * (delivery and close block, deaf to interrupts, until {@link #release()}),
 * {@code slow} (waits {@code delay} per event), {@code retryable} / {@code permanent} / {@code unavailable}
 * (throws that kind of DeliveryException for the first {@code fail-times} attempts, then delivers),
 * {@code no-start} (its {@code start()} throws; it would deliver), {@code fine} (delivers).
 */
public final class FaultyProvider implements NotifierProvider {

    private static final Map<String, Faulty> BY_DATA_DIR = new ConcurrentHashMap<>();
    private static volatile CountDownLatch hang = new CountDownLatch(1);

    /** The faulty notifier of the hub with this data dir. */
    public static Faulty instance(java.nio.file.Path dataDir) {
        return BY_DATA_DIR.get(dataDir.toAbsolutePath().normalize().toString());
    }

    /** Lets every hanging delivery go on, now and later (a new hanging plugin hangs again). */
    public static void release() {
        hang.countDown();
    }

    @Override
    public String type() {
        return "faulty";
    }

    @Override
    public boolean enabledByDefault() {
        return false;
    }

    @Override
    public Notifier create(ConfigNode config, HubContext hub) {
        if (config.string("behaviour", "throw").equals("hang") || config.string("behaviour", "").equals("deadlock")) {
            hang = new CountDownLatch(1);
        }
        Faulty f = new Faulty(config.string("behaviour", "throw"), config.integer("fail-times", Integer.MAX_VALUE, 0,
                                                                                   Integer.MAX_VALUE),
                              config.duration("delay", Duration.ofMillis(100)));
        BY_DATA_DIR.put(hub.dataDir().getParent().getParent().toAbsolutePath().normalize().toString(), f);
        return f;
    }

    /** The misbehaving notifier; counts every attempt. */
    public static final class Faulty implements Notifier {
        private final String behaviour;
        private final int failTimes;
        private final Duration delay;
        private final AtomicInteger attempts = new AtomicInteger();
        private final AtomicInteger starts = new AtomicInteger();
        private final List<Long> attemptNanos = new CopyOnWriteArrayList<>();
        private final List<Event> delivered = new CopyOnWriteArrayList<>();
        private volatile Health health = Health.up();

        Faulty(String behaviour, int failTimes, Duration delay) {
            this.behaviour = behaviour;
            this.failTimes = failTimes;
            this.delay = delay;
        }

        @Override
        public void deliver(Event event) throws DeliveryException {
            int n = attempts.incrementAndGet();
            attemptNanos.add(System.nanoTime());
            switch (behaviour) {
                case "throw" -> throw new IllegalStateException("faulty plugin bug");
                case "hang" -> {
                    try {
                        hang.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw DeliveryException.retryable("interrupted");
                    }
                }
                case "slow" -> {
                    // Plays a slow channel (the delivery itself takes this long); no test waits on it.
                    LockSupport.parkNanos(delay.toNanos());
                    if (Thread.interrupted()) {
                        throw DeliveryException.retryable("interrupted");
                    }
                }
                case "retryable" -> {
                    if (n <= failTimes) {
                        throw DeliveryException.retryable("try again (" + n + ")");
                    }
                }
                case "permanent" -> {
                    if (n <= failTimes) {
                        throw DeliveryException.permanent("never (" + n + ")");
                    }
                }
                case "deadlock" -> deadlocked();
                case "unavailable" -> {
                    if (n <= failTimes) {
                        throw DeliveryException.unavailable("channel away (" + n + ")");
                    }
                }
                default -> {
                }
            }
            delivered.add(event);
        }

        @Override
        public void start() {
            starts.incrementAndGet();
            if (behaviour.equals("no-start")) {
                throw new IllegalStateException("faulty plugin cannot start");
            }
        }

        @Override
        public Health health() {
            return health;
        }

        /** A deadlock: blocked, deaf to interrupts, until {@link #release()}. */
        private static void deadlocked() {
            CountDownLatch latch = hang;
            while (latch.getCount() > 0) {
                LockSupport.parkNanos(latch, 50_000_000L);
                Thread.interrupted();
            }
        }

        @Override
        public void close() {
            if (behaviour.equals("deadlock")) {
                deadlocked();
            }
        }

        public void health(Health h) {
            health = h;
        }

        public int attempts() {
            return attempts.get();
        }

        /** How many times the hub started this notifier. */
        public int starts() {
            return starts.get();
        }

        public List<Long> attemptNanos() {
            return attemptNanos;
        }

        public List<Event> delivered() {
            return delivered;
        }
    }
}
