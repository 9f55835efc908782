package io.alerthub.simulator;

import java.time.Instant;

/**
 * One subgroup: the measurements taken together at one time.
 *
 * @param id           the sample id it is published under
 * @param timestamp    when it was taken
 * @param measurements its values (at least one)
 */
record Subgroup(long id, Instant timestamp, double[] measurements) {

    Subgroup {
        if (measurements.length == 0) {
            throw new IllegalArgumentException("a subgroup needs at least one measurement");
        }
        measurements = measurements.clone();
    }

    int size() {
        return measurements.length;
    }

    double mean() {
        double sum = 0;
        for (double m : measurements) {
            sum += m;
        }
        return sum / measurements.length;
    }

    double range() {
        double min = measurements[0];
        double max = measurements[0];
        for (double m : measurements) {
            min = Math.min(min, m);
            max = Math.max(max, m);
        }
        return max - min;
    }

    @Override
    public double[] measurements() {
        return measurements.clone();
    }
}
