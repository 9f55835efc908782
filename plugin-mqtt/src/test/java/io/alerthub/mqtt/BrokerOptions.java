package io.alerthub.mqtt;

import java.util.Map;

/**
 * What a test's own broker needs besides a plain listener.
 *
 * @param users           username → password; empty: anonymous clients are allowed
 * @param tls             the broker's certificate for a TLS listener, or {@code null} for none
 * @param unlimitedQueues keep every message for an offline persistent subscriber (Mosquitto and HiveMQ keep 1000
 *                        by default); for measurements that must not count the broker's own drops as losses
 * @param maxPacketSize   the largest packet the broker takes (announced in its CONNACK); 0: its default
 * @param clientCa        with TLS: the (self-signed) client certificate the TLS listener requires of every
 *                        client, or {@code null} when it requires none
 */
record BrokerOptions(Map<String, String> users, TestCertificates.Server tls, boolean unlimitedQueues,
                     int maxPacketSize, TestCertificates.Server clientCa) {

    static BrokerOptions plain() {
        return new BrokerOptions(Map.of(), null, false, 0, null);
    }

    BrokerOptions withUsers(Map<String, String> users) {
        return new BrokerOptions(users, tls, unlimitedQueues, maxPacketSize, clientCa);
    }

    BrokerOptions withTls(TestCertificates.Server tls) {
        return new BrokerOptions(users, tls, unlimitedQueues, maxPacketSize, clientCa);
    }

    BrokerOptions withUnlimitedQueues() {
        return new BrokerOptions(users, tls, true, maxPacketSize, clientCa);
    }

    BrokerOptions withMaxPacketSize(int bytes) {
        return new BrokerOptions(users, tls, unlimitedQueues, bytes, clientCa);
    }

    BrokerOptions withClientCertificates(TestCertificates.Server clientCa) {
        return new BrokerOptions(users, tls, unlimitedQueues, maxPacketSize, clientCa);
    }
}
