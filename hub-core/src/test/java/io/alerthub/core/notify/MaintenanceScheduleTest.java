package io.alerthub.core.notify;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import io.alerthub.core.event.EventDraft;
import io.alerthub.core.testing.TestClock;
import io.alerthub.spi.Event;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Recurring maintenance windows in a time zone, across the nights the clocks change: the window follows the wall
 * clock of the plant (Europe/Berlin: CET +01:00, CEST +02:00 from 29 March to 25 October 2026).
 */
class MaintenanceScheduleTest {

    private static MaintenanceSchedule schedule(String json) throws Exception {
        return MaintenanceSchedule.fromJson(new ObjectMapper().readTree(json), "schedule");
    }

    @ParameterizedTest(name = "{0} at {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            spring, SUN 01:00-04:00 | 2026-03-28T23:59:59Z | false
            spring, SUN 01:00-04:00 | 2026-03-29T00:00:00Z | true
            spring, SUN 01:00-04:00 | 2026-03-29T01:59:59Z | true
            spring, SUN 01:00-04:00 | 2026-03-29T02:00:00Z | false
            autumn, SUN 01:00-04:00 | 2026-10-24T22:59:59Z | false
            autumn, SUN 01:00-04:00 | 2026-10-24T23:00:00Z | true
            autumn, SUN 01:00-04:00 | 2026-10-25T02:59:59Z | true
            autumn, SUN 01:00-04:00 | 2026-10-25T03:00:00Z | false
            overnight SAT 22:00-06:00 | 2026-10-24T19:59:59Z | false
            overnight SAT 22:00-06:00 | 2026-10-24T20:00:00Z | true
            overnight SAT 22:00-06:00 | 2026-10-25T04:59:59Z | true
            overnight SAT 22:00-06:00 | 2026-10-25T05:00:00Z | false
            overnight SAT 22:00-06:00 | 2026-10-25T21:30:00Z | false
            """)
    void aWindowFollowsTheWallClockAcrossADaylightSavingChange(String name, Instant at, boolean active)
            throws Exception {
        MaintenanceSchedule s = name.startsWith("overnight")
                ? schedule("{\"days\":[\"SAT\"],\"from\":\"22:00\",\"to\":\"06:00\",\"zone\":\"Europe/Berlin\"}")
                : schedule("{\"days\":[\"SUN\"],\"from\":\"01:00\",\"to\":\"04:00\",\"zone\":\"Europe/Berlin\"}");
        assertEquals(active, s.activeAt(at));
    }

    @Test
    void aMaintenanceWindowSilencesTheEventsOfItsNightOnlyAcrossTheChangeToSummerTime(@TempDir Path dir)
            throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-27T12:00:00Z"));
        Silences silences = Silences.open(dir.resolve("silences.json"), clock);
        silences.create(new ObjectMapper().readTree("""
                {"matchers":{"topic":"line:7"},"created_by":"planner","comment":"weekend maintenance",
                 "schedule":{"days":["SAT"],"from":"22:00","to":"06:00","zone":"Europe/Berlin"}}"""));
        // Saturday 28 March 22:00 CET (21:00Z) until Sunday 06:00 CEST (04:00Z): seven real hours, not eight
        for (String[] row : new String[][] {
                {"2026-03-28T20:59:59Z", "false"}, {"2026-03-28T21:00:00Z", "true"}, {"2026-03-29T00:59:59Z", "true"},
                {"2026-03-29T01:00:00Z", "true"}, {"2026-03-29T03:59:59Z", "true"}, {"2026-03-29T04:00:00Z", "false"},
                {"2026-04-04T19:59:59Z", "false"}, {"2026-04-04T20:00:00Z", "true"}}) {
            clock.set(Instant.parse(row[0]));
            EventDraft d = EventDraft.builder("violation").topic("line:7").payloadJson("{}").draft();
            Event e = silences.apply(List.of(d)).getFirst().withSeq(1);
            assertEquals(Boolean.parseBoolean(row[1]), e.jsonString().contains("\"silenced\":true"), row[0]);
        }
    }

    @Test
    void theNightsTheClocksChangeTheSameWallClockWindowLastsTwoOrFourRealHoursAndEveryDayWithoutDays()
            throws Exception {
        MaintenanceSchedule s = schedule("{\"from\":\"01:00\",\"to\":\"04:00\",\"zone\":\"Europe/Berlin\"}");
        LocalDate spring = LocalDate.of(2026, 3, 29);
        LocalDate autumn = LocalDate.of(2026, 10, 25);
        assertEquals(2, java.time.Duration.between(s.start(spring), s.end(spring)).toHours());
        assertEquals(4, java.time.Duration.between(s.start(autumn), s.end(autumn)).toHours());
        assertEquals(3, java.time.Duration.between(s.start(spring.plusDays(1)), s.end(spring.plusDays(1))).toHours());
        assertEquals(Instant.parse("2026-03-30T23:00:00Z"), s.nextStart(Instant.parse("2026-03-30T12:00:00Z")),
                     "Tuesday 01:00 CEST");
    }
}
