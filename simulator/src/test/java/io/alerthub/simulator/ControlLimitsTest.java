package io.alerthub.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ControlLimitsTest {

    /** Subgroups whose range is 1 and whose means average 10: UCL - CL is then A2 * R-bar = A2. */
    @ParameterizedTest(name = "n = {0}: A2 = {1}")
    @CsvSource({"2, 1.880", "3, 1.023", "4, 0.729", "5, 0.577", "6, 0.483", "7, 0.419", "8, 0.373", "9, 0.337",
                "10, 0.308"})
    void xBarLimitsUseTheTabulatedA2(int n, double a2) {
        List<Subgroup> baseline = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            double[] m = new double[n];
            double mean = i % 2 == 0 ? 9.9 : 10.1;
            // n values spread over exactly 1, centred on mean
            for (int k = 0; k < n; k++) {
                m[k] = mean - 0.5 + (double) k / (n - 1);
            }
            baseline.add(new Subgroup(i, Instant.EPOCH, m));
        }
        ControlLimits limits = ControlLimits.estimate(baseline);
        assertEquals(10.0, limits.centerLine(), 1e-9);
        assertEquals(a2, limits.ucl() - limits.centerLine(), 0.001);
        assertEquals(a2, limits.centerLine() - limits.lcl(), 0.001);
        assertEquals(n, limits.subgroupSize());
    }

    @Test
    void individualsLimitsUseTheAverageMovingRange() {
        List<Subgroup> baseline = List.of(new Subgroup(1, Instant.EPOCH, new double[] {10}),
                                          new Subgroup(2, Instant.EPOCH, new double[] {12}),
                                          new Subgroup(3, Instant.EPOCH, new double[] {10}),
                                          new Subgroup(4, Instant.EPOCH, new double[] {12}));
        ControlLimits limits = ControlLimits.estimate(baseline);
        assertEquals(11.0, limits.centerLine(), 1e-9);
        // MR-bar = 2, sigma = 2 / 1.128, UCL = CL + 2.66 MR-bar
        assertEquals(2 / 1.128, limits.sigma(), 1e-9);
        assertEquals(11.0 + 2.66 * 2, limits.ucl(), 0.01);
    }

    @ParameterizedTest(name = "{0} sigma is {1}")
    @CsvSource({"3.5, beyond_ucl", "3.0, zone_a_upper", "2.5, zone_a_upper", "1.5, zone_b_upper",
                "0.0, zone_c_upper", "-0.5, zone_c_lower", "-1.5, zone_b_lower", "-2.5, zone_a_lower",
                "-3.0, zone_a_lower", "-3.1, beyond_lcl"})
    void zonesAreOpenSpcs(double sigmas, String zone) {
        ControlLimits limits = ControlLimits.of(100, 2, 5);
        assertEquals(zone, limits.zone(100 + 2 * sigmas));
    }

    @Test
    void aBaselineWithoutSpreadIsRefused() {
        List<Subgroup> flat = List.of(new Subgroup(1, Instant.EPOCH, new double[] {5, 5}),
                                      new Subgroup(2, Instant.EPOCH, new double[] {5, 5}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ControlLimits.estimate(flat));
        assertEquals("the baseline has no spread: every measurement is the same", e.getMessage());
    }
}
