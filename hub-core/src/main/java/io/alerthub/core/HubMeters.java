package io.alerthub.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import io.alerthub.spi.Meters;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

/**
 * {@link Meters} on Helidon's meter registry: what {@code /observe/metrics} serves.
 *
 * <p>Helidon's function meters hold their state object weakly (as Micrometer does): a plugin's method reference
 * ({@code count::sum}) would be collected at the next GC and the meter read 0 from then on. The hub keeps every
 * function it was given, for as long as it runs.
 */
final class HubMeters implements Meters {

    private final MeterRegistry registry;
    private final List<Object> functions = new CopyOnWriteArrayList<>();

    HubMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void counter(String name, String description, Map<String, String> tags, LongSupplier value) {
        functions.add(value);
        registry.getOrCreate(FunctionalCounter.builder(name, value, LongSupplier::getAsLong)
                                     .description(description)
                                     .tags(tags(tags)));
    }

    @Override
    public void gauge(String name, String description, Map<String, String> tags, DoubleSupplier value) {
        functions.add(value);
        registry.getOrCreate(Gauge.builder(name, value, DoubleSupplier::getAsDouble)
                                     .description(description)
                                     .tags(tags(tags)));
    }

    private static List<Tag> tags(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> out.add(Tag.create(k, v)));
        return out;
    }
}
