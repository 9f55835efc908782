package io.alerthub.core.log;

import java.util.List;

import io.alerthub.core.event.EventDraft;

/**
 * An event log that several hubs append to (cluster mode's JetStream stream). Only the log can tell a producer
 * duplicate then, since the first post may have reached another instance: ingest hands it whole requests instead of
 * deduplicating them itself.
 */
public interface SharedEventLog extends EventLog {

    /**
     * What became of one draft.
     *
     * @param seq       its {@code seq}; a duplicate's is the original event's
     * @param duplicate whether an event with the same producer id was already in the log, within the dedup window
     */
    record Appended(long seq, boolean duplicate) {
    }

    /**
     * Appends the drafts that are not duplicates of events already in the log (by producer id, within the dedup window,
     * whichever hub took the first one; a later draft of the same request with the same id is a duplicate of the
     * earlier one) and returns once they are stored, one answer per draft, in order.
     *
     * @throws EngineUnavailableException when the engine does not store them within the publish timeout
     */
    List<Appended> appendUnique(List<EventDraft> drafts);
}
