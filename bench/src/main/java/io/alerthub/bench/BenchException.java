package io.alerthub.bench;

/** The benchmark cannot go on (a server did not start, a connection could not be opened): one line says why. */
final class BenchException extends RuntimeException {

    BenchException(String message) {
        super(message);
    }
}
