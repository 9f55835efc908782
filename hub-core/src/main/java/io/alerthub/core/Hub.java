package io.alerthub.core;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;

import io.alerthub.core.alarm.Alarms;
import io.alerthub.core.api.AlarmsApi;
import io.alerthub.core.api.ClusterApi;
import io.alerthub.core.api.ErrorMapping;
import io.alerthub.core.api.HealthAccess;
import io.alerthub.core.api.EventsApi;
import io.alerthub.core.api.PluginsApi;
import io.alerthub.core.api.SilencesApi;
import io.alerthub.core.cluster.Cluster;
import io.alerthub.core.config.HubConfig;
import io.alerthub.core.config.HubSettings;
import io.alerthub.core.config.ServerSettings;
import io.alerthub.core.dispatch.Dispatcher;
import io.alerthub.core.dispatch.LaneLeases;
import io.alerthub.core.dispatch.PluginStatus;
import io.alerthub.core.event.EventDraft;
import io.alerthub.core.event.EventLimits;
import io.alerthub.core.event.EventParser;
import io.alerthub.core.event.Ingest;
import io.alerthub.core.event.IngestGate;
import io.alerthub.core.event.InvalidEventException;
import io.alerthub.core.event.ViolationAck;
import io.alerthub.core.log.EngineUnavailableException;
import io.alerthub.core.log.EventLog;
import io.alerthub.core.log.SegmentedEventLog;
import io.alerthub.core.notify.LeasedNotifications;
import io.alerthub.core.notify.Notifications;
import io.alerthub.core.notify.NotifySettings;
import io.alerthub.core.notify.Silences;
import io.alerthub.core.plugin.DiscoveredPlugin;
import io.alerthub.core.plugin.PluginDiscovery;
import io.alerthub.core.security.TokenAuthenticator;
import io.alerthub.core.server.BrowserPolicy;
import io.alerthub.core.server.ConnectionGuard;
import io.alerthub.core.server.FileDescriptors;
import io.alerthub.core.server.ListenerWatch;
import io.alerthub.core.server.RouteTable;
import io.alerthub.core.server.TlsFiles;
import io.alerthub.spi.ConfigException;
import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.Health;
import io.alerthub.spi.NotificationSender;
import io.alerthub.spi.Notifier;
import io.alerthub.spi.RouteContributor;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.ErrorHandling;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.health.HealthObserverConfig;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.StaticContentService;
import io.helidon.webserver.websocket.WsRouting;

/**
 * The running hub: event log, ingest, the HTTP API, one lane per plugin, and the web server. Built from a
 * {@link HubConfig} by {@link #start(HubConfig)}; stopped gracefully by {@link #close()}.
 */
