package io.alerthub.core.config;

/** When the event log forces its writes to disk. */
public enum FsyncPolicy {
    /** Before each 202: an accepted event survives a power loss. Concurrent requests share one fsync. */
    BATCH,
    /**
     * Every {@code hub.log.fsync-interval} (the default): a process crash loses nothing, a power loss up to one
     * interval.
     */
    INTERVAL,
    /** Never forced by the hub: a process crash loses nothing, a power loss whatever the OS had not written. */
    NONE
}
