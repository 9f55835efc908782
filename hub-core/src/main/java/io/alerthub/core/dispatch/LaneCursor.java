package io.alerthub.core.dispatch;

import java.io.IOException;
import java.util.OptionalLong;

/** Where a lane keeps its cursor: a file of its own ({@link CursorStore}) or, in cluster mode, beside its lease. */
interface LaneCursor extends AutoCloseable {

    /** The saved cursor; empty for a lane that never ran. */
    OptionalLong load();

    /**
     * Saves {@code seq}.
     *
     * @return whether it was saved ({@code false} when it was the saved value already, or could not be stored)
     */
    boolean save(long seq) throws IOException;

    @Override
    void close() throws IOException;
}
