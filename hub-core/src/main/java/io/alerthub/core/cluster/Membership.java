package io.alerthub.core.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * This instance's entry among the cluster's members ({@code member.<id>} in the bucket: when it was last seen and
 * which lanes with side effects it runs), written every {@code takeover-after / 4}, and what it last read of the
 * others and of the lanes' leases, for {@code GET /api/v1/cluster}. An instance that stops cleanly removes its entry;
 * one that died drops out of the list once not seen for three takeover times.
 */
final class Membership implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One member as last read.
     *
     * @param instanceId its id
     * @param lastSeen   when it last wrote its entry
     * @param lanes      the lanes with side effects it ran then
     * @param url        where it listens
     */
    record Member(String instanceId, Instant lastSeen, List<String> lanes, String url) {
    }

    /**
     * One leased lane as last read.
     *
     * @param name   the lane (the plugin's name)
     * @param holder the instance holding it; empty when none
     * @param cursor its stored cursor; -1 when none
     */
    record Lane(String name, String holder, long cursor) {
    }

    private final KeyValue kv;
    private final String instanceId;
    private final String url;
    private final Supplier<List<String>> lanes;
    private final Clock clock;
    private final long intervalNanos;
    private final Duration forgetAfter;
    private final Thread thread;
    private volatile List<Member> members = List.of();
    private volatile List<Lane> leases = List.of();
    private volatile boolean closed;

    Membership(KeyValue kv, String instanceId, String url, Duration takeoverAfter, Supplier<List<String>> lanes,
               Clock clock) {
        this.kv = kv;
        this.instanceId = instanceId;
        this.url = url;
        this.lanes = lanes;
        this.clock = clock;
        this.intervalNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(250), takeoverAfter.toNanos() / 4);
        this.forgetAfter = takeoverAfter.multipliedBy(3);
        this.thread = Thread.ofVirtual().name("cluster-membership").unstarted(this::run);
    }

    void start() {
        beat();
        thread.start();
    }

    List<Member> members() {
        return members;
    }

    List<Lane> leases() {
        return leases;
    }

    private void run() {
        while (!closed) {
            try {
                TimeUnit.NANOSECONDS.sleep(intervalNanos);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                beat();
            }
        }
    }

    /** Writes this instance's entry, then reads everyone's. */
    private void beat() {
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("instance_id", instanceId);
            m.put("last_seen", clock.instant().toString());
            m.put("lanes", lanes.get());
            m.put("url", url);
            kv.put(key(instanceId), JSON.writeValueAsBytes(m));
            read();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            // the engine is away: the last list read stands
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() throws IOException, JetStreamApiException, InterruptedException {
        Instant horizon = clock.instant().minus(forgetAfter);
        List<Member> seen = new ArrayList<>();
        List<Lane> held = new ArrayList<>();
        for (String k : kv.keys()) {
            KeyValueEntry e = kv.get(k);
            if (e == null || e.getValue() == null) {
                continue;
            }
            if (k.startsWith("member.")) {
                Member member = member(e.getValue());
                if (member != null && member.lastSeen().isAfter(horizon)) {
                    seen.add(member);
                }
            } else if (k.startsWith("lane.")) {
                LeaseValue v = LeaseValue.parse(e.getValue());
                held.add(new Lane(k.substring("lane.".length()), v.holder(), v.cursor()));
            }
        }
        seen.sort(Comparator.comparing(Member::instanceId));
        held.sort(Comparator.comparing(Lane::name));
        members = List.copyOf(seen);
        leases = List.copyOf(held);
    }

    private static Member member(byte[] value) {
        try {
            JsonNode n = JSON.readTree(value);
            List<String> lanes = new ArrayList<>();
            n.path("lanes").forEach(l -> lanes.add(l.asText()));
            return new Member(n.path("instance_id").asText(), Instant.parse(n.path("last_seen").asText()),
                              List.copyOf(lanes), n.path("url").asText(""));
        } catch (IOException | DateTimeParseException e) {
            return null;
        }
    }

    /** A KV key may hold only a few characters: the id goes in as URL-safe base64. */
    private static String key(String instanceId) {
        return "member." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(instanceId.getBytes(StandardCharsets.UTF_8));
    }

    /** Stops beating and removes this instance's entry. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            kv.delete(key(instanceId));
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            // away: the entry ages out of the others' lists
        }
    }
}
