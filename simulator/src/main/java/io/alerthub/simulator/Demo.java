package io.alerthub.simulator;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;
import io.alerthub.core.config.SecuritySettings;
import io.alerthub.core.dispatch.PluginStatus;
import io.alerthub.spi.Identity;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A running demo: a hub, and the simulator publishing to it over its own HTTP API (exactly as an outside producer
 * would, so the demo exercises the real ingest path, deduplication and every channel). With {@code --cluster},
 * several hubs as one cluster on NATS JetStream, each serving its own dashboard; the simulator posts to each in turn
 * and every dashboard shows every event.
 */
final class Demo implements AutoCloseable {

    /** Where a dashboard jar on the class path keeps its page (the hub serves it at {@code /}). */
    static final String DASHBOARD_PAGE = "alerthub/dashboard/index.html";

    private final List<Hub> hubs;
    private final Simulator simulator;
    private final List<URI> dashboards;
    private final List<String> names;

    private Demo(List<Hub> hubs, Simulator simulator, List<URI> dashboards, List<String> names) {
        this.hubs = hubs;
        this.simulator = simulator;
        this.dashboards = dashboards;
        this.names = names;
    }

    /**
     * Starts the hub, then the simulator, and prints what runs and where to look.
     *
     * @throws io.alerthub.spi.ConfigException when the configuration is wrong (nothing is left running)
     */
    static Demo start(HubConfig config, DemoOptions options, PrintStream out) {
        return start(List.of(config), options, out);
    }

    /**
     * Starts the hubs (one, or the instances of a cluster, in order), then the simulator, which posts to each in
     * turn, and prints what runs and where to look.
     *
     * @throws io.alerthub.spi.ConfigException when a configuration is wrong (nothing is left running)
     */
    static Demo start(List<HubConfig> configs, DemoOptions options, PrintStream out) {
        List<Hub> hubs = new ArrayList<>();
        try {
            for (HubConfig config : configs) {
                hubs.add(Hub.start(config));
            }
            SimulationSettings simulation = options.simulation();
            String ids = simulation.characteristics().stream().map(c -> Integer.toString(c.id()))
                    .collect(Collectors.joining(","));
            HubConfig config = configs.getFirst();
            Optional<String> token = options.token().or(() -> publishToken(config.security()));
            List<URI> dashboards = new ArrayList<>();
            List<Simulator.Publisher> publishers = new ArrayList<>();
            for (Hub hub : hubs) {
                String publishHost = wildcard(hub.host()) ? "127.0.0.1" : urlHost(hub.host());
                String pageHost = wildcard(hub.host()) ? "localhost" : urlHost(hub.host());
                dashboards.add(URI.create("http://" + pageHost + ":" + hub.port() + "/?characteristic_ids=" + ids));
                publishers.add(new HubPublisher(URI.create("http://" + publishHost + ":" + hub.port()), token));
            }
            // Ids start above every seq the hub has given out; an earlier run published fewer ids than events.
            Simulator simulator = new Simulator(simulation, hubs.getFirst().log().headSeq() + 1,
                                                publishers.size() == 1 ? publishers.getFirst()
                                                        : new RoundRobin(publishers),
                                                Clock.systemUTC());
            Demo demo = new Demo(List.copyOf(hubs), simulator, List.copyOf(dashboards),
                                 configs.stream().map(c -> c.cluster().instanceId()).toList());
            demo.describe(config, options, token.isPresent(), out);
            simulator.start();
            return demo;
        } catch (RuntimeException e) {
            hubs.forEach(Hub::close);
            throw e;
        }
    }

    /** Posts each round of events to the next hub: a load balancer in front of a cluster. */
    private static final class RoundRobin implements Simulator.Publisher {
        private final List<Simulator.Publisher> publishers;
        private int next;

        RoundRobin(List<Simulator.Publisher> publishers) {
            this.publishers = publishers;
        }

        @Override
        public void publish(List<ObjectNode> events) throws InterruptedException {
            Simulator.Publisher p = publishers.get(next);
            next = (next + 1) % publishers.size();
            p.publish(events);
        }
    }

