package io.alerthub.websocket;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.alerthub.spi.Event;
import io.alerthub.spi.EventHistory;

/**
 * One client: its subscription, its bounded send queue and the one writer (a virtual thread) that drains it. The
 * writer exists only while there is something to send: it is started by the first item queued into an empty queue
 * and ends when the queue is empty again, so an idle connection holds no thread of its own.
 *
 * <p>Nothing but the writer touches the socket. The lane and the client's own reader only enqueue; a full queue
 * means the client reads too slowly and is closed (1008) rather than sent a shortened stream. A resume is a mark
 * in the queue: when the writer reaches it, it replays from the history at the client's pace while live events
 * for this client are skipped (the history has them too), so nothing is buffered meanwhile; the replay ends only
 * when it has read past every live event skipped, then live delivery resumes after the last seq replayed.
 *
 * <p>Locks: {@code lock} guards the queue and delivery state; {@code writing} is held around each socket write.
 * The router's lock is always taken before {@code lock}, never after.
 */
final class Connection {

    /** Which wire dialect the connection speaks. */
    enum Dialect { ALERTHUB, OPENSPC }

    /** OPEN, then CLOSING once the hub decided to close it, then CLOSED once its resources are freed. */
    enum State { OPEN, CLOSING, CLOSED }

    private record Replay(long since) {
    }

    private record Close(int code, String reason) {
    }

    private static final int PAGE = 64;
    /** How long a resume waits for events a cluster's other instance has shown and this one not yet. */
    private static final Duration RESUME_CATCH_UP = Duration.ofSeconds(5);
    private static final int BATCH = 32;
    private static final int COALESCE_BYTES = 32 * 1024;
    private static final ThreadFactory WRITERS = Thread.ofVirtual().name("websocket-writer").factory();

    private final UUID id;
    private final Dialect dialect;
    /** The client agreed on permessage-deflate: events go to it compressed. */
    private final boolean compressed;
    private final SessionTransport transport;
    private final Thread reader;
    private final Connections owner;
    private final SubscriptionIndex.Entry<Connection> entry = new SubscriptionIndex.Entry<>(this);
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock writing = new ReentrantLock();
    private final SendQueue queue;
    private final RateLimiter rate;
    private final String remote;

    private volatile State state = State.OPEN;
    private volatile Subscription subscription = Subscription.EMPTY;
    private volatile long lastHeard;
    private volatile long closeDeadline;
    /** When the client's token expires (System.nanoTime), or 0 for never. */
    private volatile long expiresAt;
    private volatile long sentSeq;
    private volatile long lastCriticalSent;
    private volatile long ackedSeq;
    private volatile int replaysPending;
    /** Set when the hub closes without sending what is queued: frames the writer already took are dropped too. */
    private volatile boolean discarding;
    private long skippedUpTo;
    private boolean writerActive;
    private Object[] batch;
    private long nextPing;
    private StringBuilder fragments;

    Connection(UUID id, Dialect dialect, boolean compressed, SessionTransport transport, Thread reader,
               Connections owner, WebSocketSettings settings, long now) {
        this.id = id;
        this.dialect = dialect;
        this.compressed = compressed;
        this.transport = transport;
        this.reader = reader;
        this.owner = owner;
        this.queue = new SendQueue(settings.sendQueue());
        this.rate = new RateLimiter(settings.rateLimit(), now);
        this.remote = transport.remote();
        this.lastHeard = now;
        // The first ping comes at a random point of the second half of the first interval, and the next ones an
        // interval apart: clients that connect together (a dashboard fleet after a restart) are not all pinged,
        // and do not all answer, in the same instant. Measured here: 1,000 pongs at once stalled delivery for
        // 30-200 ms every interval.
        long interval = settings.heartbeatInterval().toNanos();
        this.nextPing = now + interval / 2 + ThreadLocalRandom.current().nextLong(interval / 2 + 1);
    }

    UUID id() {
        return id;
    }

    Dialect dialect() {
        return dialect;
    }

    boolean compressed() {
        return compressed;
    }

    State state() {
        return state;
    }

    String remote() {
        return remote;
    }

    SubscriptionIndex.Entry<Connection> entry() {
        return entry;
    }

    Subscription subscription() {
        return subscription;
    }

    void subscription(Subscription s) {
        subscription = s;
    }

    // ---- what the reader thread calls ----

    /** The client sent something: it is alive. */
    void heard(long now) {
        lastHeard = now;
    }

    /** Whether the client may send one more message now. */
    boolean withinRate(long now) {
        return rate.tryAcquire(now);
    }

    /** Collects the fragments of a text message; returns the whole message once its last fragment is in. */
    String assemble(String text, boolean last) {
        if (fragments == null) {
            if (last) {
                return text;
            }
            fragments = new StringBuilder(text);
            return null;
        }
        fragments.append(text);
        if (!last) {
            return null;
        }
        String whole = fragments.toString();
        fragments = null;
        return whole;
    }

