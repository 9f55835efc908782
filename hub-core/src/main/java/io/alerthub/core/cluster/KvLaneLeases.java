package io.alerthub.core.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import io.alerthub.core.dispatch.LaneLease;
import io.alerthub.core.dispatch.LaneLeases;

import io.nats.client.KeyValue;

/** The leases of this instance's lanes with side effects, each a {@link KvLaneLease} in the cluster's bucket. */
final class KvLaneLeases implements LaneLeases, AutoCloseable {

    private final KeyValue kv;
    private final String instanceId;
    private final Duration takeoverAfter;
    private final Clock clock;
    private final List<KvLaneLease> made = new CopyOnWriteArrayList<>();

    KvLaneLeases(KeyValue kv, String instanceId, Duration takeoverAfter, Clock clock) {
        this.kv = kv;
        this.instanceId = instanceId;
        this.takeoverAfter = takeoverAfter;
        this.clock = clock;
    }

    @Override
    public LaneLease lease(String name, LongSupplier busyNanos) {
        KvLaneLease lease = new KvLaneLease(kv, name, instanceId, takeoverAfter, busyNanos, clock);
        made.add(lease);
        return lease;
    }

    /** Stops watching; a lease still held is not released (its lane released it, or it runs out). */
    @Override
    public void close() {
        made.forEach(KvLaneLease::close);
    }
}
