package io.alerthub.core.cluster;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import io.alerthub.core.config.ClusterSettings;
import io.alerthub.core.config.HubSettings;
import io.alerthub.spi.ConfigException;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

/**
 * Creates the cluster's stream and KV bucket when they are missing, and refuses to run on a stream whose settings
 * are not the ones configured, naming the key (a stream is shared: the first instance creates it, the next ones must
 * agree with it). The settings checked are those the hub's promises rest on: file storage, the replicas, the
 * deduplication window and the retention limits.
 */
final class StreamSetup {

    private static final System.Logger LOG = System.getLogger(StreamSetup.class.getName());
    /** JetStream's "not found" API error codes, for a stream and for a bucket's stream. */
    private static final int STREAM_NOT_FOUND = 10059;

    private StreamSetup() {
    }

    /**
     * Makes sure the stream and the bucket exist as configured.
     *
     * @return when the stream was created: an instance's local copy belongs to that stream and no other
     * @throws ConfigException naming the key whose value the existing stream contradicts
     */
    static Instant ensure(Engine engine, ClusterSettings cluster, HubSettings hub) {
        JetStreamManagement jsm = engine.management();
        StreamConfiguration wanted = StreamConfiguration.builder()
                .name(cluster.stream())
                .subjects(cluster.subject())
                .storageType(StorageType.File)
                .replicas(cluster.replicas())
                .retentionPolicy(RetentionPolicy.Limits)
                .discardPolicy(DiscardPolicy.Old)
                .duplicateWindow(hub.dedupWindow())
                .maxMessages(hub.log().retentionEvents())
                .maxAge(hub.log().retentionAge())
                .build();
        try {
            StreamInfo info;
            try {
                info = jsm.getStreamInfo(cluster.stream());
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                    throw e;
                }
                info = create(jsm, wanted);
            }
            check(info.getConfiguration(), wanted, cluster);
            ensureBucket(engine.connection().keyValueManagement(), cluster);
            return info.getCreateTime().toInstant();
        } catch (IOException e) {
            throw new ConfigException("cluster.nats-urls", "the engine does not answer JetStream requests ("
                    + Engine.rootMessage(e) + "); is JetStream enabled on the NATS server (nats-server -js)?");
        } catch (JetStreamApiException e) {
            throw new ConfigException("cluster.stream", "the engine refused the stream " + cluster.stream() + ": "
                    + e.getMessage());
        }
    }

    private static StreamInfo create(JetStreamManagement jsm, StreamConfiguration wanted)
            throws IOException, JetStreamApiException {
        try {
            StreamInfo info = jsm.addStream(wanted);
            LOG.log(System.Logger.Level.INFO, "cluster: created the stream " + wanted.getName() + " ("
                    + wanted.getReplicas() + " replica" + (wanted.getReplicas() == 1 ? "" : "s") + ")");
            return info;
        } catch (JetStreamApiException e) {
            // Another instance starting at the same moment created it first: check that one.
            return jsm.getStreamInfo(wanted.getName());
        }
    }

    private static void check(StreamConfiguration found, StreamConfiguration wanted, ClusterSettings cluster) {
        String name = cluster.stream();
        if (!found.getSubjects().contains(cluster.subject())) {
            throw new ConfigException("cluster.stream", "the stream " + name + " exists for the subjects "
                    + found.getSubjects() + ", not " + cluster.subject() + ": it is not an AlertHub stream;"
                    + " choose another name");
        }
        if (found.getStorageType() != StorageType.File) {
            throw new ConfigException("cluster.stream", "the stream " + name + " keeps its messages in memory;"
                    + " AlertHub needs file storage (accepted events must survive a restart of the engine)");
        }
        if (found.getRetentionPolicy() != RetentionPolicy.Limits) {
            throw new ConfigException("cluster.stream", "the stream " + name + " has the "
                    + found.getRetentionPolicy() + " retention policy; AlertHub needs Limits");
        }
        if (found.getReplicas() != wanted.getReplicas()) {
            throw new ConfigException("cluster.replicas", "the stream " + name + " has " + found.getReplicas()
                    + " replicas, the configuration says " + wanted.getReplicas());
        }
        if (!same(found.getDuplicateWindow(), wanted.getDuplicateWindow())) {
            throw new ConfigException("hub.dedup-window", "the stream " + name + " deduplicates over "
                    + found.getDuplicateWindow() + ", the configuration says " + wanted.getDuplicateWindow());
        }
        if (found.getMaxMsgs() != wanted.getMaxMsgs()) {
            throw new ConfigException("hub.log.retention-events", "the stream " + name + " keeps at most "
                    + found.getMaxMsgs() + " events, the configuration says " + wanted.getMaxMsgs());
        }
        if (!same(found.getMaxAge(), wanted.getMaxAge())) {
            throw new ConfigException("hub.log.retention-age", "the stream " + name + " keeps events for "
                    + found.getMaxAge() + ", the configuration says " + wanted.getMaxAge());
        }
    }

    private static boolean same(Duration a, Duration b) {
        return (a == null ? Duration.ZERO : a).equals(b == null ? Duration.ZERO : b);
    }

    private static void ensureBucket(KeyValueManagement kvm, ClusterSettings cluster)
            throws IOException, JetStreamApiException {
        try {
            int replicas = kvm.getStatus(cluster.bucket()).getReplicas();
            if (replicas != cluster.replicas()) {
                throw new ConfigException("cluster.replicas", "the KV bucket " + cluster.bucket() + " has " + replicas
                        + " replicas, the configuration says " + cluster.replicas());
            }
            return;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
        }
        try {
            kvm.create(KeyValueConfiguration.builder()
                               .name(cluster.bucket())
                               .storageType(StorageType.File)
                               .replicas(cluster.replicas())
                               .maxHistoryPerKey(1)
                               .build());
        } catch (JetStreamApiException e) {
            kvm.getStatus(cluster.bucket()); // created by another instance meanwhile; anything else fails here
        }
    }
}
