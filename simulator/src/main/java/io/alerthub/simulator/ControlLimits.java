package io.alerthub.simulator;

import java.util.List;

/**
 * The limits of an X-bar chart (or of an individuals chart when the subgroup size is 1), estimated from an
 * in-control baseline as in every SPC textbook: the center line is the grand mean, and sigma of the plotted
 * statistic comes from the average range (R-bar / d2 / sqrt(n)) or, for individuals, from the average moving
 * range (MR-bar / 1.128).
 *
 * @param centerLine   the grand mean
 * @param ucl          upper control limit, center line + 3 sigma
 * @param lcl          lower control limit, center line - 3 sigma
 * @param sigma        sigma of the plotted statistic (the subgroup mean)
 * @param subgroupSize measurements per subgroup
 */
record ControlLimits(double centerLine, double ucl, double lcl, double sigma, int subgroupSize) {

    /** d2(n) for n = 2..10: the expected range of n standard normal values. */
    private static final double[] D2 = {1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078};
    static final int MAX_SUBGROUP_SIZE = D2.length + 1;

    static ControlLimits of(double centerLine, double sigma, int subgroupSize) {
        return new ControlLimits(centerLine, centerLine + 3 * sigma, centerLine - 3 * sigma, sigma, subgroupSize);
    }

    /**
     * Estimates the limits from baseline subgroups of equal size.
     *
     * @throws IllegalArgumentException for fewer than two subgroups, mixed sizes, or no spread at all
     */
    static ControlLimits estimate(List<Subgroup> baseline) {
        if (baseline.size() < 2) {
            throw new IllegalArgumentException("limits need at least 2 subgroups, not " + baseline.size());
        }
        int n = baseline.getFirst().size();
        if (n > MAX_SUBGROUP_SIZE) {
            throw new IllegalArgumentException("subgroup size must be at most " + MAX_SUBGROUP_SIZE);
        }
        double meanSum = 0;
        double spreadSum = 0;
        for (int i = 0; i < baseline.size(); i++) {
            Subgroup s = baseline.get(i);
            if (s.size() != n) {
                throw new IllegalArgumentException("baseline subgroups differ in size: " + n + " and " + s.size());
            }
            meanSum += s.mean();
            if (n > 1) {
                spreadSum += s.range();
            } else if (i > 0) {
                spreadSum += Math.abs(s.mean() - baseline.get(i - 1).mean());
            }
        }
        double centerLine = meanSum / baseline.size();
        double sigma = n > 1
                ? spreadSum / baseline.size() / D2[n - 2] / Math.sqrt(n)
                : spreadSum / (baseline.size() - 1) / D2[0];
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("the baseline has no spread: every measurement is the same");
        }
        return of(centerLine, sigma, n);
    }

    /** How many sigmas {@code value} lies from the center line (negative below it). */
    double sigmas(double value) {
        return (value - centerLine) / sigma;
    }

    /** OpenSPC's zone names: A is beyond 2 sigma, B beyond 1 sigma, C within 1 sigma of the center line. */
    String zone(double value) {
        double z = sigmas(value);
        if (z > 3) {
            return "beyond_ucl";
        } else if (z > 2) {
            return "zone_a_upper";
        } else if (z > 1) {
            return "zone_b_upper";
        } else if (z >= 0) {
            return "zone_c_upper";
        } else if (z >= -1) {
            return "zone_c_lower";
        } else if (z >= -2) {
            return "zone_b_lower";
        } else if (z >= -3) {
            return "zone_a_lower";
        }
        return "beyond_lcl";
    }
}
