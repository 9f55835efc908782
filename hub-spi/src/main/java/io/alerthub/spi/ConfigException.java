package io.alerthub.spi;

/** A configuration value that is missing, unknown or does not parse; the message starts with the key. */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String message) {
        super(key + ": " + message, null, false, false);
        this.key = key;
    }

    /** The full key, {@code plugins.mqtt.qos.sample}. */
    public String key() {
        return key;
    }
}
