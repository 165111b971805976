package org.postern.server.delivery;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.postern.server.store.BlobStore;
import org.postern.server.store.StoreException;

/**
 * A message body being received: bytes go straight into a pending blob (never all in memory) while the
 * header section is watched for Message-ID and Date. {@link #commit()} makes the blob durable; closing without
 * commit discards it.
 *
 * <p>A write to the blob that fails (disk full) does not fail the write to {@link #out()}: the error is kept
 * and the rest discarded, so the session can read the message to its end, stay in step with the client and
 * answer 451 when {@link #commit()} reports the error.
 */
public final class IncomingBody implements AutoCloseable {
    /** Fewer, larger writes to the blob file. */
    private static final int WRITE_BUFFER = 64 * 1024;

    private final BlobStore.Pending pending;
    private final BufferedOutputStream buffered;
    private final HeaderWatch watch;
    private IOException writeFailure;

    IncomingBody(BlobStore.Pending pending) {
        this.pending = pending;
        this.buffered = new BufferedOutputStream(pending.out(), WRITE_BUFFER);
        this.watch = new HeaderWatch(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (writeFailure != null) return;
                try {
                    buffered.write(b, off, len);
                } catch (IOException e) {
                    writeFailure = e;
                }
            }
        });
    }

    /** Where the (already unstuffed) message bytes go. */
    public OutputStream out() {
        return watch;
    }

    /**
     * fsync and rename into place (BlobStore.Pending#commit); only then may a delivery point at it.
     * @throws StoreException if any write or the commit failed
     */
    public Received commit() {
        try {
            if (writeFailure != null) throw writeFailure;
            buffered.flush();
            return new Received(pending.commit(), watch.hasMessageId(), watch.hasDate());
        } catch (IOException e) {
            throw new StoreException("could not store message body", e);
        }
    }

    /** Discards the blob unless committed. Never throws. */
    @Override
    public void close() {
        pending.close();
    }

    /** A durable body and what the header watch saw. */
    public record Received(BlobStore.Stored blob, boolean hasMessageId, boolean hasDate) {}
}
