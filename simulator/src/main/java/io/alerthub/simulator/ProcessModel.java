package io.alerthub.simulator;

import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A machine producing one characteristic: measurements around a mean that its {@link Behaviour} moves.
 *
 * <p>Offsets are in sigmas of the subgroup mean, so that a shift looks the same on the chart whatever the subgroup
 * size. The first episode starts a few subgroups after the baseline, so a new user sees signals within a minute
 * at one subgroup per second: a shift of 2.5 sigma trips rule 5 within a few points, rule 2 by the ninth, and
 * rule 1 (a point beyond 3 sigma, one chance in three per point) almost surely. A point beyond the limits brings a
 * reaction ({@link #alarm()}), so an episode ends soon after its first alarm, as it would where people watch the
 * chart.
 */
final class ProcessModel {

    /**
     * What happened to the process at a subgroup.
     *
     * @param description for the log, such as "mean shifted by +2.5 sigma"
     * @param adjusted    the machine was adjusted: the old limits no longer describe it and are re-estimated
     */
    record Change(String description, boolean adjusted) {
    }

    static final double SHIFT_SIGMAS = 2.5;
    static final int SHIFT_LENGTH = 25;
    static final int SHIFT_PAUSE = 45;
    static final double DRIFT_PER_SUBGROUP = 0.15;
    static final double DRIFT_ADJUSTED_AT = 4.0;
    static final int DRIFT_PAUSE = 30;
    /** Subgroups between the end of the baseline and the first episode. */
    static final int SETTLE = 5;
    /** Subgroups an operator takes to adjust a drifting machine after its alarm (a point beyond the limits). */
    static final int DRIFT_REACTION = 3;
    /** Subgroups it takes to find and remove the cause of a shift after its alarm. */
    static final int SHIFT_REACTION = 10;

    private enum Phase { QUIET, DRIFTING, SHIFTED }

    private final CharacteristicSpec spec;
    private final int subgroupSize;
    private final RandomGenerator random;
    private final double sigmaOfMean;
    private final double resolution;
    private long taken;
    private long nextEpisodeAt;
    private Phase phase = Phase.QUIET;
    private double offset;
    private int direction = 1;
    private long reactionAt = Long.MAX_VALUE;
    private Change change;

    ProcessModel(CharacteristicSpec spec, int subgroupSize, int baseline, RandomGenerator random) {
        this.spec = spec;
        this.subgroupSize = subgroupSize;
        this.random = random;
        this.sigmaOfMean = spec.sigma() / Math.sqrt(subgroupSize);
        this.resolution = Math.pow(10, -spec.decimals());
        this.nextEpisodeAt = baseline + SETTLE;
    }

    /** The measurements of the next subgroup. */
    double[] next() {
        taken++;
        change = null;
        advance();
        double mean = spec.target() + offset * sigmaOfMean;
        double[] values = new double[subgroupSize];
        for (int i = 0; i < subgroupSize; i++) {
            values[i] = Math.round((mean + spec.sigma() * random.nextGaussian()) / resolution) * resolution;
        }
        return values;
    }

    /**
     * The chart raised an alarm (a point beyond the control limits): as on a real shop floor, someone reacts, and the
     * drift or shift under way ends a few subgroups later instead of running its full course.
     */
    void alarm() {
        if (reactionAt == Long.MAX_VALUE && (phase == Phase.DRIFTING || phase == Phase.SHIFTED)) {
            reactionAt = taken + (phase == Phase.DRIFTING ? DRIFT_REACTION : SHIFT_REACTION);
        }
    }

    /** What changed with the subgroup {@link #next()} returned last, if anything. */
    Optional<Change> change() {
        return Optional.ofNullable(change);
    }

    private void advance() {
        switch (spec.behaviour()) {
            case IN_CONTROL -> {
                // common-cause variation only
            }
            case DRIFT -> {
                if (phase == Phase.QUIET && taken > nextEpisodeAt) {
                    phase = Phase.DRIFTING;
                    change = new Change("drift begins (tool wear), " + signed(DRIFT_PER_SUBGROUP * direction)
                                                + " sigma per subgroup", false);
                } else if (phase == Phase.DRIFTING) {
                    offset += DRIFT_PER_SUBGROUP * direction;
                    if (Math.abs(offset) >= DRIFT_ADJUSTED_AT || taken >= reactionAt) {
                        change = new Change("tool adjusted (a drift of " + signed(offset) + " sigma removed)", true);
                        offset = 0;
                        direction = -direction;
                        phase = Phase.QUIET;
                        nextEpisodeAt = taken + DRIFT_PAUSE;
                        reactionAt = Long.MAX_VALUE;
                    }
                }
            }
            case SHIFT -> {
                if (phase == Phase.QUIET && taken > nextEpisodeAt) {
                    phase = Phase.SHIFTED;
                    offset = SHIFT_SIGMAS * direction;
                    nextEpisodeAt = taken + SHIFT_LENGTH;
                    change = new Change("mean shifted by " + signed(offset) + " sigma", false);
                } else if (phase == Phase.SHIFTED && (taken > nextEpisodeAt || taken >= reactionAt)) {
                    phase = Phase.QUIET;
                    offset = 0;
                    direction = -direction;
                    nextEpisodeAt = taken + SHIFT_PAUSE;
                    reactionAt = Long.MAX_VALUE;
                    change = new Change("cause of the shift removed", false);
                }
            }
        }
    }

    private static String signed(double v) {
        return String.format(java.util.Locale.ROOT, "%+.2f", v);
    }
}