    /** Characters of a message still being assembled. */
    int pendingChars() {
        return fragments == null ? 0 : fragments.length();
    }

    void dropFragments() {
        fragments = null;
    }

    void acknowledge(long seq) {
        if (seq > ackedSeq) {
            ackedSeq = seq;
        }
    }

    // ---- enqueueing (lane, reader, heartbeat) ----

    /**
     * A live event for this client.
     *
     * @return {@code false} when the queue is full: the caller closes the client as a slow consumer
     */
    boolean offerEvent(long seq, byte[] frame, boolean critical) {
        boolean start;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return true;
            }
            if (replaysPending > 0) {
                // The replay reads this one from the history, in order, before any later live event.
                skippedUpTo = seq;
                return true;
            }
            if (seq <= sentSeq) {
                return true;
            }
            if (!queue.offer(frame)) {
                return false;
            }
            sentSeq = seq;
            if (critical) {
                lastCriticalSent = seq;
            }
            start = claimWriter();
        } finally {
            lock.unlock();
        }
        startWriter(start);
        return true;
    }

    /**
     * A message of the hub's own (welcome, pong, error...), or an OpenSPC protocol ping.
     *
     * @return {@code false} when the queue is full
     */
    boolean offer(byte[] frame) {
        boolean start;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return true;
            }
            if (!queue.offer(frame)) {
                return false;
            }
            start = claimWriter();
        } finally {
            lock.unlock();
        }
        startWriter(start);
        return true;
    }

    /**
     * Asks the writer to replay held events after {@code since} when it reaches this point of the queue.
     *
     * @return {@code false} when the queue is full
     */
    boolean offerReplay(long since) {
        boolean start;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return true;
            }
            if (!queue.offer(new Replay(since))) {
                return false;
            }
            replaysPending++;
            start = claimWriter();
        } finally {
            lock.unlock();
        }
        startWriter(start);
        return true;
    }

    /**
     * Starts the hub's side of the close: the close frame goes next (or after what is queued, when
     * {@code afterQueued}), nothing is sent after it, and at {@code deadline} the socket is cut whether the client
     * took it or not.
     *
     * @return {@code false} when the connection was already closing
     */
    boolean closeWith(int code, String reason, long deadline, boolean afterQueued) {
        boolean start;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return false;
            }
            state = State.CLOSING;
            closeDeadline = deadline;
            if (afterQueued) {
                queue.append(new Close(code, reason));
            } else {
                discarding = true;
                queue.replaceAllWith(new Close(code, reason));
            }
            start = claimWriter();
        } finally {
            lock.unlock();
        }
        startWriter(start);
        return true;
    }

    /**
     * Marks the connection CLOSED and stops its writer; idempotent.
     *
     * @return {@code false} when it was already CLOSED
     */
    boolean markClosed() {
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return false;
            }
            state = State.CLOSED;
            queue.clear();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no write is in progress (Helidon answers a client's close frame from the reader thread right
     * after this, and two writers on one socket would interleave their bytes); cuts the socket when a write stays
     * blocked past {@code timeoutNanos}.
     */
    void quiesceWriter(long timeoutNanos) {
        try {
            if (writing.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                writing.unlock();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.abort();
    }

    void abort() {
        transport.abort();
    }

    /** The connection ends when the token it was opened with expires ({@code null}: never). */
    void expiresAt(java.time.Instant at) {
        if (at != null) {
            long left = java.time.Duration.between(java.time.Instant.now(), at).toNanos();
            long deadline = System.nanoTime() + Math.max(0, left);
            expiresAt = deadline == 0 ? 1 : deadline;
        }
    }

    /** Whether the client's token has expired at {@code now}. */
    boolean expired(long now) {
        long at = expiresAt;
        return at != 0 && now - at >= 0;
    }

    // ---- what the heartbeat reads ----

    long lastHeard() {
        return lastHeard;
    }

    long closeDeadline() {
        return closeDeadline;
    }

    boolean readerAlive() {
        return reader.isAlive();
    }

    /** Whether a ping is due at {@code now}; if so, schedules the next one. Heartbeat thread only. */
    boolean pingDue(long now, long intervalNanos) {
        if (now - nextPing < 0) {
            return false;
        }
        nextPing = now + intervalNanos;
        return true;
    }

    // ---- facts for details() ----

    boolean replaying() {
        return replaysPending > 0;
    }

    /** Whether a CRITICAL event was sent that the client has not acknowledged. */
    boolean unacknowledged() {
        return lastCriticalSent > ackedSeq;
    }

    /** Seqs between the newest event sent and the client's last ack, when a CRITICAL event awaits its ack; else 0. */
    long ackLag() {
        return unacknowledged() ? Math.max(0, sentSeq - ackedSeq) : 0;
    }

    boolean receivedCritical() {
        return lastCriticalSent > 0;
    }

    /** Sets where live delivery starts: events up to {@code seq} are not this client's. */
    void startAfter(long seq) {
        lock.lock();
        try {
            sentSeq = Math.max(sentSeq, seq);
        } finally {
            lock.unlock();
        }
    }

    // ---- the writer ----

    /** Under {@code lock}: whether the caller must start a writer (none is running). */
    private boolean claimWriter() {
        if (writerActive) {
            return false;
        }
        writerActive = true;
        return true;
    }

    private void startWriter(boolean start) {
        if (start) {
            WRITERS.newThread(this::write).start();
        }
    }

    /** Takes what is queued; when nothing is, the writer ends (the next item queued starts another). */
    private int take() {
        lock.lock();
        try {
            int n = state == State.CLOSED ? 0 : queue.drainTo(batch);
            if (n == 0) {
                writerActive = false;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    private void write() {
        if (batch == null) {
            batch = new Object[BATCH];
        }
        try {
            while (true) {
                int n = take();
                if (n == 0) {
                    return;
                }
                int i = 0;
                while (i < n) {
                    Object item = batch[i];
                    if (item instanceof byte[]) {
                        i = writeFrames(batch, i, n);
                        continue;
                    }
                    batch[i++] = null;
                    if (item instanceof Replay r) {
                        replay(r.since());
                    } else if (item instanceof Close c) {
                        Arrays.fill(batch, null);
                        sendClose(c);
                        return;
                    }
                }
            }
        } catch (RuntimeException e) {
            // The socket failed under a write: the client is gone.
            owner.lost(this, e);
        }
    }

    /** Writes the run of frames starting at {@code from}; small frames go out in one write. Returns the next index. */
    private int writeFrames(Object[] batch, int from, int n) {
        int end = from;
        int bytes = 0;
        while (end < n && batch[end] instanceof byte[] f && (end == from || bytes + f.length <= COALESCE_BYTES)) {
            bytes += f.length;
            end++;
        }
        if (end - from == 1) {
            send((byte[]) batch[from], 1);
        } else {
            byte[] joined = new byte[bytes];
            int at = 0;
            for (int i = from; i < end; i++) {
                byte[] f = (byte[]) batch[i];
                System.arraycopy(f, 0, joined, at, f.length);
                at += f.length;
            }
            send(joined, end - from);
        }
        for (int i = from; i < end; i++) {
            batch[i] = null;
        }
        return end;
    }

    /** Writes frames, unless the connection is gone or the hub is closing it without sending what was queued. */
    private boolean send(byte[] frames, int count) {
        writing.lock();
        try {
            if (state == State.CLOSED || discarding) {
                return false;
            }
            transport.write(frames, frames.length);
        } finally {
            writing.unlock();
        }
        owner.metrics().sent(count);
        return true;
    }

    private void sendClose(Close c) {
        writing.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            transport.close(c.code(), c.reason());
        } finally {
            writing.unlock();
        }
    }

    private void replay(long since) {
        EventHistory history = owner.history();
        long cursor = since;
        long head = history.headSeq();
        if (since > head) {
            // In a cluster the client may come from an instance a moment ahead of this one: wait for what it saw.
            try {
                head = history.awaitHead(since, RESUME_CATCH_UP);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (since > head) {
            // The client holds a seq this hub never reached: its history was reset. Say so, go on from the head.
            if (!send(Messages.replayGap(head + 1, since), 1)) {
                return;
            }
            cursor = head;
        } else {
            long oldest = history.oldestSeq();
            if (cursor + 1 < oldest) {
                if (!send(Messages.replayGap(cursor + 1, oldest - 1), 1)) {
                    return;
                }
                cursor = oldest - 1;
            }
        }
        while (state == State.OPEN) {
            List<Event> page = history.after(cursor, PAGE);
            if (page.isEmpty()) {
                long skipped = finishReplay(cursor);
                if (skipped < 0) {
                    return;
                }
                // Retention removed events the lane skipped for us before we could read them.
                if (!send(Messages.replayGap(cursor + 1, skipped), 1)) {
                    return;
                }
                cursor = skipped;
                continue;
            }
            long first = page.getFirst().seq();
            if (first > cursor + 1 && !send(Messages.replayGap(cursor + 1, first - 1), 1)) {
                return;
            }
            Subscription s = subscription;
            for (Event e : page) {
                if (owner.isBroadcast(e.type()) || s.matches(e)) {
                    if (!send(WsFrames.replayText(e.json()), 1)) {
                        return;
                    }
                    if (e.requiresAck()) {
                        lastCriticalSent = Math.max(lastCriticalSent, e.seq());
                    }
                }
                cursor = e.seq();
            }
        }
    }

    /**
     * Ends a replay that has read up to {@code cursor}, unless the lane skipped a later event meanwhile.
     *
     * @return -1 when the replay is over, else the highest seq skipped (the replay must read on to it)
     */
    private long finishReplay(long cursor) {
        lock.lock();
        try {
            if (cursor < skippedUpTo) {
                return skippedUpTo;
            }
            replaysPending--;
            sentSeq = Math.max(sentSeq, cursor);
            return -1;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "connection " + id + " (" + remote + ")";
    }
}
