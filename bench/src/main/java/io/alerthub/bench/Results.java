package io.alerthub.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured; written as {@code bench/results/<run>.json} and rendered as the Markdown table and
 * the chart. Public fields so that the JSON is exactly this shape (Jackson writes records and public fields).
 */
final class Results {

    /** A fixed-rate scenario measured on one server (one repetition). */
    record FixedRate(String scenario, String title, String server, int repetition, Measurement measurement) {
    }

    /** One step of a ramp (a failed step is tried a second time; both attempts are kept). */
    record RampStep(double rate, double targetDeliveriesPerSecond, int attempt, Measurement measurement,
                    String failure) {
    }

    /**
     * A ramp on one server: the highest step sustained (p99 within the limit, nothing lost), and why it stopped.
     */
    record Ramp(String server, int subscribers, double p99LimitMs, List<RampStep> steps, Measurement best,
                String stoppedBecause, String limitedBy) {
    }

    /** Idle connections on one server: resident memory per connection. */
    record Idle(String server, int connections, double openSeconds, double baselineRssMb, double rssMb,
                double kbPerConnection, String note) {
    }

    /** Connect/disconnect churn on one server: whether memory returns to its baseline. */
    record Churn(String server, double targetPerSecond, double seconds, long connects, long failures,
                 double achievedPerSecond, double baselineRssMb, double peakRssMb, double afterRssMb,
                 double baselineHeapMb, double afterHeapMb, long connectionsAfter, boolean backToBaseline,
                 String note) {
    }

    /** Ingest over HTTP in batches. */
    record Ingest(String server, String fsync, int batch, int connections, int subscribers, double seconds,
                  long accepted, long failed, double eventsPerSecond, double requestP50Ms, double requestP99Ms,
                  double serverCpuPercent, double serverRssMb, double generatorCpuPercent, String firstError) {
    }

    /**
     * The cluster scenario: one step of the single hub, or of the cluster (each instance, and all of them).
     *
     * @param setup             {@code single hub} or {@code cluster}
     * @param where             {@code all} for every subscriber of the setup, or the instance measured
     * @param repetition        which repetition
     * @param measurement       the step (for a cluster instance, its own subscribers and CPU)
     * @param instancesCpuPercent the CPU of every hub process of the setup together, percent of one core
     * @param engineCpuPercent  the NATS server's CPU over the step (cluster rows), percent of one core; -1 unknown
     */
    record ClusterStep(String setup, String where, int repetition, Measurement measurement,
                       double instancesCpuPercent, double engineCpuPercent) {
    }

    /**
     * One step of the deflate scenario: the hub with permessage-deflate off or on, subscribers that offer it.
     *
     * @param mode                 {@code off} or {@code on}
     * @param wireBytes            bytes the subscribers read from their sockets during the step and its drain
     * @param wireBytesPerDelivery the same per delivery
     * @param agreed               subscribers the hub agreed permessage-deflate with
     * @param inflated             compressed messages the subscribers inflated during the step
     */
    record Deflate(String scenario, String title, String mode, int repetition, Measurement measurement,
                   long wireBytes, double wireBytesPerDelivery, int agreed, long inflated) {
    }

    /**
     * The many-connections scenario: as many connections as the file descriptor limits allow (100,000 at most), one
     * broadcast to all of them, then all closed.
     *
     * @param connections        connections opened (all subscribed to one topic)
     * @param limitedBy          what set {@code connections} below 100,000, or {@code null}
     * @param hubFdLimit         the hub's soft file descriptor limit; {@code generatorFdLimit} the generator's
     * @param sourceAddresses    local addresses the connections came from
     * @param openRssMb          the hub's RSS once all were open; {@code rssMb} its highest with all open (broadcasts
     *                           included), from which {@code kbPerConnection} is reckoned
     * @param broadcastMaxMs     per broadcast, publish until the last subscriber had it
     * @param broadcastMissing   subscribers that did not receive a broadcast within its wait, over all broadcasts
     * @param backSeconds        from the last close until the hub's RSS and descriptors were back (-1: not back)
     */
    record ManyConnections(String server, int connections, String limitedBy, long hubFdLimit, long generatorFdLimit,
                           int sourceAddresses, double openSeconds, double baselineRssMb, double openRssMb,
                           double rssMb,
                           double kbPerConnection, long baselineFds, long openFds, List<Double> broadcastMaxMs,
                           double broadcastP50Ms, long broadcastMissing, double afterRssMb, long afterFds,
                           long connectionsAfter, double backSeconds, boolean backToBaseline, String note) {
    }

    /** One of the targets: what it asks, what was measured, and the verdict. */
    record Target(String target, String threshold, String measured, String verdict) {
    }

    public String run;
    public String started;
    public String mode;
    public double minutes;
    public Map<String, Object> machine = new LinkedHashMap<>();
    public Map<String, Object> settings = new LinkedHashMap<>();
    public List<FixedRate> fixedRate = new ArrayList<>();
    public List<Ramp> ramps = new ArrayList<>();
    public List<Idle> idle = new ArrayList<>();
    public List<Churn> churn = new ArrayList<>();
    public List<Ingest> ingest = new ArrayList<>();
    public List<ClusterStep> cluster = new ArrayList<>();
    public List<Deflate> deflate = new ArrayList<>();
    public List<ManyConnections> manyConnections = new ArrayList<>();
    public List<Target> targets = new ArrayList<>();
    public List<String> notes = new ArrayList<>();

    void note(String note) {
        notes.add(note);
        Console.say("note: " + note);
    }
}
