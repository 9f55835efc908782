package io.alerthub.mqtt;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.Event;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.Notifier;
import io.alerthub.spi.NotifierProvider;

/**
 * A second channel for tests ({@code plugins.recording}) that records the seqs it is given: it shows that the
 * hub keeps serving other channels while MQTT is away.
 */
public final class RecordingProvider implements NotifierProvider {

    /** Seqs delivered to the most recently created recording notifier. */
    static final List<Long> DELIVERED = new CopyOnWriteArrayList<>();

    @Override
    public String type() {
        return "recording";
    }

    @Override
    public boolean enabledByDefault() {
        return false;
    }

    @Override
    public Notifier create(ConfigNode config, HubContext hub) {
        return new Notifier() {
            @Override
            public void start() {
                DELIVERED.clear();
            }

            @Override
            public void deliver(Event event) {
                DELIVERED.add(event.seq());
            }
        };
    }
}
