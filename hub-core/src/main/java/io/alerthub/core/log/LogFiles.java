package io.alerthub.core.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How the log opens its segment files: {@link FileChannel#open} in the hub. A test replaces it (package-private,
 * {@link #use}) to inject the failures of a disk that fills up where it cannot mount a small file system of its own.
 */
@FunctionalInterface
interface LogFiles {

    LogFiles SYSTEM = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;

    /** The opener in force; tests swap it with {@link #use}. */
    final class Current {
        private static volatile LogFiles files = SYSTEM;

        private Current() {
        }

        static LogFiles get() {
            return files;
        }
    }

    /** Test-only wiring: the segment files opened from now on come from {@code files} (SYSTEM restores). */
    static void use(LogFiles files) {
        Current.files = files;
    }
}
