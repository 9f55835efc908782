package io.alerthub.core.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.alerthub.core.event.EventDraft;
import io.alerthub.core.log.SegmentedEventLog;
import io.alerthub.core.log.SharedEventLog;
import io.alerthub.spi.Event;

/**
 * The event log of a cluster instance: appends go to the JetStream stream (the {@code 202} waits for its
 * acknowledgement, and {@code seq} is the stream's sequence), reads come from this instance's copy of the stream, a
 * {@link SegmentedEventLog} that {@link StreamMirror} keeps up to date. Every instance copies the same stream, so
 * every one holds the same events with the same {@code seq}s, and serves history, resumes and its lanes locally.
 */
public final class JetStreamEventLog implements SharedEventLog {

    private final SegmentedEventLog copy;
    private final StreamPublisher publisher;
    private final StreamMirror mirror;
    private final Duration publishTimeout;

    JetStreamEventLog(SegmentedEventLog copy, StreamPublisher publisher, StreamMirror mirror, Duration publishTimeout) {
        this.copy = copy;
        this.publisher = publisher;
        this.mirror = mirror;
        this.publishTimeout = publishTimeout;
    }

    /**
     * Stores the events in the stream and returns once the engine has acknowledged them. It does not wait for this
     * instance's copy to show them (that would be a second hop in every request, paid by every producer for the
     * sake of one that reads its own instance back at once); the copy follows within a millisecond or so.
     */
    @Override
    public List<Appended> appendUnique(List<EventDraft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        return publisher.publish(drafts);
    }

    /** {@link #appendUnique} for a caller that wants the events: a duplicate gives the original's {@code seq}. */
    @Override
    public List<Event> write(List<EventDraft> drafts) {
        List<Appended> appended = publisher.publish(drafts);
        List<Event> events = new ArrayList<>(appended.size());
        for (int i = 0; i < appended.size(); i++) {
            events.add(drafts.get(i).withSeq(appended.get(i).seq()));
        }
        return events;
    }

    /** Waits, at most the publish timeout, until the copy shows {@code seq}: the stream has it already. */
    @Override
    public void commit(long seq) {
        try {
            copy.awaitAfter(seq - 1, publishTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The stream's sequence has no holes of its own: every number is an event (or one retention removed). */
    @Override
    public long unassigned(long afterSeq, long beforeSeq) {
        return 0;
    }

    @Override
    public long headSeq() {
        return copy.headSeq();
    }

    @Override
    public long firstSeq() {
        return copy.firstSeq();
    }

    @Override
    public List<Event> read(long afterSeq, int max) {
        return copy.read(afterSeq, max);
    }

    @Override
    public boolean awaitAfter(long afterSeq, Duration timeout) throws InterruptedException {
        return copy.awaitAfter(afterSeq, timeout);
    }

    /**
     * A client may bring a {@code seq} from another instance that this one has not copied yet: wait for it when the
     * stream holds it (asking the engine once when it is beyond what is known here).
     */
    @Override
    public long awaitHead(long seq, Duration timeout) throws InterruptedException {
        long head = copy.headSeq();
        if (seq <= head) {
            return head;
        }
        long known = mirror.streamLast();
        if (seq > known) {
            known = mirror.refreshStreamLast();
        }
        if (seq <= known) {
            copy.awaitAfter(seq - 1, timeout);
        }
        return copy.headSeq();
    }

    @Override
    public void forEachSince(Instant since, Consumer<Event> action) {
        copy.forEachSince(since, action);
    }

    @Override
    public void enforceRetention() {
        copy.enforceRetention();
    }

    /** The stream's last sequence as far as this instance knows. */
    long streamLast() {
        return mirror.streamLast();
    }

    /** Events this instance never had: the stream had removed them before it copied them. */
    long trimmed() {
        return mirror.trimmed();
    }

    @Override
    public void close() {
        mirror.close();
        copy.close();
    }
}
