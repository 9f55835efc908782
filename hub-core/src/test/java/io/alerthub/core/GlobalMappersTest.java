package io.alerthub.core;

import io.helidon.common.mapper.MapperManager;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class GlobalMappersTest {

    @Test
    void helidonsGlobalManagerIsThePinnedOneAndMapsAsBefore() {
        MapperManager pinned = GlobalMappers.pin();
        assertSame(pinned, MapperManager.global(), "a field read, not a registry lookup per call");
        assertSame(pinned, GlobalMappers.pin(), "pinned once per JVM");
        assertEquals(42, MapperManager.global().map("42", String.class, Integer.class));
    }
}
