package org.postern.wire.io;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes message bytes through to {@code out} while checking them: a size limit, a line-length limit and
 * CRLF-only line endings. It is used for both DATA (behind {@link DataReader}'s unstuffing) and BDAT chunks
 * (RFC 3030), so the checks are the same whichever way the message came, and across chunk boundaries.
 *
 * <p>Once a check fails nothing more is written to {@code out} (the caller discards what was written), but
 * bytes keep being counted so the caller can read the message to its end and then answer.
 */
public final class MessageChecker extends OutputStream {
    private final OutputStream out;
    private final long maxBytes;
    private final int maxLineBytes;
    private long count;
    private long lineLength;       // bytes of the current line before its CRLF
    private boolean afterCr;
    private DataResult failure;

    /** @param maxLineBytes longest line accepted, its CRLF included */
    public MessageChecker(OutputStream out, long maxBytes, int maxLineBytes) {
        if (maxLineBytes < 3) throw new IllegalArgumentException("line limit too small");
        this.out = out;
        this.maxBytes = maxBytes;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (failure == null) {
            for (int i = off; i < off + len && failure == null; i++) check(b[i]);
        }
        count += len;
        if (failure == null && count > maxBytes) failure = new DataResult.TooLarge(count, maxBytes);
        // a failed message is discarded as a whole, so what part of it reached out does not matter
        if (failure == null) out.write(b, off, len);
    }

    private void check(byte c) {
        if (afterCr) {
            afterCr = false;
            if (c == '\n') {
                lineLength = 0;
                return;
            }
            failure = new DataResult.BareLineEnding(count);   // CR not followed by LF
            return;
        }
        if (c == '\r') {
            afterCr = true;
            return;
        }
        if (c == '\n') {
            failure = new DataResult.BareLineEnding(count);   // LF not preceded by CR
            return;
        }
        if (++lineLength > maxLineBytes - 2) failure = new DataResult.LineTooLong(count, maxLineBytes);
    }

    /** Bytes seen so far. */
    public long count() {
        return count;
    }

    /** Whether a check has failed already (the rest only needs reading, not storing). */
    public boolean failed() {
        return failure != null;
    }

    /** The outcome once the message has ended; a message that ends in a lone CR has a bare CR. */
    public DataResult finish() throws IOException {
        if (failure == null && afterCr) failure = new DataResult.BareLineEnding(count);
        if (failure != null) return withCount(failure);
        out.flush();
        return new DataResult.Complete(count);
    }

    private DataResult withCount(DataResult r) {
        return switch (r) {
            case DataResult.Complete c -> c;
            case DataResult.TooLarge t -> new DataResult.TooLarge(count, t.limit());
            case DataResult.BareLineEnding b -> new DataResult.BareLineEnding(count);
            case DataResult.LineTooLong l -> new DataResult.LineTooLong(count, l.limit());
        };
    }

    /** Does not close {@code out}: the caller owns it. */
    @Override
    public void close() {}
}
