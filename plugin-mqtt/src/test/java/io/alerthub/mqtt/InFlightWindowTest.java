package io.alerthub.mqtt;

import java.util.List;
import java.util.OptionalLong;

import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.Event;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InFlightWindowTest {

    private static List<PublishPlanner.Outbound> messages(Event e, int n) {
        PublishPlanner.Outbound m = new PublishPlanner.Outbound("t", e.json(), 1, false, e, OptionalLong.empty());
        return java.util.Collections.nCopies(n, m);
    }

    private static InFlightWindow.Held add(InFlightWindow w, long seq, int messages, int generation) {
        Event e = EventDraft.builder("violation").build(seq);
        return w.add(e, messages(e, messages), generation);
    }

    private static void sendAll(InFlightWindow w, InFlightWindow.Held h) {
        for (int i = 0; i < h.messages.size(); i++) {
            w.sending(h);
        }
    }

    @Test
    void anEventIsHeldUntilEveryMessageOfItIsConfirmed() {
        InFlightWindow w = new InFlightWindow(10);
        assertEquals(Long.MAX_VALUE, w.oldestHeld());
        InFlightWindow.Held a = add(w, 1, 2, 1);
        InFlightWindow.Held b = add(w, 2, 1, 1);
        sendAll(w, a);
        sendAll(w, b);
        assertEquals(1, w.oldestHeld());
        assertEquals(3, w.outstanding());

        assertTrue(w.confirmed(b, 1), "acknowledgements may come out of order (QoS 0 after QoS 1)");
        assertEquals(1, w.oldestHeld(), "the cursor still may not pass seq 1");
        assertFalse(w.confirmed(a, 1));
        assertEquals(1, w.oldestHeld());
        assertTrue(w.confirmed(a, 1));
        assertEquals(Long.MAX_VALUE, w.oldestHeld());
        assertEquals(0, w.outstanding());
        assertEquals(0, w.size());
    }

    @Test
    void anAckBeforeTheLastMessageIsSentDoesNotReleaseTheEvent() {
        InFlightWindow w = new InFlightWindow(10);
        InFlightWindow.Held a = add(w, 1, 2, 1);
        w.sending(a);
        assertFalse(w.confirmed(a, 1), "its second message is not even sent yet");
        assertEquals(1, w.oldestHeld());
        w.sending(a);
        assertTrue(w.confirmed(a, 1));
    }

    @Test
    void aNewConnectionSendsEverythingAgainAndIgnoresTheOldOnesAcks() {
        InFlightWindow w = new InFlightWindow(10);
        InFlightWindow.Held a = add(w, 1, 1, 1);
        InFlightWindow.Held b = add(w, 2, 1, 1);
        sendAll(w, a);
        sendAll(w, b);

        List<InFlightWindow.Held> again = w.restart(2);
        assertEquals(List.of(a, b), again, "oldest first");
        assertEquals(0, w.outstanding());
        assertFalse(w.confirmed(a, 1), "a late ack from the lost connection");
        assertEquals(1, w.oldestHeld());

        sendAll(w, a);
        assertTrue(w.confirmed(a, 2));
        assertEquals(2, w.oldestHeld());
    }

    @Test
    void spaceIsBoundedByTheCapacityAndALostConnectionStopsTheWait() throws Exception {
        InFlightWindow w = new InFlightWindow(2);
        InFlightWindow.Held a = add(w, 1, 3, 1);
        assertTrue(w.awaitSpace(() -> true));
        w.sending(a);
        assertTrue(w.awaitSpace(() -> true));
        w.sending(a);
        assertFalse(w.awaitSpace(() -> false), "full, and the connection is gone: give up, the event stays held");
        w.confirmed(a, 1);
        assertTrue(w.awaitSpace(() -> true));
        w.capacity(1);
        assertFalse(w.awaitSpace(() -> false), "a broker with a smaller receive maximum shrinks the window");
    }

    @Test
    void theSameEventHandedAgainReplacesTheEarlierTry() {
        InFlightWindow w = new InFlightWindow(10);
        InFlightWindow.Held first = add(w, 7, 1, 1);
        w.sending(first);
        InFlightWindow.Held second = add(w, 7, 1, 1);
        assertEquals(0, w.outstanding());
        assertFalse(w.confirmed(first, 1));
        assertEquals(1, w.size());
        w.sending(second);
        assertTrue(w.confirmed(second, 1));
        assertEquals(0, w.size());
    }

    @Test
    void droppingAnEventReleasesItsSpace() {
        InFlightWindow w = new InFlightWindow(10);
        InFlightWindow.Held a = add(w, 3, 2, 1);
        sendAll(w, a);
        w.drop(a);
        assertEquals(0, w.outstanding());
        assertEquals(Long.MAX_VALUE, w.oldestHeld());
    }
}
