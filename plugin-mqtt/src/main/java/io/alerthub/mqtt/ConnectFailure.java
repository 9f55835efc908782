package io.alerthub.mqtt;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Why a connection attempt failed or a connection was lost, in words for operators, and whether it can heal by
 * itself (the broker comes back) or needs someone to act (credentials, certificates): the first is
 * {@code DEGRADED}, the second {@code DOWN}. The plugin keeps trying either way.
 *
 * @param heals  whether waiting can fix it
 * @param reason one line, without secrets
 */
record ConnectFailure(boolean heals, String reason) {

    static ConnectFailure of(Throwable error, String broker, String username) {
        if (error instanceof MqttException m && m.getReasonCode() >= 0x80 && m.getReasonCode() <= 0xFF) {
            int code = m.getReasonCode();
            return switch (code) {
                // Brokers answer a wrong password with either code (Mosquitto 2 says "not authorized").
                case 0x86, 0x87 -> new ConnectFailure(false, username.isEmpty()
                        ? "broker " + broker + " refused the connection: " + reasonCode(code)
                        + " (no username configured; the broker may require one)"
                        : "broker " + broker + " refused the login of user '" + username + "': " + reasonCode(code)
                        + "; check username and password");
                case 0x84, 0x85, 0x8A, 0x8C, 0x9C, 0x9D -> new ConnectFailure(false, "broker " + broker
                        + " refused the connection: " + reasonCode(code));
                default -> new ConnectFailure(true, "broker " + broker + " refused the connection: "
                        + reasonCode(code));
            };
        }
        Throwable certificate = find(error, CertificateException.class, CertPathBuilderException.class,
                                     CertPathValidatorException.class, SSLPeerUnverifiedException.class);
        if (certificate != null) {
            return new ConnectFailure(false, "TLS handshake with " + broker + " failed: the broker's certificate is"
                    + " not trusted (check trust-store and tls-verify-hostname): " + root(certificate));
        }
        if (find(error, SSLException.class) != null) {
            return new ConnectFailure(false, "TLS handshake with " + broker + " failed: " + root(error));
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException) {
                return new ConnectFailure(true, "broker " + broker + " unreachable: unknown host " + t.getMessage());
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return new ConnectFailure(true, "broker " + broker + " unreachable: " + root(t));
            }
            if (t instanceof SocketTimeoutException) {
                return new ConnectFailure(true, "broker " + broker + " unreachable: no answer in time");
            }
            if (t instanceof EOFException) {
                return new ConnectFailure(true, "broker " + broker + " closed the connection");
            }
        }
        if (error instanceof MqttException m && m.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_TIMEOUT) {
            return new ConnectFailure(true, "broker " + broker + " unreachable: no answer in time");
        }
        return new ConnectFailure(true, "broker " + broker + " unreachable: " + root(error));
    }

    /** Why an established connection ended, in a few words (the broker's reason code when it sent one). */
    static String lost(int reasonCode, String reasonString, Throwable error) {
        if (reasonCode >= 0x80) {
            return "the broker disconnected the client: " + reasonCode(reasonCode)
                    + (reasonString == null || reasonString.isBlank() ? "" : " " + reasonString);
        }
        if (error == null) {
            return "the connection was closed";
        }
        if (find(error, EOFException.class) != null) {
            return "the broker closed the connection";
        }
        if (error instanceof MqttException m && m.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_TIMEOUT) {
            return "the broker stopped answering (keep alive)";
        }
        return root(error);
    }

    /** MQTT 5 reason codes, as the specification names them. */
    static String reasonCode(int code) {
        String name = switch (code) {
            case 0x80 -> "unspecified error";
            case 0x81 -> "malformed packet";
            case 0x82 -> "protocol error";
            case 0x83 -> "implementation specific error";
            case 0x84 -> "unsupported protocol version";
            case 0x85 -> "client identifier not valid";
            case 0x86 -> "bad user name or password";
            case 0x87 -> "not authorized";
            case 0x88 -> "server unavailable";
            case 0x89 -> "server busy";
            case 0x8A -> "banned";
            case 0x8B -> "server shutting down";
            case 0x8C -> "bad authentication method";
            case 0x8D -> "keep alive timeout";
            case 0x8E -> "session taken over (another client connected with the same client-id)";
            case 0x90 -> "topic name invalid";
            case 0x93 -> "receive maximum exceeded";
            case 0x94 -> "topic alias invalid";
            case 0x95 -> "packet too large";
            case 0x97 -> "quota exceeded";
            case 0x99 -> "payload format invalid";
            case 0x9A -> "retain not supported";
            case 0x9B -> "QoS not supported";
            case 0x9C -> "use another server";
            case 0x9D -> "server moved";
            case 0x9F -> "connection rate exceeded";
            default -> "reason code";
        };
        return name + String.format(" (0x%02X)", code);
    }

    @SafeVarargs
    private static Throwable find(Throwable error, Class<? extends Throwable>... types) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return t;
                }
            }
        }
        return null;
    }

    private static String root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** A connection attempt that failed, carrying why. */
    static final class AttemptFailed extends java.lang.Exception {
        private final transient ConnectFailure failure;

        AttemptFailed(ConnectFailure failure) {
            super(failure.reason(), null, false, false);
            this.failure = failure;
        }

        ConnectFailure failure() {
            return failure;
        }
    }
}
