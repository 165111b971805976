package org.postern.client.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies what is read to a file while the parser reads it, so a message is read from the network once: written,
 * parsed and summarised in the same pass. A byte past {@code maxBytes} fails with {@link MessageTooLargeException}.
 */
final class TeeInputStream extends FilterInputStream {
    private final OutputStream copy;
    private final long maxBytes;
    private long count;

    TeeInputStream(InputStream in, OutputStream copy, long maxBytes) {
        super(in);
        this.copy = copy;
        this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            if (count + 1 > maxBytes) throw new MessageTooLargeException(maxBytes);
            copy.write(b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            if (count + n > maxBytes) throw new MessageTooLargeException(maxBytes);
            copy.write(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) {
        return 0; // every byte must reach the copy
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    long count() {
        return count;
    }
}
