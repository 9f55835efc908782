package io.alerthub.core;

import java.time.Duration;
import java.util.List;

import io.alerthub.core.log.EventLog;
import io.alerthub.spi.Event;
import io.alerthub.spi.EventHistory;

/** The part of the event log that history queries and resumes may reach: the newest {@code hub.history-size}. */
final class LogHistory implements EventHistory {

    private final EventLog log;
    private final int size;

    LogHistory(EventLog log, int size) {
        this.log = log;
        this.size = size;
    }

    @Override
    public long headSeq() {
        return log.headSeq();
    }

    @Override
    public long oldestSeq() {
        return Math.max(log.firstSeq(), log.headSeq() - size + 1);
    }

    @Override
    public List<Event> after(long afterSeq, int limit) {
        return log.read(Math.max(afterSeq, oldestSeq() - 1), limit);
    }

    @Override
    public long awaitHead(long seq, Duration timeout) throws InterruptedException {
        return log.awaitHead(seq, timeout);
    }
}
