package io.alerthub.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs every characteristic at the configured rate and hands each round of events to a {@link Publisher}. One
 * thread; when publishing falls behind (the hub busy or away) rounds are taken later rather than in a burst.
 */
final class Simulator implements AutoCloseable {

    /** Where a round of events goes. */
    interface Publisher {
        /**
         * Delivers the events (in order), retrying for as long as it takes.
         *
         * @throws HubRefusedException when the hub refuses them for good (a bad token)
         */
        void publish(List<ObjectNode> events) throws InterruptedException;
    }

    private static final System.Logger LOG = System.getLogger(Simulator.class.getName());

    private final List<CharacteristicRun> runs = new ArrayList<>();
    private final Duration interval;
    private final Publisher publisher;
    private final Clock clock;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param firstId the first sample and violation id: pick one above every id an earlier run may have published
     *                to the same hub, so that the hub's deduplication never mistakes a new event for an old one
     */
    Simulator(SimulationSettings settings, long firstId, Publisher publisher, Clock clock) {
        this.interval = Duration.ofNanos(Math.round(1e9 / settings.rate()));
        this.publisher = publisher;
        this.clock = clock;
        RuleEngine rules = new RuleEngine(settings.rules());
        AtomicLong sampleIds = new AtomicLong(firstId);
        AtomicLong violationIds = new AtomicLong(firstId);
        SplittableRandom seeds = new SplittableRandom(settings.seed());
        for (CharacteristicSpec spec : settings.characteristics()) {
            runs.add(new CharacteristicRun(spec, settings.subgroupSize(), settings.baseline(), rules, seeds.split(),
                                           sampleIds, violationIds));
        }
    }

    /** One round: a subgroup of every characteristic, judged; logs what changed and what was found. */
    List<ObjectNode> round() {
        List<ObjectNode> events = new ArrayList<>();
        var now = clock.instant();
        for (CharacteristicRun run : runs) {
            CharacteristicRun.Step step = run.next(now);
            events.addAll(step.events());
            String name = run.spec().name();
            step.change().ifPresent(c -> LOG.log(System.Logger.Level.INFO, name + ": " + c.description()));
            step.newLimits().ifPresent(l -> LOG.log(System.Logger.Level.INFO, String.format(
                    java.util.Locale.ROOT, "%s: control limits CL %.5g, UCL %.5g, LCL %.5g", name, l.centerLine(),
                    l.ucl(), l.lcl())));
            for (SpcEvents.Violation v : step.violations()) {
                LOG.log(System.Logger.Level.INFO, name + ": violation " + v.id() + ", rule " + v.rule().id() + " ("
                        + v.rule().title() + "), " + v.rule().severity());
            }
        }
        return events;
    }

    /** Starts publishing rounds on a thread of its own. */
    synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = Thread.ofPlatform().name("spc-simulator").daemon().start(this::run);
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            try {
                publisher.publish(round());
                next += interval.toNanos();
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                } else {
                    next = System.nanoTime();
                }
            } catch (InterruptedException e) {
                return;
            } catch (HubRefusedException e) {
                LOG.log(System.Logger.Level.ERROR, "simulator stopped: " + e.getMessage());
                running = false;
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "simulator stopped: " + e, e);
                running = false;
                return;
            }
        }
    }

    /** Whether rounds are being published (false once stopped, or after the hub refused them). */
    boolean running() {
        return running;
    }

    /** Stops after the round in progress, waiting for it at most a few seconds. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
