package io.alerthub.email;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeqSetTest {

    @Test
    void neighbouringSeqsMergeIntoRanges() {
        SeqSet s = new SeqSet();
        for (long seq : new long[] {5, 3, 4, 9, 1, 10, 11, 7}) {
            s.add(seq);
        }
        assertEquals("1,3-5,7,9-11", s.format());
        assertEquals(8, s.size());
        s.add(2);
        s.add(8);
        assertEquals("1-5,7-11", s.format());
        s.add(6);
        assertEquals("1-11", s.format());
        assertEquals(11, s.size());
        assertEquals(1, s.first());
        assertEquals(11, s.last());
    }

    @Test
    void containsAddAllAndRemoveThrough() {
        SeqSet s = SeqSet.parse("3-5,9,20-30");
        assertTrue(s.contains(4));
        assertTrue(s.contains(9));
        assertFalse(s.contains(6));
        assertFalse(s.contains(31));
        s.addAll(SeqSet.parse("6-8,31"));
        assertEquals("3-9,20-31", s.format());
        s.removeThrough(21);
        assertEquals("22-31", s.format());
        assertEquals(10, s.size());
        s.removeThrough(40);
        assertTrue(s.isEmpty());
        assertEquals(Long.MAX_VALUE, s.first());
        assertEquals(0, s.size());
    }

    @Test
    void parseRefusesWhatFormatNeverWrites() {
        assertEquals("", SeqSet.parse("").format());
        assertThrows(IllegalArgumentException.class, () -> SeqSet.parse("5-3"));
        assertThrows(IllegalArgumentException.class, () -> SeqSet.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> SeqSet.parse("a-b"));
    }
}
