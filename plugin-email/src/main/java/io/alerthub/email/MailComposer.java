package io.alerthub.email;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * Puts a rendered mail together: headers (every value on one line, see {@link HeaderText}), and a
 * {@code multipart/alternative} body with the text part first and the HTML part second, both UTF-8.
 *
 * <p>The {@code Message-ID} is derived from the recipients and the events the mail carries, so that the rare
 * mail sent twice (see docs/email.md, at-least-once) carries the same id both times and mail clients that
 * de-duplicate by id show it once.
 */
final class MailComposer {

    /** Header with the number of events a mail carries (1 for a single event). */
    static final String EVENTS_HEADER = "X-AlertHub-Events";
    /** Header naming the mail's kind: {@code event}, {@code digest} or {@code reminder}. */
    static final String KIND_HEADER = "X-AlertHub-Kind";

    private final Session session;
    private final InternetAddress from;

    MailComposer(Session session, InternetAddress from) {
        this.session = session;
        this.from = from;
    }

    /**
     * Builds the message.
     *
     * @param mail     the rendered parts
     * @param to       the recipients
     * @param kind     {@code event}, {@code digest} or {@code reminder}
     * @param events   how many events the mail carries
     * @param identity what makes this mail this mail (its kind, recipients and events), for the Message-ID
     */
    MimeMessage compose(MailTemplates.Rendered mail, Recipients to, String kind, long events, String identity)
            throws MessagingException {
        String messageId = "<alerthub." + hash(identity) + "@" + domain() + ">";
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(from);
        m.setRecipients(MimeMessage.RecipientType.TO, to.internetAddresses());
        m.setSubject(HeaderText.clean(mail.subject()), StandardCharsets.UTF_8.name());
        m.setSentDate(new Date());
        // RFC 3834: an automatic message; auto-responders and out-of-office replies should stay quiet.
        m.setHeader("Auto-Submitted", "auto-generated");
        m.setHeader("X-Auto-Response-Suppress", "All");
        m.setHeader(EVENTS_HEADER, Long.toString(events));
        m.setHeader(KIND_HEADER, HeaderText.clean(kind));

        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        m.setContent(alternative);
        m.saveChanges();
        return m;
    }

    private String domain() {
        String a = from.getAddress();
        return a.substring(a.lastIndexOf('@') + 1);
    }

    private static String hash(String identity) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
