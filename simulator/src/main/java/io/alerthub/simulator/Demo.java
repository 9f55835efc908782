package io.alerthub.simulator;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;
import io.alerthub.core.config.SecuritySettings;
import io.alerthub.core.dispatch.PluginStatus;
import io.alerthub.spi.Identity;

/**
 * A running demo: a hub, and the simulator publishing to it over its own HTTP API (exactly as an outside producer
 * would, so the demo exercises the real ingest path, deduplication and every channel).
 */
final class Demo implements AutoCloseable {

    /** Where a dashboard jar on the class path keeps its page (the hub serves it at {@code /}). */
    static final String DASHBOARD_PAGE = "alerthub/dashboard/index.html";

    private final Hub hub;
    private final Simulator simulator;
    private final URI dashboard;

    private Demo(Hub hub, Simulator simulator, URI dashboard) {
        this.hub = hub;
        this.simulator = simulator;
        this.dashboard = dashboard;
    }

    /**
     * Starts the hub, then the simulator, and prints what runs and where to look.
     *
     * @throws io.alerthub.spi.ConfigException when the configuration is wrong (nothing is left running)
     */
    static Demo start(HubConfig config, DemoOptions options, PrintStream out) {
        Hub hub = Hub.start(config);
        try {
            String publishHost = wildcard(hub.host()) ? "127.0.0.1" : urlHost(hub.host());
            String pageHost = wildcard(hub.host()) ? "localhost" : urlHost(hub.host());
            SimulationSettings simulation = options.simulation();
            String ids = simulation.characteristics().stream().map(c -> Integer.toString(c.id()))
                    .collect(Collectors.joining(","));
            URI dashboard = URI.create("http://" + pageHost + ":" + hub.port() + "/?characteristic_ids=" + ids);
            Optional<String> token = options.token().or(() -> publishToken(config.security()));
            // Ids start above every seq the hub has given out; an earlier run published fewer ids than events.
            Simulator simulator = new Simulator(simulation, hub.log().headSeq() + 1,
                                                new HubPublisher(URI.create("http://" + publishHost + ":" + hub.port()),
                                                                 token),
                                                Clock.systemUTC());
            Demo demo = new Demo(hub, simulator, dashboard);
            demo.describe(config, options, token.isPresent(), out);
            simulator.start();
            return demo;
        } catch (RuntimeException e) {
            hub.close();
            throw e;
        }
    }

    /** The page that shows the simulated characteristics. */
    URI dashboard() {
        return dashboard;
    }

    Hub hub() {
        return hub;
    }

    /** Whether the simulator is still publishing (it stops when the hub refuses its token). */
    boolean simulating() {
        return simulator.running();
    }

    /** Stops the simulator, then the hub (which delivers what it has accepted before it stops). */
    @Override
    public void close() {
        simulator.close();
        hub.close();
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
        Optional<PluginStatus> websocket = hub.plugins().stream().filter(p -> p.name().equals("websocket"))
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
        out.println("dashboard: " + dashboard);
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
