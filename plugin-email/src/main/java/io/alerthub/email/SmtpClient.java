package io.alerthub.email;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Talks SMTP through Jakarta Mail (Angus): opens a connection, sends mails on it, and says per recipient what
 * the server did. Used by the sending loop's one thread only.
 */
final class SmtpClient {

    private final SmtpSettings settings;
    private final Session session;

    /**
     * A reason the server could not be used at all (unreachable, TLS or login refused).
     */
    static final class UnavailableException extends Exception {
        UnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    SmtpClient(SmtpSettings settings, InternetAddress from) {
        this.settings = settings;
        this.session = Session.getInstance(settings.sessionProperties(from.getAddress()));
    }

    Session session() {
        return session;
    }

    /**
     * Connects (and logs in, and upgrades to TLS, as configured).
     *
     * @throws UnavailableException with a one-line reason; never contains the password
     */
    Connection connect() throws UnavailableException {
        Transport transport;
        try {
            transport = session.getTransport(settings.protocol());
        } catch (MessagingException e) {
            throw new UnavailableException("no mail transport for " + settings.protocol() + ": " + describe(e));
        }
        try {
            String user = settings.username().isEmpty() ? null : settings.username();
            String password = settings.username().isEmpty() ? null : settings.password();
            transport.connect(settings.host(), settings.port(), user, password);
        } catch (AuthenticationFailedException e) {
            throw new UnavailableException("login refused: " + describe(e));
        } catch (MessagingException e) {
            throw new UnavailableException(describe(e));
        }
        return new Connection(transport);
    }

    /** An open SMTP session. */
    static final class Connection implements AutoCloseable {
        private final Transport transport;
        private boolean broken;

        private Connection(Transport transport) {
            this.transport = transport;
        }

        /** Whether another mail can go on this connection. */
        boolean usable() {
            return !broken && transport.isConnected();
        }

        SendOutcome send(MimeMessage message, Recipients to) {
            try {
                transport.sendMessage(message, to.internetAddresses());
                return SendOutcome.delivered(to.addresses());
            } catch (SendFailedException e) {
                return classify(e, to);
            } catch (MessagingException e) {
                broken = true;
                return SendOutcome.serverFailed(to.addresses(), describe(e));
            }
        }

        private SendOutcome classify(SendFailedException e, Recipients to) {
            Map<String, String> replies = new HashMap<>();
            for (Exception x = e.getNextException(); x != null;
                 x = x instanceof MessagingException m ? m.getNextException() : null) {
                if (x instanceof SMTPAddressFailedException af) {
                    replies.put(af.getAddress().getAddress(), reply(af));
                } else if (x instanceof IOException) {
                    broken = true;
                }
            }
            List<String> accepted = addresses(e.getValidSentAddresses());
            List<String> deferred = addresses(e.getValidUnsentAddresses());
            List<SendOutcome.Refusal> rejected = new ArrayList<>();
            for (String a : addresses(e.getInvalidAddresses())) {
                rejected.add(new SendOutcome.Refusal(a, replies.getOrDefault(a, reply(e))));
            }
            if (accepted.isEmpty() && deferred.isEmpty() && rejected.isEmpty()) {
                deferred = to.addresses();
            }
            String problem = null;
            // SMTPSendFailedException answers MAIL FROM or DATA: the mail as a whole, not one recipient.
            if (e instanceof SMTPSendFailedException whole && accepted.isEmpty()) {
                int code = whole.getReturnCode();
                if (code >= 500 && code < 600) {
                    for (String a : deferred) {
                        rejected.add(new SendOutcome.Refusal(a, reply(whole)));
                    }
                    deferred = List.of();
                } else {
                    problem = reply(whole);
                }
            }
            String deferReason = deferred.isEmpty() ? "" : replies.getOrDefault(deferred.getFirst(), reply(e));
            return new SendOutcome(accepted, rejected, deferred, deferReason, problem);
        }

        @Override
        public void close() {
            try {
                transport.close();
            } catch (MessagingException e) {
                // the connection is going away anyway; nothing was pending on it
            }
        }
    }

    private static List<String> addresses(Address[] addresses) {
        List<String> out = new ArrayList<>();
        if (addresses != null) {
            for (Address a : addresses) {
                out.add(a instanceof InternetAddress ia ? ia.getAddress() : a.toString());
            }
        }
        return out;
    }

    /** The server's answer, on one line ({@code 550 5.1.1 <x@example.com>: no such user}). */
    private static String reply(MessagingException e) {
        return HeaderText.clean(e.getMessage());
    }

    /** An exception and its causes on one line ({@code Couldn't connect to host, ...: Connection refused}). */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Throwable t = e;
        for (int depth = 0; t != null && depth < 4; depth++) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : HeaderText.clean(t.getMessage());
            if (sb.indexOf(message) < 0) {
                sb.append(sb.isEmpty() ? "" : ": ").append(message);
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return sb.toString();
    }
}
