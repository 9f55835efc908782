package io.alerthub.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When episodes start and end: the timeline a new user of the demo sees. */
class ProcessModelTest {

    private static final int BASELINE = 20;

    /** Runs the model; {@code alarmAt} raises an alarm at that subgroup (0 = never). Returns "n: change" lines. */
    private static List<String> changes(Behaviour behaviour, int subgroups, int alarmAt) {
        CharacteristicSpec spec = new CharacteristicSpec(1, "x", "", 100, 1, 3, behaviour);
        ProcessModel model = new ProcessModel(spec, 5, BASELINE, new SplittableRandom(1));
        List<String> out = new ArrayList<>();
        for (int n = 1; n <= subgroups; n++) {
            double[] values = model.next();
            assertEquals(5, values.length);
            int at = n;
            model.change().ifPresent(c -> out.add(at + ": " + c.description() + (c.adjusted() ? " [adjusted]" : "")));
            if (n == alarmAt) {
                model.alarm();
            }
        }
        return out;
    }

    @Test
    void anInControlProcessNeverChanges() {
        assertEquals(List.of(), changes(Behaviour.IN_CONTROL, 300, 30));
    }

    @Test
    void aDriftRunsUntilFourSigmaWhenNobodyReacts() {
        assertEquals(List.of("26: drift begins (tool wear), +0.15 sigma per subgroup",
                             "53: tool adjusted (a drift of +4.05 sigma removed) [adjusted]",
                             "84: drift begins (tool wear), -0.15 sigma per subgroup"),
                     changes(Behaviour.DRIFT, 90, 0));
    }

    @Test
    void anAlarmGetsTheDriftingMachineAdjusted() {
        List<String> changes = changes(Behaviour.DRIFT, 60, 40);
        assertEquals("43: tool adjusted (a drift of +2.55 sigma removed) [adjusted]", changes.get(1));
    }

    @Test
    void aShiftLastsItsCourseOrEndsAfterItsAlarm() {
        assertEquals(List.of("26: mean shifted by +2.50 sigma", "52: cause of the shift removed",
                             "98: mean shifted by -2.50 sigma"),
                     changes(Behaviour.SHIFT, 100, 0));
        assertEquals(List.of("26: mean shifted by +2.50 sigma", "38: cause of the shift removed"),
                     changes(Behaviour.SHIFT, 60, 28));
    }

    @Test
    void anAlarmOutsideAnEpisodeChangesNothing() {
        assertEquals(changes(Behaviour.DRIFT, 90, 0), changes(Behaviour.DRIFT, 90, 10));
    }

    @Test
    void measurementsHaveTheGaugesResolution() {
        CharacteristicSpec spec = new CharacteristicSpec(1, "x", "", 25, 0.012, 3, Behaviour.IN_CONTROL);
        ProcessModel model = new ProcessModel(spec, 5, BASELINE, new SplittableRandom(3));
        for (int n = 0; n < 50; n++) {
            for (double v : model.next()) {
                assertEquals(Math.round(v * 1000) / 1000.0, v, 1e-9);
                assertTrue(Math.abs(v - 25) < 0.1, "within 8 sigma: " + v);
            }
        }
    }
}
