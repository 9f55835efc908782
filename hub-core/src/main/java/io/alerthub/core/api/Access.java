package io.alerthub.core.api;

import java.util.Locale;

import io.alerthub.spi.Authenticator;
import io.alerthub.spi.Identity;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/** Checks the bearer token of an API request against the roles an endpoint needs. */
final class Access {

    private final Authenticator authenticator;

    Access(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** Whether the request carries a valid token holding {@code role} (always, while security is off); never throws. */
    boolean holds(ServerRequest req, String role) {
        try {
            return require(req, role) != null;
        } catch (ApiException e) {
            return false;
        }
    }

    /**
     * The caller's identity, when it holds one of {@code anyOf}.
     *
     * @throws ApiException 401 without a valid token, 403 with a token lacking the role
     */
    Identity require(ServerRequest req, String... anyOf) {
        if (!authenticator.enabled()) {
            return Identity.ANONYMOUS;
        }
        String token = req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                .orElse(null);
        Identity identity;
        try {
            identity = authenticator.authenticate(token);
        } catch (Authenticator.AuthenticationException e) {
            throw new ApiException(Status.UNAUTHORIZED_401, "unauthorized", e.getMessage());
        }
        if (!identity.hasAnyRole(anyOf)) {
            throw new ApiException(Status.FORBIDDEN_403, "forbidden",
                                   "this token lacks the role " + String.join(" or ", anyOf).toLowerCase(Locale.ROOT));
        }
        return identity;
    }
}
