package io.alerthub.core.dispatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CursorStoreTest {

    @TempDir
    Path dir;

    @Test
    void aSavedCursorIsLoadedAfterReopening() throws IOException {
        Path file = dir.resolve("cursors/p.cursor");
        try (CursorStore store = CursorStore.open(file)) {
            assertEquals(OptionalLong.empty(), store.load(), "a new plugin has no cursor");
            assertTrue(store.save(5));
            assertFalse(store.save(5), "the same value is not written again");
            assertTrue(store.save(9));
        }
        try (CursorStore store = CursorStore.open(file)) {
            assertEquals(OptionalLong.of(9), store.load());
        }
    }

    @Test
    void aTornWriteLeavesThePreviousCursorNotNone() throws IOException {
        Path file = dir.resolve("p.cursor");
        try (CursorStore store = CursorStore.open(file)) {
            store.save(100);
            store.save(200);
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[13] ^= 0x40;              // the write of 200 (the first slot) was torn by a crash
        Files.write(file, bytes);
        try (CursorStore store = CursorStore.open(file)) {
            assertEquals(OptionalLong.of(100), store.load(), "the lane goes on from 100, never from the head");
        }
    }

    @Test
    void aCursorFileOfAnEarlierVersionIsReadAndRewrittenInTheNewForm() throws IOException {
        Path file = dir.resolve("p.cursor");
        Files.write(file, ByteBuffer.allocate(16).putLong(42).putLong(~42L).array());
        try (CursorStore store = CursorStore.open(file)) {
            assertEquals(OptionalLong.of(42), store.load());
            store.save(43);
        }
        try (CursorStore store = CursorStore.open(file)) {
            assertEquals(OptionalLong.of(43), store.load());
            store.save(44);
        }
        try (CursorStore store = CursorStore.open(file)) {
            assertEquals(OptionalLong.of(44), store.load());
        }
    }

    @Test
    void aSaveOnlyReachesThePageCacheExceptTheFirstOfANewCursor() throws IOException {
        try (CursorStore store = CursorStore.open(dir.resolve("p.cursor"))) {
            store.save(1);
            assertFalse(store.dirty(), "a new cursor's first value is forced at once");
            store.save(2);
            store.save(3);
            assertTrue(store.dirty(), "later saves wait for the flusher");
            assertTrue(store.forceIfDirty());
            assertFalse(store.dirty());
            assertFalse(store.forceIfDirty(), "nothing saved since: no fsync");
        }
    }

    @Test
    void theFlusherForcesTheCursorsThatMoved() throws IOException {
        CursorFlusher flusher = new CursorFlusher(Duration.ofMillis(10));
        try (CursorStore a = CursorStore.open(dir.resolve("a.cursor"));
             CursorStore b = CursorStore.open(dir.resolve("b.cursor"))) {
            a.save(1);
            b.save(1);
            flusher.add(a);
            flusher.add(b);
            flusher.start();
            for (long seq = 2; seq < 10; seq++) {
                a.save(seq);
                await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10)).until(() -> !a.dirty());
            }
            b.save(2);
            await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10)).until(() -> !b.dirty());
        } finally {
            flusher.close();
        }
    }
}
