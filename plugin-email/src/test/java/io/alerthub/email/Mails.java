package io.alerthub.email;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMailUtil;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/** Reads received mails in tests. */
final class Mails {

    private static final Pattern VIOLATION = Pattern.compile("(?m)^Violation:\\s+(\\d+)\\s*$|\\[violation (\\d+)]");

    private Mails() {
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text/plain part. */
    static String text(MimeMessage m) {
        return part(m, "text/plain");
    }

    /** The text/html part. */
    static String html(MimeMessage m) {
        return part(m, "text/html");
    }

    /** How many events the mail carries (its {@link MailComposer#EVENTS_HEADER}). */
    static int events(MimeMessage m) {
        return Integer.parseInt(header(m, MailComposer.EVENTS_HEADER));
    }

    static String kind(MimeMessage m) {
        return header(m, MailComposer.KIND_HEADER);
    }

    static String header(MimeMessage m, String name) {
        try {
            String v = m.getHeader(name, ",");
            if (v == null) {
                throw new AssertionError("no " + name + " header");
            }
            return v;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The violation ids a mail names (a single violation's, or each listed in a digest). */
    static List<Long> violationIds(MimeMessage m) {
        List<Long> ids = new ArrayList<>();
        Matcher v = VIOLATION.matcher(text(m));
        while (v.find()) {
            ids.add(Long.parseLong(v.group(1) != null ? v.group(1) : v.group(2)));
        }
        return ids;
    }

    /** Every violation id in these mails, with how often it was mailed. */
    static Map<Long, Integer> violationCounts(List<MimeMessage> mails) {
        Map<Long, Integer> counts = new TreeMap<>();
        for (MimeMessage m : mails) {
            for (long id : violationIds(m)) {
                counts.merge(id, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The message as it came over the wire, headers and body. */
    static String raw(MimeMessage m) {
        return GreenMailUtil.getWholeMessage(m);
    }

    private static String part(MimeMessage m, String type) {
        try {
            if (!(m.getContent() instanceof MimeMultipart mp)
                    || !mp.getContentType().startsWith("multipart/alternative")) {
                throw new AssertionError("expected multipart/alternative, got " + m.getContentType());
            }
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart p = mp.getBodyPart(i);
                if (p.isMimeType(type)) {
                    return (String) p.getContent();
                }
            }
            throw new AssertionError("no " + type + " part");
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
