package io.alerthub.core.log;

import java.io.IOException;
import java.util.Locale;

/** The event log cannot be read or written (disk full, I/O error). */
public final class LogException extends RuntimeException {

    private final boolean storageFull;

    public LogException(String message, Throwable cause) {
        super(message, cause);
        this.storageFull = storageFull(cause);
    }

    /** Whether the cause is a full file system (ENOSPC, EDQUOT): it passes once space returns. */
    public boolean storageFull() {
        return storageFull;
    }

    private static boolean storageFull(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null) {
                String m = t.getMessage().toLowerCase(Locale.ROOT);
                if (m.contains("no space left on device") || m.contains("disk quota exceeded")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
