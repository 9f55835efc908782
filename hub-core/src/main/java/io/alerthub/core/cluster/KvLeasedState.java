package io.alerthub.core.cluster;

import java.io.IOException;
import java.util.Optional;

import io.alerthub.core.dispatch.LeasedState;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A single consumer's state as one key of the cluster's bucket ({@code state.<name>}), written by compare-and-set on
 * the revision this instance last wrote or claimed: a holder that lost the lease cannot overwrite its successor's.
 */
final class KvLeasedState implements LeasedState {

    private static final System.Logger LOG = System.getLogger(KvLeasedState.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyValue kv;
    private final String key;
    private long revision;
    private boolean tooLargeLogged;

    KvLeasedState(KeyValue kv, String name) {
        this.kv = kv;
        this.key = "state." + name;
    }

    @Override
    public synchronized Optional<JsonNode> claim() {
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                KeyValueEntry e = kv.get(key);
                if (e == null || e.getValue() == null) {
                    revision = 0;
                    return Optional.empty();
                }
                revision = kv.update(key, e.getValue(), e.getRevision());
                return Optional.of(JSON.readTree(e.getValue()));
            } catch (JetStreamApiException e) {
                // written in between: read it again
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + key + " from the cluster's engine: "
                        + Engine.rootMessage(e), e);
            }
        }
        throw new IllegalStateException("cannot claim " + key + ": it keeps changing");
    }

    @Override
    public synchronized boolean write(JsonNode state) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(state);
            revision = revision == 0 ? kv.create(key, bytes) : kv.update(key, bytes, revision);
            return true;
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() == 413 || String.valueOf(e.getMessage()).toLowerCase().contains("too large")) {
                tooLarge(e);
            }
            return false;
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).toLowerCase().contains("payload")) {
                tooLarge(e);
            }
            return false;
        } catch (IllegalArgumentException e) {
            tooLarge(e); // the client refuses a message over the server's maximum payload itself
            return false;
        }
    }

    private void tooLarge(Exception e) {
        if (!tooLargeLogged) {
            tooLargeLogged = true;
            LOG.log(System.Logger.Level.WARNING, "cluster: " + key + " is too large for the engine ("
                    + Engine.rootMessage(e) + "); it is kept on this instance only until it is smaller");
        }
    }
}
