package io.alerthub.core.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.helidon.config.spi.ConfigFilter;

/**
 * {@code ${NAME:default}} in a configuration value: the value of {@code NAME} (an environment variable, or a key),
 * or {@code default} when it is not set. Helidon's own value resolving does {@code ${NAME}} and has no default form;
 * this filter adds it in Helidon's filter chain, beside Helidon's.
 */
final class ReferenceDefaults implements ConfigFilter {

    private static final Pattern WITH_DEFAULT = Pattern.compile("(?<!\\\\)\\$\\{([^}:]+):([^}]*)}");

    private Config root;

    @Override
    public void init(Config config) {
        root = config;
    }

    @Override
    public String apply(Config.Key key, String value) {
        if (value.indexOf("${") < 0) {
            return value;
        }
        Matcher m = WITH_DEFAULT.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved = root.get(m.group(1)).asString().orElse(m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }
}
