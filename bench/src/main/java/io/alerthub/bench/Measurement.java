package io.alerthub.bench;

/**
 * One measured step: a fixed publish rate for a while, with every delivery of it accounted for.
 *
 * @param server              the server measured
 * @param subscribers         subscribers connected at the start
 * @param topics              topics published to (subscribers are spread over them)
 * @param rate                events per second the publisher was asked for
 * @param published           events the server accepted
 * @param publishFailures     sends that failed or were refused
 * @param seconds             how long publishing took
 * @param expected            deliveries owed: per subscriber, the events accepted on its topic
 * @param delivered           deliveries received
 * @param lost                deliveries owed and not received after the drain
 * @param outOfOrder          deliveries that came after a later one
 * @param closedSubscribers   subscribers the server closed during the step
 * @param deliveriesPerSecond deliveries received per second of publishing
 * @param p50Ms               publish-to-receive latency percentiles and maximum, in milliseconds
 * @param sendLagP99Ms        how late the publisher sent against its schedule (99th percentile)
 * @param serverRssMb         the server's highest resident set during the step
 * @param serverCpuPercent    the server's CPU while publishing, in percent of one core
 * @param generatorCpuPercent the generator's own CPU while publishing, in percent of one core
 * @param machineBusyPercent  the whole machine's CPU while publishing (100 = every core busy)
 * @param firstError          the first publish failure, if any
 */
record Measurement(String server, int subscribers, int topics, double rate, long published, long publishFailures,
                   double seconds, long expected, long delivered, long lost, long outOfOrder, long closedSubscribers,
                   double deliveriesPerSecond, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
                   double sendLagP99Ms, double serverRssMb, double serverCpuPercent, double generatorCpuPercent,
                   double machineBusyPercent, String firstError) {

    /** The ramp's test: p99 at most 100 ms, nothing lost or reordered, and the publisher kept its rate. */
    boolean sustained(double p99LimitMs) {
        return whyNotSustained(p99LimitMs) == null;
    }

    /** Why the step does not count as sustained; {@code null} when it does. */
    String whyNotSustained(double p99LimitMs) {
        if (closedSubscribers > 0) {
            return closedSubscribers + " subscribers closed by the server";
        }
        if (lost > 0) {
            return lost + " deliveries lost";
        }
        if (outOfOrder > 0) {
            return outOfOrder + " deliveries out of order";
        }
        if (publishFailures > 0) {
            return publishFailures + " publishes refused or failed (" + firstError + ")";
        }
        if (published < 0.97 * rate * seconds) {
            return "the publisher reached only " + Math.round(published / seconds) + " of " + Math.round(rate)
                    + " events/s";
        }
        if (p99Ms > p99LimitMs) {
            return "p99 " + Report.ms(p99Ms) + " ms > " + Math.round(p99LimitMs) + " ms";
        }
        return null;
    }

    /** CPU per 1,000 deliveries per second, in percent of one core. */
    double cpuPerThousandDeliveries() {
        return deliveriesPerSecond <= 0 ? 0 : serverCpuPercent / (deliveriesPerSecond / 1000);
    }
}
