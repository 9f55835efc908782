package io.alerthub.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.alerthub.core.config.SecuritySettings;
import io.alerthub.spi.Authenticator.AuthenticationException;
import io.alerthub.spi.ConfigException;
import io.alerthub.spi.Identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Verifies bearer JWTs with Nimbus JOSE+JWT: the signature (HS256 with a shared secret, or RS256/ES256 with a
 * PEM public key or a JWKS file), {@code exp} (required) and {@code nbf}, with Nimbus' default clock skew
 * of 60 s. Roles come from the configured claim (a list, or a space- or comma-separated string).
 *
 * <p>A token whose {@code type} claim is {@code refresh} is refused: issuers such as OpenSPC sign their refresh
 * tokens with the same key as their access tokens, and a refresh token is a credential for the issuer's refresh
 * endpoint only, never a bearer token for the hub (OpenSPC's own {@code /ws/samples} refuses it too).
 */
final class JwtVerifier {

    private static final String KEY = "security.jwt.public-key-file";
    private static final String TYPE_CLAIM = "type";
    private static final String REFRESH = "refresh";
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String rolesClaim;
    private final Set<String> defaultRoles;

    private JwtVerifier(DefaultJWTProcessor<SecurityContext> processor, String rolesClaim, Set<String> defaultRoles) {
        this.processor = processor;
        this.rolesClaim = rolesClaim;
        this.defaultRoles = defaultRoles;
    }

    static JwtVerifier create(SecuritySettings.Jwt settings) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        if (settings.hs256Secret().isPresent()) {
            byte[] secret = settings.hs256Secret().get().getBytes(StandardCharsets.UTF_8);
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                                                                         new ImmutableSecret<>(secret)));
        } else {
            processor.setJWSKeySelector(keySelector(settings.publicKeyFile().orElseThrow()));
        }
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, Set.of("exp")));
        return new JwtVerifier(processor, settings.rolesClaim(), settings.defaultRoles());
    }

    Identity verify(String token) throws AuthenticationException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJWTException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase();
            if (m.contains("expired")) {
                throw new AuthenticationException("token expired", false);
            }
            if (m.contains("before use time")) {
                throw new AuthenticationException("token not valid yet (nbf)", false);
            }
            throw new AuthenticationException("invalid token: " + e.getMessage(), false);
        } catch (BadJOSEException e) {
            throw new AuthenticationException("invalid token signature", false);
        } catch (ParseException | JOSEException e) {
            throw new AuthenticationException("invalid token", false);
        }
        if (REFRESH.equals(claims.getClaim(TYPE_CLAIM))) {
            throw new AuthenticationException("refresh tokens are not accepted", false);
        }
        String subject = claims.getSubject() == null ? "jwt" : claims.getSubject();
        return new Identity(subject, roles(claims.getClaim(rolesClaim)),
                            claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant());
    }

    private Set<String> roles(Object claim) {
        if (claim == null) {
            return defaultRoles;
        }
        Collection<?> items = claim instanceof Collection<?> c ? c : List.of(claim.toString().split("[ ,]+"));
        Set<String> roles = new LinkedHashSet<>();
        for (Object item : items) {
            String r = String.valueOf(item);
            if (TokenAuthenticator.knownRoles().contains(r)) {
                roles.add(r);
            }
        }
        return roles;
    }

    /**
     * A JWKS file (keys chosen by the token's {@code kid}), or a single PEM public key (RSA or EC), which
     * verifies every RS256/ES256 token whatever its {@code kid}.
     */
    private static JWSKeySelector<SecurityContext> keySelector(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(KEY, "cannot read " + file + ": " + e.getMessage());
        }
        if (text.trim().startsWith("{")) {
            return new JWSVerificationKeySelector<>(ALGORITHMS, new ImmutableJWKSet<>(jwks(file, text)));
        }
        PublicKey key = pemPublicKey(file, text);
        JWSAlgorithm expected = key instanceof RSAPublicKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
        return (header, context) -> header.getAlgorithm().equals(expected) ? List.of(key) : List.of();
    }

    private static JWKSet jwks(Path file, String text) {
        try {
            JWKSet set = JWKSet.parse(text);
            if (set.getKeys().isEmpty()) {
                throw new ConfigException(KEY, file + " holds no keys");
            }
            return set;
        } catch (ParseException e) {
            throw new ConfigException(KEY, file + " is not a JWKS document: " + e.getMessage());
        }
    }

    private static PublicKey pemPublicKey(Path file, String pem) {
        int begin = pem.indexOf("-----BEGIN PUBLIC KEY-----");
        int end = pem.indexOf("-----END PUBLIC KEY-----");
        if (begin < 0 || end < begin) {
            throw new ConfigException(KEY, file + " is neither a JWKS file nor a PEM public key"
                    + " (-----BEGIN PUBLIC KEY-----)");
        }
        String base64 = pem.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end).replaceAll("\\s", "");
        X509EncodedKeySpec spec;
        try {
            spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(KEY, file + ": the PEM body is not base64");
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException(KEY, file + " holds neither an RSA nor an EC public key");
    }
}
