package io.alerthub.core.api;

import java.util.ArrayList;
import java.util.List;

import io.alerthub.spi.Authenticator;
import io.alerthub.spi.Identity;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.Status;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * {@code /observe/health} for everyone says UP or DOWN and nothing else; its details (each check, a plugin's reason,
 * which can name an SMTP host, a user or a broker) are for the admin role. Probes and load balancers need no token;
 * a request with an admin token (or any request while security is off, when everyone holds every role) reaches
 * Helidon's health observer and its details.
 */
public final class HealthAccess {

    private static final String PATH = "/observe/health";

    private record Check(HealthCheck check, HealthCheckType type) {
    }

    private final Access access;
    private final List<Check> checks = new ArrayList<>();

    public HealthAccess(Authenticator authenticator) {
        this.access = new Access(authenticator);
    }

    /** Registers a check that the public answer counts too (the same one goes to Helidon's observer). */
    public HealthCheck add(HealthCheck check) {
        checks.add(new Check(check, check.type()));
        return check;
    }

    /** A route filter in front of the health observer. */
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
            chain.proceed();
            return;
        }
        if (access.holds(req, Identity.ADMIN)) {
            chain.proceed();
            return;
        }
        HealthCheckType only = switch (path.substring(PATH.length())) {
            case "/live" -> HealthCheckType.LIVENESS;
            case "/ready" -> HealthCheckType.READINESS;
            case "/started" -> HealthCheckType.STARTUP;
            default -> null;
        };
        boolean up = true;
        for (Check c : checks) {
            if (only == null || c.type() == only) {
                up &= status(c.check()) == HealthCheckResponse.Status.UP;
            }
        }
        res.header("Cache-Control", "no-store");
        Responses.json(res, up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503,
                       ("{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}").getBytes());
    }

    private static HealthCheckResponse.Status status(HealthCheck check) {
        try {
            return check.call().status();
        } catch (RuntimeException e) {
            return HealthCheckResponse.Status.ERROR;
        }
    }
}
