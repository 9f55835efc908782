package io.alerthub.email;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * A recipient list: bare addresses, without duplicates, in a stable order, so that the same people always
 * make the same list (digests, rate limits and the record of sent mail are kept per list).
 *
 * @param addresses the addresses, sorted case-insensitively; never empty
 */
record Recipients(List<String> addresses) {

    Recipients {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a recipient list needs at least one address");
        }
        addresses = List.copyOf(addresses);
    }

    /** The list of {@code addresses}, sorted, duplicates (ignoring case) removed. */
    static Recipients of(Collection<String> addresses) {
        TreeMap<String, String> byKey = new TreeMap<>();
        for (String a : addresses) {
            byKey.putIfAbsent(a.toLowerCase(Locale.ROOT), a);
        }
        return new Recipients(new ArrayList<>(byKey.values()));
    }

    /**
     * Reads one address from the configuration: CR/LF and control characters are removed first, then the address
     * must parse strictly ({@code name@domain}, optionally as {@code Name <name@domain>}).
     *
     * @return the bare address
     * @throws IllegalArgumentException naming what is wrong
     */
    static String parseAddress(String text) {
        return parseInternetAddress(text).getAddress();
    }

    /** Like {@link #parseAddress(String)}, keeping a display name ({@code AlertHub <alerthub@example.com>}). */
    static InternetAddress parseInternetAddress(String text) {
        String clean = HeaderText.clean(text);
        if (clean.isEmpty()) {
            throw new IllegalArgumentException("an address must not be empty");
        }
        try {
            InternetAddress a = new InternetAddress(clean, true);
            a.validate();
            if (a.isGroup() || a.getAddress() == null || a.getAddress().indexOf('@') < 1) {
                throw new IllegalArgumentException("'" + clean + "' is not a mail address (name@domain)");
            }
            return a;
        } catch (AddressException e) {
            throw new IllegalArgumentException("'" + clean + "' is not a mail address (name@domain): "
                    + e.getMessage());
        }
    }

    /** The key that names the list (for digests, rate limits, logs). */
    String key() {
        return String.join(",", addresses);
    }

    /** These recipients without the given ones (compared ignoring case); empty when nobody is left. */
    List<String> without(Set<String> lowerCaseAddresses) {
        List<String> left = new ArrayList<>(addresses.size());
        for (String a : addresses) {
            if (!lowerCaseAddresses.contains(a.toLowerCase(Locale.ROOT))) {
                left.add(a);
            }
        }
        return left;
    }

    InternetAddress[] internetAddresses() {
        InternetAddress[] out = new InternetAddress[addresses.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = new InternetAddress(addresses.get(i), true);
            } catch (AddressException e) {
                throw new IllegalStateException("address checked at load no longer parses: " + addresses.get(i), e);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return key();
    }
}
