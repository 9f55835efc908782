package io.alerthub.core.event;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Refuses a body once it passes its limit, without reading the rest. */
final class LimitedInputStream extends FilterInputStream {

    private final long limit;
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
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        count += n;
        if (count > limit) {
            throw new InvalidEventException(InvalidEventException.Kind.TOO_LARGE, null,
                                            "the request body must be at most " + limit + " bytes");
        }
    }
}
