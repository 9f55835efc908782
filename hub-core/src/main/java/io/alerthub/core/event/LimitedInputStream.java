package io.alerthub.core.event;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses a body once it passes its limit, without reading the rest, and one that is not well-formed UTF-8 (JSON is
 * UTF-8, RFC 8259; Jackson would decode an overlong {@code C0 AF} as {@code /} and pass it on normalised).
 */
final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private final Utf8 utf8 = new Utf8();
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
            check(b);
        } else {
            end();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
            long first = count - n;
            for (int i = 0; i < n; i++) {
                if (!utf8.next(b[off + i] & 0xFF)) {
                    throw notUtf8(first + i);
                }
            }
        } else if (n < 0) {
            end();
        }
        return n;
    }

    private void check(int b) {
        if (!utf8.next(b)) {
            throw notUtf8(count - 1);
        }
    }

    private void end() {
        if (!utf8.complete()) {
            throw notUtf8(count);
        }
    }

    private static InvalidEventException notUtf8(long offset) {
        return new InvalidEventException(InvalidEventException.Kind.INVALID_JSON, null,
                                         "malformed JSON: the body is not well-formed UTF-8 (at byte " + offset + ")");
    }

    private void count(int n) {
        count += n;
        if (count > limit) {
            throw new InvalidEventException(InvalidEventException.Kind.TOO_LARGE, null,
                                            "the request body must be at most " + limit + " bytes");
        }
    }
}