    /** The page that shows the simulated characteristics (the first hub's). */
    URI dashboard() {
        return dashboards.getFirst();
    }

    /** Every hub's page, in order. */
    List<URI> dashboards() {
        return dashboards;
    }

    /** The (first) hub. */
    Hub hub() {
        return hubs.getFirst();
    }

    /** Every hub, in order. */
    List<Hub> hubs() {
        return hubs;
    }

    /** Whether the simulator is still publishing (it stops when the hub refuses its token). */
    boolean simulating() {
        return simulator.running();
    }

    /** Stops the simulator, then the hubs (which deliver what they have accepted before they stop). */
    @Override
    public void close() {
        simulator.close();
        hubs.forEach(Hub::close);
    }

    private void describe(HubConfig config, DemoOptions options, boolean publishToken, PrintStream out) {
        SimulationSettings s = options.simulation();
        out.printf(Locale.ROOT, "AlertHub demo: %d characteristic%s, %s subgroup%s of %d per second each,"
                                + " Nelson rules %s (seed %d)%n",
                   s.characteristics().size(), s.characteristics().size() == 1 ? "" : "s", trim(s.rate()),
                   s.rate() == 1 ? "" : "s", s.subgroupSize(),
                   s.rules().stream().map(r -> Integer.toString(r.id())).collect(Collectors.joining(",")), s.seed());
        for (CharacteristicSpec c : s.characteristics()) {
            out.printf(Locale.ROOT, "  %3d  %-20s %-40s %s%n", c.id(), c.name(), c.behaviour().description(),
                       SpcEvents.lineTopic(c));
        }
        out.printf(Locale.ROOT, "Control limits come after %d subgroups (%s s); drifts and shifts begin %d subgroups"
                                + " later.%n", s.baseline(), trim(s.baseline() / s.rate()), ProcessModel.SETTLE);
        boolean secured = !config.security().tokens().isEmpty() || config.security().jwt().isPresent();
        if (secured && !publishToken) {
            out.println("note: the hub requires tokens and none with the publish role was found: start the demo with"
                                + " --token T");
        } else if (secured) {
            out.println("note: the hub requires tokens: the dashboard asks for one with the subscribe role");
        }
        if (hubs.size() > 1) {
            out.printf(Locale.ROOT, "Cluster of %d hubs on NATS JetStream (%s, stream %s); the simulator posts to each"
                                    + " in turn. Open every dashboard: each event arrives on all of them.%n",
                       hubs.size(), config.cluster().natsUrls().stream().map(URI::toString)
                               .collect(Collectors.joining(", ")), config.cluster().stream());
        }
        URI dashboard = dashboards.getFirst();
        Optional<PluginStatus> websocket = hub().plugins().stream().filter(p -> p.name().equals("websocket"))
                .findFirst();
        if (Demo.class.getClassLoader().getResource(DASHBOARD_PAGE) == null) {
            out.println("note: the dashboard is not installed (no dashboard jar on the class path); the events are at"
                                + " http://" + dashboard.getHost() + ":" + dashboard.getPort() + "/api/v1/events");
        } else if (!config.hub().dashboard()) {
            out.println("note: hub.dashboard is false in the configuration, so the hub does not serve the dashboard");
        } else if (websocket.isEmpty() || !websocket.get().enabled()) {
            out.println("note: the websocket plugin is " + (websocket.isEmpty() ? "not installed" : "disabled")
                                + "; the dashboard needs it (plugins.websocket.enabled: true)");
        }
        for (int i = 0; i < dashboards.size(); i++) {
            out.println("dashboard" + (hubs.size() > 1 ? " of instance " + names.get(i) : "") + ": "
                                + dashboards.get(i));
        }
        out.println("Ctrl-C stops the demo.");
        out.flush();
    }

    /** A configured token with the publish role: the demo runs inside the hub and may use it. */
    private static Optional<String> publishToken(SecuritySettings security) {
        return security.tokens().stream().filter(t -> t.roles().contains(Identity.PUBLISH)).findFirst()
                .map(SecuritySettings.Token::token);
    }

    private static boolean wildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty();
    }

    private static String urlHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
