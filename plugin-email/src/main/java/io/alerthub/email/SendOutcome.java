package io.alerthub.email;

import java.util.List;

/**
 * What the SMTP server did with one mail, per recipient.
 *
 * @param accepted      recipients the server took the mail for (it answered 250)
 * @param rejected      recipients refused for good (5xx): never retried
 * @param deferred      recipients to try again (4xx, or the connection failed)
 * @param deferReason   the server's answer for the deferred ones, for logs; empty when none
 * @param serverProblem why the server as a whole did not take the mail (connection, login, 4xx to MAIL or DATA),
 *                      or {@code null} when only some recipients were deferred
 */
record SendOutcome(List<String> accepted, List<Refusal> rejected, List<String> deferred, String deferReason,
                   String serverProblem) {

    /**
     * A recipient the server refused for good.
     *
     * @param address the recipient
     * @param reply   the server's answer ({@code 550 5.1.1 no such user})
     */
    record Refusal(String address, String reply) {
    }

    SendOutcome {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
        deferred = List.copyOf(deferred);
    }

    static SendOutcome delivered(List<String> all) {
        return new SendOutcome(all, List.of(), List.of(), "", null);
    }

    static SendOutcome serverFailed(List<String> all, String problem) {
        return new SendOutcome(List.of(), List.of(), all, problem, problem);
    }
}
