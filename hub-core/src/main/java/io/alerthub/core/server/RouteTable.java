package io.alerthub.core.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Every route the hub and its plugins register (method and path), as they register it: the routing builder they are
 * handed records each {@code get}/{@code post}/... before passing it on. It is what {@code GET /openapi} must describe,
 * and {@code OpenApiTest} holds the two together; Helidon's routing does not list its routes.
 */
public final class RouteTable {

    /** A route: an HTTP method and a path pattern ({@code /api/v1/violations/{violation_id}/ack}). */
    public record Route(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head");

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /** The routes so far (wildcard routes of static content and the catch-alls that answer 405 are not routes). */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Adds a route registered outside the routing builder (Helidon's observers). */
    public void add(String method, String path) {
        routes.add(new Route(method, path));
    }

    /** A routing builder that records into this table and registers into {@code routing}. */
    public HttpRouting.Builder recording(HttpRouting.Builder routing) {
        return proxy(HttpRouting.Builder.class, routing, "");
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, Object target, String prefix) {
        InvocationHandler handler = (p, m, args) -> {
            record(m, args, prefix);
            Object[] passed = wrapServices(m, args, prefix);
            Object result;
            try {
                result = m.invoke(target, passed);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            // the builders return themselves for chaining: keep chaining through the proxy
            return result == target ? p : result;
        };
        return (T) Proxy.newProxyInstance(RouteTable.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private void record(Method m, Object[] args, String prefix) {
        String name = m.getName().toLowerCase(Locale.ROOT);
        if (!METHODS.contains(name) || args == null || args.length == 0 || !(args[0] instanceof String path)) {
            return;
        }
        String full = join(prefix, path);
        if (!full.contains("*")) {
            routes.add(new Route(name.toUpperCase(Locale.ROOT), full));
        }
    }

    /** {@code register(path, services...)}: each service registers its routes under the path, through a recorder. */
    private Object[] wrapServices(Method m, Object[] args, String prefix) {
        if (!m.getName().equals("register") || args == null) {
            return args;
        }
        Object[] out = args.clone();
        String under = args.length > 1 && args[0] instanceof String p ? join(prefix, p) : prefix;
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof HttpService[] services) {
                HttpService[] wrapped = new HttpService[services.length];
                for (int k = 0; k < services.length; k++) {
                    wrapped[k] = recordingService(services[k], under);
                }
                out[i] = wrapped;
            }
        }
        return out;
    }

    /** The service itself (its lifecycle too), with its {@code routing(rules)} handed a recorder. */
    private HttpService recordingService(HttpService service, String under) {
        InvocationHandler handler = (p, m, args) -> {
            Object[] passed = args;
            if (m.getName().equals("routing") && args != null && args.length == 1 && args[0] instanceof HttpRules r) {
                passed = new Object[] {proxy(HttpRules.class, r, under)};
            }
            try {
                return m.invoke(service, passed);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (HttpService) Proxy.newProxyInstance(RouteTable.class.getClassLoader(), new Class<?>[] {HttpService.class},
                                                    handler);
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty() || prefix.equals("/")) {
            return path;
        }
        return path.equals("/") || path.isEmpty() ? prefix : prefix + path;
    }

    /** For logs and assertions. */
    @Override
    public String toString() {
        return new ArrayList<>(routes).toString();
    }
}
