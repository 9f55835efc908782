package io.alerthub.email;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

/**
 * GreenMail on a fixed loopback port that can be stopped and started again (an outage), keeps what it received
 * across restarts, and answers MAIL, RCPT or DATA with whatever reply a test sets ({@code 550 5.1.1 ...},
 * {@code 451 4.3.0 ...}) through GreenMail's own policy hooks: a real SMTP server refusing for real.
 */
final class TestSmtpServer implements AutoCloseable {

    private final PolicyGreenMail greenMail;
    private final int port;

    private TestSmtpServer(ServerSetup setup) {
        this.port = setup.getPort();
        this.greenMail = new PolicyGreenMail(setup);
    }

    /** A plain SMTP server on a free port, started. */
    static TestSmtpServer started() {
        TestSmtpServer s = new TestSmtpServer(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        s.greenMail.start();
        return s;
    }

    /** An SMTPS server (TLS from the first byte) on a free port, started. */
    static TestSmtpServer startedSmtps() {
        TestSmtpServer s = new TestSmtpServer(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        s.greenMail.start();
        return s;
    }

    int port() {
        return port;
    }

    GreenMail greenMail() {
        return greenMail;
    }

    void start() {
        greenMail.start();
    }

    void stop() {
        greenMail.stop();
    }

    Policy policy() {
        return greenMail.policy();
    }

    /** Every copy received, one per recipient. */
    List<MimeMessage> all() {
        return List.of(greenMail.getReceivedMessages());
    }

    /** What {@code address} received, oldest first. */
    List<MimeMessage> mailsFor(String address) {
        return greenMail.findReceivedMessages(u -> u.getEmail().equalsIgnoreCase(address), m -> true).toList();
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's answers: {@code null} means "250 OK". Thread-safe. */
    static final class Policy {
        private final Map<String, String> rcptReplies = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> rcptAttempts = new ConcurrentHashMap<>();
        private volatile String mailReply;
        private volatile String dataReply;

        /** How the server answers {@code RCPT TO:<address>}; {@code null} accepts again. */
        void recipient(String address, String reply) {
            if (reply == null) {
                rcptReplies.remove(address.toLowerCase(Locale.ROOT));
            } else {
                rcptReplies.put(address.toLowerCase(Locale.ROOT), reply);
            }
        }

        /** How the server answers {@code MAIL FROM}; {@code null} accepts again. */
        void mailFrom(String reply) {
            mailReply = reply;
        }

        /** How the server answers the end of {@code DATA}; {@code null} accepts again. */
        void data(String reply) {
            dataReply = reply;
        }

        /** How often {@code RCPT TO:<address>} was asked. */
        int rcptAttempts(String address) {
            AtomicInteger n = rcptAttempts.get(address.toLowerCase(Locale.ROOT));
            return n == null ? 0 : n.get();
        }
    }

    private static final class PolicyGreenMail extends GreenMail {
        /**
         * Set while GreenMail's constructor runs (hence no initializer, which would reset it afterwards); GreenMail's
         * stop() puts fresh managers in place, so every start puts these back: the policy and the mailboxes
         * outlive an outage.
         */
        private PolicyManagers kept;

        PolicyGreenMail(ServerSetup setup) {
            super(setup);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers mgr) {
            if (kept == null) {
                kept = new PolicyManagers();
            }
            managers = kept;
            return super.createServices(config, managers);
        }

        @Override
        public synchronized void stop() {
            super.stop();
            managers = kept;
        }

        @Override
        public synchronized Managers getManagers() {
            return kept;
        }

        Policy policy() {
            return kept.policy;
        }
    }

    private static final class PolicyManagers extends Managers {
        private final Policy policy = new Policy();
        private final SmtpManager smtp = new PolicySmtpManager(getImapHostManager(), getUserManager(), policy);

        @Override
        public SmtpManager getSmtpManager() {
            return smtp;
        }
    }

    private static final class PolicySmtpManager extends SmtpManager {
        private final Policy policy;

        PolicySmtpManager(ImapHostManager imap, UserManager users, Policy policy) {
            super(imap, users);
            this.policy = policy;
        }

        @Override
        public String checkSender(SmtpState state, MailAddress address) {
            String reply = policy.mailReply;
            return reply != null ? reply : super.checkSender(state, address);
        }

        @Override
        public String checkRecipient(SmtpState state, MailAddress address) {
            String key = address.getEmail().toLowerCase(Locale.ROOT);
            policy.rcptAttempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            String reply = policy.rcptReplies.get(key);
            return reply != null ? reply : super.checkRecipient(state, address);
        }

        @Override
        public String checkData(SmtpState state) {
            String reply = policy.dataReply;
            return reply != null ? reply : super.checkData(state);
        }
    }
}
