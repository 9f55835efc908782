package io.alerthub.core.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.alerthub.core.event.EventDraft;
import io.alerthub.core.log.EngineUnavailableException;
import io.alerthub.core.log.SharedEventLog.Appended;

import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.NUID;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;

/**
 * Stores a request's events in the stream, one message per event, and says what the stream made of each: its
 * sequence (the event's {@code seq}) and whether it was a duplicate.
 *
 * <p>Every message has a {@code Nats-Msg-Id}: the producer's id (JetStream then recognises a second post of it within
 * the stream's duplicate window, from any instance, and answers with the first one's sequence), or for an event
 * without one an id made for this request, so that when an acknowledgement is lost the publisher can send the same
 * message again without storing it twice. The messages of a request are sent together, in order, and the
 * acknowledgements awaited together; what did not get one is sent again, same ids, until
 * {@code cluster.publish-timeout}. NATS 2.9 has no atomic batch: a batch that could not be stored whole within that
 * time is answered 503, and the message says how many of its events the stream did store (those are delivered).
 */
final class StreamPublisher {

    private static final long RECONNECT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Engine engine;
    private final JetStream js;
    private final String subject;
    private final String stream;
    private final Duration timeout;

    StreamPublisher(Engine engine, String subject, String stream, Duration timeout) {
        this.engine = engine;
        this.js = engine.jetStream();
        this.subject = subject;
        this.stream = stream;
        this.timeout = timeout;
    }

    List<Appended> publish(List<EventDraft> drafts) {
        if (!engine.up()) {
            throw new EngineUnavailableException("the cluster's engine (NATS) is not reachable; nothing was stored");
        }
        int n = drafts.size();
        String request = NUID.nextGlobal();
        Message[] messages = new Message[n];
        PublishOptions[] options = new PublishOptions[n];
        for (int i = 0; i < n; i++) {
            EventDraft d = drafts.get(i);
            messages[i] = StreamRecords.message(subject, d);
            options[i] = PublishOptions.builder().messageId(StreamRecords.messageId(d, request, i))
                    .expectedStream(stream).build();
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<PublishAck>[] acks = new CompletableFuture[n];
        boolean[] resent = new boolean[n];
        Appended[] out = new Appended[n];
        int done = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastFailure = "no acknowledgement";
        while (true) {
            int before = done;
            for (int i = 0; i < n; i++) {
                if (out[i] == null && acks[i] == null) {
                    try {
                        acks[i] = js.publishAsync(messages[i], options[i]);
                    } catch (RuntimeException e) {
                        lastFailure = Engine.rootMessage(e);
                        break; // disconnected: the rest would fail the same way; wait below
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                if (out[i] != null || acks[i] == null) {
                    continue;
                }
                try {
                    PublishAck ack = acks[i].get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    // A duplicate of our own earlier attempt (its acknowledgement was lost) is this request's event.
                    boolean duplicate = ack.isDuplicate() && !resent[i] && drafts.get(i).id().isPresent();
                    out[i] = new Appended(ack.getSeqno(), duplicate);
                    done++;
                } catch (ExecutionException e) {
                    lastFailure = Engine.rootMessage(e);
                    acks[i] = null;
                    resent[i] = true;
                } catch (TimeoutException e) {
                    lastFailure = "no acknowledgement within " + timeout;
                    acks[i] = null;
                    resent[i] = true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw refused(n, done, "interrupted");
                }
            }
            if (done == n) {
                List<Appended> result = new ArrayList<>(n);
                for (Appended a : out) {
                    result.add(a);
                }
                return result;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw refused(n, done, lastFailure);
            }
            awaitConnection(deadline, done == before);
        }
    }

    /** Waits while the engine is away (and a moment anyway when the last round stored nothing). */
    private void awaitConnection(long deadline, boolean stalled) {
        boolean first = true;
        while ((first && stalled || !engine.up()) && System.nanoTime() - deadline < 0) {
            first = false;
            try {
                TimeUnit.NANOSECONDS.sleep(RECONNECT_POLL_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private EngineUnavailableException refused(int n, int stored, String why) {
        if (stored == 0) {
            return new EngineUnavailableException("the cluster's engine (NATS) did not store the "
                    + (n == 1 ? "event" : "events") + " within " + timeout + " (" + why + "); nothing was stored");
        }
        return new EngineUnavailableException("the cluster's engine (NATS) became unavailable during the batch ("
                + why + "): " + stored + " of its " + n + " events were stored and will be delivered, the others were"
                + " not; post the batch again (events with an id are recognised as duplicates)");
    }
}
