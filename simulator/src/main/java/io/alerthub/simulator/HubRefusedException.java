package io.alerthub.simulator;

/** The hub refused the simulator's events for a reason that retrying cannot fix (a missing or wrong token). */
final class HubRefusedException extends RuntimeException {

    HubRefusedException(String message) {
        super(message);
    }
}
