package io.alerthub.core.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.alerthub.core.notify.Silences;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The silences of a cluster as one key of its bucket ({@code silences}): a change is a compare-and-set on the key's
 * revision, read and applied again when another instance wrote first; every instance reads the key every
 * {@link #POLL} and takes a new revision, so a silence created through any instance applies on all of them within
 * that time.
 */
final class KvSharedSilences implements Silences.Shared, AutoCloseable {

    static final Duration POLL = Duration.ofMillis(250);
    private static final String KEY = "silences";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyValue kv;
    private volatile long seen;
    private volatile boolean closed;
    private Thread poller;

    KvSharedSilences(KeyValue kv) {
        this.kv = kv;
    }

    @Override
    public synchronized JsonNode update(UnaryOperator<JsonNode> change) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                KeyValueEntry e = kv.get(KEY);
                JsonNode current = e == null || e.getValue() == null ? null : JSON.readTree(e.getValue());
                JsonNode next = change.apply(current);
                byte[] bytes = JSON.writeValueAsBytes(next);
                seen = e == null ? kv.create(KEY, bytes) : kv.update(KEY, bytes, e.getRevision());
                return next;
            } catch (JetStreamApiException e) {
                // another instance wrote first: apply the change to what it wrote
            } catch (IOException e) {
                throw new IllegalStateException("the cluster's engine (NATS) is not reachable; the silences did not"
                        + " change (" + Engine.rootMessage(e) + ")", e);
            }
        }
        throw new IllegalStateException("the silences keep changing; try again");
    }

    @Override
    public void watch(Consumer<JsonNode> changed) {
        poller = Thread.ofVirtual().name("cluster-silences").start(() -> {
            while (!closed) {
                try {
                    TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
                    KeyValueEntry e = kv.get(KEY);
                    if (e != null && e.getValue() != null && e.getRevision() != seen) {
                        seen = e.getRevision();
                        changed.accept(JSON.readTree(e.getValue()));
                    }
                } catch (InterruptedException x) {
                    return;
                } catch (IOException | JetStreamApiException | RuntimeException x) {
                    // the engine is away: the silences this instance knows stand until it is back
                }
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        if (poller != null) {
            poller.interrupt();
        }
    }
}
