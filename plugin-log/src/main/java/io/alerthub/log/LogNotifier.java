package io.alerthub.log;

import io.alerthub.spi.Event;
import io.alerthub.spi.Notifier;

/** Logs each matching event; it cannot fail, so it never throws. */
final class LogNotifier implements Notifier {

    private static final System.Logger LOG = System.getLogger("alerthub.events");

    private final LogSettings settings;

    LogNotifier(LogSettings settings) {
        this.settings = settings;
    }

    @Override
    public void deliver(Event event) {
        if (!settings.matches(event.type(), event.severity())) {
            return;
        }
        String line = settings.payload()
                ? event.jsonString()
                : "seq=" + event.seq() + " type=" + event.type() + " severity=" + event.severity()
                        + (event.topic() == null ? "" : " topic=" + event.topic());
        LOG.log(settings.level(), line);
    }
}
