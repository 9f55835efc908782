package io.alerthub.simulator;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The command line of {@code alerthub demo}.
 *
 * @param config     the hub's configuration file; empty = the built-in defaults
 * @param simulation what to simulate
 * @param token      a bearer token with the publish role, when the hub requires one and the config has none
 * @param instances  0 for one hub; with {@code --cluster}, how many cluster instances to run (default 3)
 * @param help       {@code --help} was asked for
 */
record DemoOptions(Optional<Path> config, SimulationSettings simulation, Optional<String> token, int instances,
                   boolean help) {

    /** The instances {@code --cluster} runs when {@code --instances} does not say. */
    static final int CLUSTER_INSTANCES = 3;

    static final String USAGE = """
            usage: alerthub demo [--config FILE] [--cluster] [options]
              --config FILE            the hub's configuration (default: config/application.yaml of the distribution)
              --rate N                 subgroups per second for each characteristic (default 1, at most 100)
              --characteristics N      simulate the first N built-in characteristics (default 3, at most 100)
              --characteristics LIST   or name them: "Bore diameter,Torque:shift,Oven temperature:drift"
                                       (behaviours: in-control, drift, shift)
              --subgroup-size N        measurements per subgroup, 1 to 10 (default 5; 1 = individuals chart)
              --baseline N             subgroups the control limits are estimated from (default 20)
              --rules LIST             the Nelson rules to check, such as 1,2,3,5 (default: all eight)
              --seed N                 random seed, for a repeatable run (default: a new one each run)
              --token T                publish with this bearer token (default: a publish token of the config)
              --cluster                run 3 hubs as one cluster on NATS JetStream (cluster.nats-urls of the config,
                                       default the local nats://127.0.0.1:4222), on the configured port and the next
                                       ones, each with its own dashboard; the simulator posts to each in turn
              --instances N            with --cluster: how many hubs (2 to 9, default 3)""";

    /**
     * Reads the arguments; {@code --opt value} and {@code --opt=value} are both accepted.
     *
     * @param seeds where a seed comes from when {@code --seed} is not given
     * @throws IllegalArgumentException naming the option that is wrong
     */
    static DemoOptions parse(String[] args, LongSupplier seeds) {
        Optional<Path> config = Optional.empty();
        Optional<String> token = Optional.empty();
        List<CharacteristicSpec> characteristics = CharacteristicSpec.defaults(3);
        double rate = SimulationSettings.DEFAULT_RATE;
        int subgroupSize = SimulationSettings.DEFAULT_SUBGROUP_SIZE;
        int baseline = SimulationSettings.DEFAULT_BASELINE;
        Set<NelsonRule> rules = EnumSet.allOf(NelsonRule.class);
        Long seed = null;
        boolean cluster = false;
        Integer instances = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new DemoOptions(config, SimulationSettings.defaults(0), token, 0, true);
            }
            if (arg.equals("--cluster")) {
                cluster = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            switch (name) {
                case "--config" -> config = Optional.of(Path.of(value));
                case "--rate" -> rate = number(name, value);
                case "--characteristics" -> characteristics = characteristics(value);
                case "--subgroup-size" -> subgroupSize = small(name, value);
                case "--baseline" -> baseline = small(name, value);
                case "--rules" -> rules = rules(value);
                case "--seed" -> seed = whole(name, value);
                case "--instances" -> {
                    instances = small(name, value);
                    if (instances < 2 || instances > 9) {
                        throw new IllegalArgumentException("--instances must be from 2 to 9, not " + value);
                    }
                }
                case "--token" -> {
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("--token must not be empty");
                    }
                    token = Optional.of(value);
                }
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (instances != null && !cluster) {
            throw new IllegalArgumentException("--instances goes with --cluster");
        }
        return new DemoOptions(config, new SimulationSettings(characteristics, rate, subgroupSize, baseline, rules,
                                                              seed == null ? seeds.getAsLong() : seed), token,
                               cluster ? (instances == null ? CLUSTER_INSTANCES : instances) : 0, false);
    }

    private static List<CharacteristicSpec> characteristics(String value) {
        if (value.trim().matches("\\d{1,9}")) {
            try {
                return CharacteristicSpec.defaults(Integer.parseInt(value.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--characteristics: " + e.getMessage());
            }
        }
        try {
            return CharacteristicSpec.named(Arrays.stream(value.split(",")).filter(s -> !s.isBlank()).toList());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--characteristics: " + e.getMessage());
        }
    }

    private static Set<NelsonRule> rules(String value) {
        if (value.trim().equals("all")) {
            return EnumSet.allOf(NelsonRule.class);
        }
        Set<NelsonRule> rules = EnumSet.noneOf(NelsonRule.class);
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                rules.add(NelsonRule.byId(Integer.parseInt(part.trim())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--rules: '" + part.trim() + "' is not a rule number (1 to 8)");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--rules: " + e.getMessage());
            }
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("--rules: name at least one rule (1 to 8), or all");
        }
        return rules;
    }

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + value + "'");
        }
    }

    private static int small(String name, String value) {
        long v = whole(name, value);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " is out of range: " + value);
        }
        return (int) v;
    }

    private static long whole(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }
}