public final class Hub implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Hub.class.getName());
    /** Events kept in memory for the lanes and resumes near the head; older ones are read from the log files. */
    private static final int MAX_CACHED_EVENTS = 1_024;
    /** Where a dashboard jar on the class path keeps its static files; served at {@code /} when present. */
    private static final String DASHBOARD = "alerthub/dashboard";
    /** The description of the HTTP API that {@code GET /openapi} serves (kept true by OpenApiTest). */
    private static final String OPENAPI = "META-INF/openapi.yaml";

    private final HubConfig config;
    private final EventLog log;
    /** {@code null} unless cluster mode is on. */
    private final Cluster cluster;
    private final Dispatcher dispatcher;
    private final Alarms alarms;
    private final Notifications notifications;
    /** Cluster mode: the policy, run on one instance at a time ({@link #notifications} is then only checked). */
    private final LeasedNotifications leasedNotifications;
    private final IngestGate gate;
    private final WebServer server;
    /** Holds the plugins' meter functions, which Helidon's registry holds only weakly. */
    private final HubMeters meters;
    private final ConnectionGuard guard;
    private final ListenerWatch listenerWatch;
    private final RouteTable routeTable;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    private Hub(HubConfig config, EventLog log, Cluster cluster, Dispatcher dispatcher, Alarms alarms,
                Notifications notifications, LeasedNotifications leasedNotifications, IngestGate gate,
                WebServer server, HubMeters meters, ConnectionGuard guard, ListenerWatch listenerWatch,
                RouteTable routeTable) {
        this.config = config;
        this.log = log;
        this.cluster = cluster;
        this.dispatcher = dispatcher;
        this.alarms = alarms;
        this.notifications = notifications;
        this.leasedNotifications = leasedNotifications;
        this.gate = gate;
        this.server = server;
        this.meters = meters;
        this.guard = guard;
        this.listenerWatch = listenerWatch;
        this.routeTable = routeTable;
    }

    /**
     * Opens the event log, loads the plugins, starts the web server and the lanes.
     *
     * @throws ConfigException when the configuration (the hub's or a plugin's) is wrong; nothing is left running
     */
    public static Hub start(HubConfig config) {
        Clock clock = Clock.systemUTC();
        HubSettings hub = config.hub();
        TokenAuthenticator authenticator = TokenAuthenticator.create(config.security());
        Map<String, DiscoveredPlugin> discovered = discover(config);
        int cached = Math.min(hub.historySize(), MAX_CACHED_EVENTS);
        if (!config.cluster().enabled()) {
            EventLog log = SegmentedEventLog.open(hub.dataDir().resolve("log"), hub.log(), cached, clock);
            return start(config, clock, authenticator, discovered, log, null, hub.dataDir());
        }
        Cluster cluster = Cluster.connect(config.cluster(), hub, clock);
        try {
            Path local = Cluster.localDir(hub.dataDir(), config.cluster());
            EventLog log = cluster.openLog(local, hub, cached);
            return start(config, clock, authenticator, discovered, log, cluster, local);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Everything after the log is open, undone when it fails.
     *
     * @param stateDir where the cursors, the alarms, the silences and the policy's state live: {@code hub.data-dir}, or
     *                 in cluster mode the instance's folder of its stream (with the copy of the stream they follow)
     */
    private static Hub start(HubConfig config, Clock clock, TokenAuthenticator authenticator,
                             Map<String, DiscoveredPlugin> discovered, EventLog log, Cluster cluster, Path stateDir) {
        List<Notifier> created = new ArrayList<>();
        try {
            return start(config, clock, authenticator, discovered, log, cluster, stateDir, created);
        } catch (RuntimeException e) {
            for (Notifier n : created) {
                closeQuietly("?", n);
            }
            log.close();
            throw e;
        }
    }

    /** The installed plugins; a plugin named in the configuration must be one of them. */
    private static Map<String, DiscoveredPlugin> discover(HubConfig config) {
        Map<String, DiscoveredPlugin> discovered = PluginDiscovery.discover(Hub.class.getClassLoader(),
                                                                            pluginsDir(config.hub()).orElse(null));
        for (String name : config.plugins().keys()) {
            if (!discovered.containsKey(name)) {
                throw config.plugins().error(name, "no plugin named " + name + " is installed (installed: "
                        + String.join(", ", discovered.keySet()) + ")");
            }
        }
        return discovered;
    }

    /** Everything after the log is open; what it creates goes into {@code created}, closed by the caller on failure. */
    private static Hub start(HubConfig config, Clock clock, TokenAuthenticator authenticator,
                             Map<String, DiscoveredPlugin> discovered, EventLog log, Cluster cluster, Path stateDir,
                             List<Notifier> created) {
        HubSettings hub = config.hub();
        MeterRegistry metrics = Metrics.globalRegistry();
        NotifySettings notify = NotifySettings.create(config.root());
        Silences silences = Silences.open(stateDir.resolve("silences.json"), clock);
        if (cluster != null) {
            cluster.shareSilences(silences);
        }
        Ingest ingest = new Ingest(log, hub.dedupWindow(), hub.dedupMaxIds(), clock, metrics, silences);
        IngestGate gate = new IngestGate(hub.maxInflight());
        LogHistory history = new LogHistory(log, hub.historySize());
        Dispatcher dispatcher = new Dispatcher(log, stateDir.resolve("cursors"), hub.dispatch(), hub.log().fsync(),
                                               hub.log().fsyncInterval(), metrics);
        Alarms alarms = Alarms.open(log, drafts -> emit(drafts, ingest, gate), stateDir.resolve("alarms"),
                                    notify.alarmTypes(), clock);
        if (cluster != null) {
            alarms.announceWhile(cluster::announcesAlarms);
        }

        RouteTable routeTable = new RouteTable();
        HttpRouting.Builder http = routeTable.recording(HttpRouting.builder());
        for (String path : List.of("/observe/health", "/observe/health/live", "/observe/health/ready",
                                   "/observe/metrics", "/openapi")) {
            routeTable.add("GET", path);
        }
        WsRouting.Builder ws = WsRouting.builder();
        EventsApi events = new EventsApi(authenticator,
                                         new EventParser(new EventLimits(hub.maxEventBytes(),
                                                                         EventLimits.MAX_PAYLOAD_DEPTH,
                                                                         hub.maxBatchEvents(), hub.maxBodyBytes()), clock),
                                         ingest, gate, history, clock, config.security().rateLimit());
        http.register("/api/v1", events, new PluginsApi(authenticator, dispatcher::status),
                      new AlarmsApi(authenticator, alarms, events), new SilencesApi(authenticator, silences),
                      new ClusterApi(authenticator, cluster == null ? null : cluster::status));
        HealthAccess healthAccess = new HealthAccess(authenticator);
        HealthObserverConfig.Builder health = hubHealth(gate, log, ingest, healthAccess);
        if (cluster != null) {
            health.addCheck(healthAccess.add(check("cluster", HealthCheckType.READINESS, () -> clusterHealth(cluster))));
        }

        PluginContext.Acknowledger acknowledger = (id, body) -> acknowledge(id, body, alarms);
        HubMeters meters = new HubMeters(metrics);
        Map<String, Notifier> senders = new LinkedHashMap<>();
        for (DiscoveredPlugin plugin : discovered.values()) {
            PluginContext context = new PluginContext(plugin.name(), hub.dataDir().resolve("plugins"), history,
                                                      hub.broadcastTypes(), authenticator, meters, acknowledger);
            Notifier notifier = create(plugin, config, context, dispatcher, senders);
            if (notifier != null) {
                created.add(notifier);
                ConfigNode section = config.plugins().child(plugin.name());
                dispatcher.register(plugin.name(), plugin.source(), notifier,
                                    () -> plugin.provider().create(section, context));
                if (notifier instanceof RouteContributor routes) {
                    routes.routing(http, ws);
                }
                health.addCheck(healthAccess.add(pluginCheck(plugin.name(), dispatcher)));
            }
        }
        Set<String> enabledSenders = enabledSenders(senders, created);
        Notifications notifications = notifications(config, notify, senders, enabledSenders, discovered, log,
                                                    silences, alarms, dispatcher, metrics, clock, stateDir);
        config.rejectUnknown();

        if (hub.dashboard() && Hub.class.getClassLoader().getResource(DASHBOARD + "/index.html") != null) {
            http.register("/webjars", StaticContentService.builder("META-INF/resources/webjars").build());
            http.register("/", StaticContentService.builder(DASHBOARD).welcomeFileName("index.html").build());
        }
        http.addFilter(ConnectionGuard::closeWhenAsked);
        http.addFilter(BrowserPolicy::headers);
        http.addFilter(healthAccess::filter);
        ErrorMapping.register(http, metrics);
        metrics.getOrCreate(Gauge.builder("alerthub.log.head", log, l -> (double) l.headSeq())
                                    .description("The newest seq in the event log"));
        metrics.getOrCreate(Gauge.builder("alerthub.log.first", log, l -> (double) l.firstSeq())
                                    .description("The oldest seq the event log still holds"));
        if (log instanceof SegmentedEventLog local) {
            metrics.getOrCreate(FunctionalCounter.builder("alerthub.log.records", local, SegmentedEventLog::records)
                                        .description("Records written to the event log (one per request or"
                                                             + " batch accepted)"));
            metrics.getOrCreate(FunctionalCounter.builder("alerthub.log.fsyncs", local, SegmentedEventLog::fsyncs)
                                        .description("fsyncs of the event log's records; records over fsyncs is"
                                                             + " how many records one fsync carries"));
        }

        FileDescriptors fds = FileDescriptors.now();
        int maxConnections = fds.connections(config.server().maxConnections());
        ConnectionGuard guard = new ConnectionGuard(config.server().headerTimeout(), config.server().bodyTimeout());
        WebServer server;
        try {
            server = listen(config, http, ws, health, metrics, guard, maxConnections);
        } catch (RuntimeException e) {
            guard.close();
            throw e;
        }
        ListenerWatch listenerWatch = ListenerWatch.install();
        config.server().tls().ifPresent(t -> TlsFiles.reloadLoop(t, server));
        LeasedNotifications leased = null;
        if (cluster == null) {
            dispatcher.start();
            alarms.start();
            notifications.start();
        } else {
            String instance = config.cluster().instanceId().isEmpty()
                    ? hostName() + ":" + server.port() : config.cluster().instanceId();
            LeasedNotifications[] leasedRef = new LeasedNotifications[1];
            LaneLeases leases = cluster.join(instance, config.server().scheme() + "://" + config.server().host() + ":"
                                                     + server.port(),
                                             () -> lanesRunning(dispatcher, cluster, leasedRef[0]));
            dispatcher.start(leases);
            alarms.start();
            leased = leasedNotifications(config, notify, senders, enabledSenders, discovered, log, silences, alarms,
                                         dispatcher, metrics, clock, notifications, cluster, stateDir);
            leasedRef[0] = leased;
            leased.start(leases.lease("notify", () -> 0));
        }
        LOG.log(System.Logger.Level.INFO, "listening on " + config.server().scheme() + "://" + config.server().host()
                + ":" + server.port());
        LOG.log(System.Logger.Level.INFO, describe(fds, maxConnections, config.server().maxConnections()));
        LOG.log(System.Logger.Level.INFO, "plugins: " + describe(dispatcher.status()));
        if (!authenticator.enabled()) {
            LOG.log(System.Logger.Level.WARNING, "security is off (no tokens, no JWT key): anyone who can reach "
                    + config.server().host() + ":" + server.port() + " may publish and subscribe");
        }
        return new Hub(config, log, cluster, dispatcher, alarms, notifications, leased, gate, server, meters, guard,
                       listenerWatch, routeTable);
    }

    /** Cluster mode's check: UP while the engine is reachable; DEGRADED (still serving its clients) while it is not. */
    private static HealthCheckResponse clusterHealth(Cluster cluster) {
        boolean up = cluster.engineUp();
        return HealthCheckResponse.builder()
                .status(true)
                .detail("state", up ? "UP" : "DEGRADED")
                .detail("engine", up ? "UP" : "DOWN")
                .detail("instance_id", cluster.instanceId())
                .build();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }

    /** The single consumers with side effects this instance runs now: plugins' lanes, the alarms, the policy. */
    private static List<String> lanesRunning(Dispatcher dispatcher, Cluster cluster, LeasedNotifications leased) {
        List<String> lanes = new ArrayList<>(dispatcher.leasedLanesRunning());
        if (cluster.announcesAlarms()) {
            lanes.add("alarms");
        }
        if (leased != null && leased.running()) {
            lanes.add("notify");
        }
        return lanes;
    }

    /** The senders among the created plugins: the human channels that run. */
    private static Set<String> enabledSenders(Map<String, Notifier> senders, List<Notifier> created) {
        Set<String> enabled = new LinkedHashSet<>();
        senders.forEach((name, n) -> {
            if (created.contains(n)) {
                enabled.add(name);
            }
        });
        return enabled;
    }

    /**
     * The notification policy, with the receivers' addresses read by their channels' plugins; each enabled human
     * channel is fed by it instead of a lane. The disabled ones, kept only for that reading, are closed.
     */
    private static Notifications notifications(HubConfig config, NotifySettings notify, Map<String, Notifier> senders,
                                               Set<String> enabled, Map<String, DiscoveredPlugin> discovered,
                                               EventLog log, Silences silences, Alarms alarms, Dispatcher dispatcher,
                                               MeterRegistry metrics, Clock clock, Path stateDir) {
        try {
            Notifications n = Notifications.open(notify, senders, enabled, discovered.keySet(), log, silences, alarms,
                                                 stateDir.resolve("notify"), config.hub().dispatch(), metrics, clock);
            for (String name : enabled) {
                dispatcher.feed(name, n.feed(name));
            }
            return n;
        } finally {
            senders.forEach((name, n) -> {
                if (!enabled.contains(name)) {
                    closeQuietly(name, n);
                }
            });
        }
    }

    /**
     * Cluster mode: the policy made at start (its configuration checked) is not started here; one instance at a time
     * makes and runs it from the state kept in the engine, and the human channels are fed through that.
     */
    private static LeasedNotifications leasedNotifications(HubConfig config, NotifySettings notify,
                                                           Map<String, Notifier> senders, Set<String> enabled,
                                                           Map<String, DiscoveredPlugin> discovered, EventLog log,
                                                           Silences silences, Alarms alarms, Dispatcher dispatcher,
                                                           MeterRegistry metrics, Clock clock, Notifications checked,
                                                           Cluster cluster, Path stateDir) {
        checked.unregisterMeters(metrics);
        Path dir = stateDir.resolve("notify");
        LeasedNotifications leased = new LeasedNotifications(
                saved -> Notifications.open(notify, senders, enabled, discovered.keySet(), log, silences, alarms, dir,
                                            config.hub().dispatch(), metrics, clock, saved),
                cluster.state("notify"), dir, metrics, config.hub().shutdownTimeout());
        for (String name : enabled) {
            dispatcher.feed(name, leased.feed(name));
        }
        return leased;
    }

    /** The file descriptor limit and the connection limit under it, for the start-up log. */
    private static String describe(FileDescriptors fds, int maxConnections, int configured) {
        String limit = fds.limit().isPresent() ? Long.toString(fds.limit().getAsLong()) : "unknown";
        return "file descriptors: limit " + limit + ", " + fds.open() + " open; at most " + maxConnections
                + " connections" + (configured == 0 ? " (server.max-connections: below the limit)"
                : configured > maxConnections ? " (server.max-connections " + configured
                        + " lowered to stay below the file descriptor limit; raise it with ulimit -n)"
                : " (server.max-connections)");
    }

    /**
     * Checks a plugin's configuration and builds its notifier: {@code null} when the plugin is disabled (registered
     * as such) or failed to load (logged and skipped; its keys are not checked).
     *
     * @throws ConfigException when its configuration is wrong
     */
    private static Notifier create(DiscoveredPlugin plugin, HubConfig config, PluginContext context,
                                   Dispatcher dispatcher, Map<String, Notifier> senders) {
        String name = plugin.name();
        ConfigNode section = config.plugins().child(name);
        boolean enabled = section.bool("enabled", plugin.provider().enabledByDefault());
        Notifier notifier;
        try {
            notifier = plugin.provider().create(section, context);
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "plugin " + name + " (" + plugin.source()
                    + ") skipped: it failed to load: " + e, e);
            config.plugins().accept(name);
            return null;
        }
        section.rejectUnknown();
        if (notifier instanceof NotificationSender) {
            // its receivers' addresses are read by the notification policy, enabled or not (closed after that)
            senders.put(name, notifier);
        }
        if (!enabled) {
            if (!(notifier instanceof NotificationSender)) {
                closeQuietly(name, notifier);
            }
            dispatcher.register(name, plugin.source(), null);
            return null;
        }
        return notifier;
    }

    /** The hub's own checks: readiness (ingest open) and liveness (the log). */
    private static HealthObserverConfig.Builder hubHealth(IngestGate gate, EventLog log, Ingest ingest,
                                                          HealthAccess access) {
        HealthObserverConfig.Builder health = HealthObserver.builder().details(true).useSystemServices(false);
        health.addCheck(access.add(check("hub", HealthCheckType.READINESS, () -> {
            var failure = ingest.logFailure();
            HealthCheckResponse.Builder b = HealthCheckResponse.builder()
                    .status(!gate.isClosed() && failure.isEmpty())
                    .detail("head_seq", log.headSeq());
            failure.ifPresent(f -> b.detail("event_log", (f.storageFull() ? "storage full: " : "failing: ")
                    + f.getMessage()));
            ingest.shortenedDedupWindow().ifPresent(w -> b.detail("dedup_window_shortened_to", w.toString())
                    .detail("warning", "the dedup id cap (hub.dedup-max-ids) shortens the dedup window at this rate"));
            return b.build();
        })));
        health.addCheck(access.add(check("event-log", HealthCheckType.LIVENESS, () -> HealthCheckResponse.builder()
                .status(true)
                .detail("head_seq", log.headSeq())
                .detail("first_seq", log.firstSeq())
                .build())));
        return health;
    }

    private static HealthCheck check(String name, HealthCheckType type,
                                     java.util.function.Supplier<HealthCheckResponse> call) {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return type;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckResponse call() {
                return call.get();
            }
        };
    }

    /**
     * Starts the web server.
     *
     * @throws IllegalStateException when it cannot listen, in one line
     */
    private static WebServer listen(HubConfig config, HttpRouting.Builder http, WsRouting.Builder ws,
                                    HealthObserverConfig.Builder health, MeterRegistry metrics, ConnectionGuard guard,
                                    int maxConnections) {
        ServerSettings settings = config.server();
        String where = settings.host() + ":" + settings.port();
        // A wrong certificate or key stops the start here, naming its key (a ConfigException).
        var tls = settings.tls().map(t -> new TlsFiles(t).load());
        WebServer server;
        try {
            var builder = WebServer.builder()
                    .host(settings.host())
                    .port(settings.port())
                    .shutdownHook(false)
                    // Helidon 4.5 serves connections on a SocketChannel by default (NioSocket): two 8 KB heap
                    // buffers per connection, and every write copied through its 8 KB buffer, so a batch of frames
                    // for a dashboard goes out in 8 KB pieces. The stream socket (PlainSocket, Helidon 4.2's) keeps
                    // one buffer and writes a batch whole: 10,000 idle dashboards take 285 MB instead of 361 MB
                    // (docs/performance.md, item 14).
                    .useNio(false)
                    .featuresDiscoverServices(false)
                    .maxPayloadSize(config.hub().maxBodyBytes())
                    // Connections beyond it wait in the accept backlog, so accept never meets EMFILE (which ends
                    // Helidon's listener for good).
                    .maxTcpConnections(maxConnections)
                    // Helidon's idle check, for keep-alive connections between requests.
                    .idleConnectionTimeout(settings.idleTimeout())
                    .idleConnectionPeriod(Duration.ofSeconds(Math.max(1, Math.min(30, settings.idleTimeout().toSeconds() / 2))))
                    // The messages of the hub's own refusals (RequestFraming) reach the client.
                    .errorHandling(ErrorHandling.builder().includeEntity(true).build())
                    // Helidon's query validation refuses ':' although RFC 3986 allows it in a query, and
                    // the protocol's own queries carry it (?topic=line:7, ?topics=project:456).
                    .addProtocol(Http1Config.builder()
                                         .validatePrologue(false)
                                         .addReceiveListener(guard)
                                         .addSendListener(guard)
                                         .build());
            tls.ifPresent(builder::tls);
            BrowserPolicy.cors(settings.corsOrigins()).ifPresent(builder::addFeature);
            builder.addFeature(OpenApiFeature.builder()
                                       .servicesDiscoverServices(false)
                                       .managerDiscoverServices(false)
                                       .staticFile(OPENAPI)
                                       .permitAll(true)
                                       .build());
            server = builder
                    .directHandlers(ErrorMapping.directHandlers())
                    .addFeature(ObserveFeature.builder()
                                        .observersDiscoverServices(false)
                                        .addObserver(health.build())
                                        .addObserver(MetricsObserver.builder().meterRegistry(metrics).build())
                                        .build())
                    .routing(http)
                    .addRouting(ws)
                    .build()
                    .start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + where + ": " + rootMessage(e), e);
        }
        if (server.port() < 0) {
            // Helidon logs a failed bind and carries on without the listener; a hub that cannot be reached must not.
            server.stop();
            throw new IllegalStateException("cannot listen on " + where + " (is another process using it?)");
        }
        return server;
    }

    /**
     * A plugin's acknowledgement ({@code HubContext.acknowledge}: the MQTT bridge), exactly as over HTTP: an unknown
     * alarm is refused (naming {@code violation_id}); an alarm acknowledged already keeps its first acknowledgement,
     * and its {@code seq} is returned.
     */
    private static long acknowledge(String violationId, byte[] body, Alarms alarms) {
        try {
            return alarms.acknowledge(ViolationAck.read(violationId, body)).seq();
        } catch (InvalidEventException e) {
            throw new IllegalArgumentException(e.field() == null ? e.getMessage() : e.field() + ": " + e.getMessage());
        } catch (Alarms.UnknownAlarmException e) {
            throw new IllegalArgumentException("violation_id: " + e.getMessage());
        } catch (IngestGate.RefusedException | EngineUnavailableException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    /** Events the hub itself writes (alarm updates, clears, acknowledgements), through the same gate and ingest. */
    private static List<Long> emit(List<EventDraft> drafts, Ingest ingest, IngestGate gate) {
        gate.enter();
        try {
            return ingest.accept(drafts).seqs();
        } finally {
            gate.exit();
        }
    }

    private static HealthCheck pluginCheck(String name, Dispatcher dispatcher) {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return HealthCheckType.READINESS;
            }

            @Override
            public String name() {
                return "plugin-" + name;
            }

            @Override
            public HealthCheckResponse call() {
                PluginStatus s = dispatcher.status().stream().filter(p -> p.name().equals(name)).findFirst()
                        .orElseThrow();
                HealthCheckResponse.Builder b = HealthCheckResponse.builder()
                        .status(s.state() != Health.State.DOWN)
                        .detail("state", s.state().name())
                        .detail("circuit", s.circuit())
                        .detail("lag", s.lag());
                if (!s.reason().isEmpty()) {
                    b.detail("reason", s.reason());
                }
                return b.build();
            }
        };
    }

    private static String describe(List<PluginStatus> plugins) {
        if (plugins.isEmpty()) {
            return "none";
        }
        StringJoiner j = new StringJoiner(", ");
        for (PluginStatus p : plugins) {
            j.add(p.name() + " " + (p.enabled() ? p.state().name() : "disabled")
                          + (p.enabled() && !p.reason().isEmpty() ? " (" + p.reason() + ")" : ""));
        }
        return j.toString();
    }

    private static void closeQuietly(String name, Notifier notifier) {
        try {
            notifier.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "plugin " + name + ": close failed: " + e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The port the server listens on (the real one when 0 was configured). */
    public int port() {
        return server.port();
    }

    public String host() {
        return config.server().host();
    }

    /** The hub's event log. */
    public EventLog log() {
        return log;
    }

    /** The plugins, as {@code GET /api/v1/plugins} shows them. */
    public List<PluginStatus> plugins() {
        return dispatcher.status();
    }

    /**
     * Runs {@code reaction} when the listener stopped accepting for good (out of file descriptors): the process can no
     * longer be reached, and should end so that its supervisor starts it again.
     */
    public void onListenerLost(Runnable reaction) {
        listenerWatch.onLost(reaction);
    }

    /** Why the listener stopped accepting, or {@code null} while it accepts. */
    public String listenerLost() {
        return listenerWatch.lost();
    }

    /** Every HTTP route the hub and its plugins serve, which {@code GET /openapi} describes. */
    public List<RouteTable.Route> routes() {
        return routeTable.routes();
    }

    /** Connections cut because their {@code headers} or {@code body} came too slowly. */
    public long connectionsCut(String phase) {
        return guard.cut(phase);
    }

    /** Blocks until the hub has stopped. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops gracefully: refuses new events (503), lets every lane reach the log head within
     * {@code hub.shutdown-timeout}, closes the plugins and saves their cursors, stops the server, closes the log.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            LOG.log(System.Logger.Level.INFO, "stopping: refusing new events, delivering the last ones");
            gate.close();
            if (leasedNotifications != null) {
                leasedNotifications.close();
            } else {
                notifications.stop(config.hub().shutdownTimeout());
            }
            boolean drained = dispatcher.stop(config.hub().shutdownTimeout());
            alarms.close();
            listenerWatch.close();
            server.stop();
            guard.close();
            log.close();
            if (cluster != null) {
                cluster.close();
            }
            removeMeters();
            LOG.log(System.Logger.Level.INFO, "stopped" + (drained ? "" : " (some plugins had not caught up;"
                    + " they go on from their cursor at the next start)"));
        } finally {
            stopped.countDown();
        }
    }

    /** The hub's meters live in the process-wide registry; a stopped hub takes its own out (plugins' too). */
    private static void removeMeters() {
        MeterRegistry registry = Metrics.globalRegistry();
        for (Meter m : registry.meters()) {
            if (m.id().name().startsWith("alerthub.")) {
                registry.remove(m);
            }
        }
    }

    private static Optional<Path> pluginsDir(HubSettings hub) {
        if (hub.pluginsDir().isPresent()) {
            return hub.pluginsDir();
        }
        String home = System.getenv("ALERTHUB_HOME");
        return home == null ? Optional.empty() : Optional.of(Path.of(home, "plugins"));
    }

}
