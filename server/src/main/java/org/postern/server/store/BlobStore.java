package org.postern.server.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * Message bodies, apart from the metadata. A stored body ({@link #put}, {@link Pending#commit()}) is durable
 * once committed, or, for stores that keep small bodies in the metadata transaction, once a committed
 * transaction references it. Either way the caller may then commit metadata that points at it, and once that
 * commit returns the body survives a crash (so SMTP may answer 250). A small body that no committed transaction
 * references may be lost in a crash; nothing was acknowledged for it.
 */
public interface BlobStore {
    /** Thrown by {@link #put} when the stream holds more than {@code maxBytes}; nothing is kept. */
    final class TooLargeException extends IOException {
        public TooLargeException(long max) {
            super("blob larger than " + max + " bytes");
        }
    }

    /** A blob being written (to memory or a temp file), not yet committed; see {@link #begin()}. */
    interface Pending extends AutoCloseable {
        /** Where to write the bytes. */
        java.io.OutputStream out();

        /**
         * Makes the blob durable (a file: fsync, rename into place, fsync the directory), or, for a small body
         * kept in the metadata store, stages it for the transaction that will reference it (see the type).
         */
        Stored commit() throws IOException;

        /** Discards what was written unless committed. Never throws. */
        @Override
        void close();
    }

    record Stored(BlobRef ref, long size) {}

    /**
     * Copies {@code in} into a new blob, durable as {@link Pending#commit()}'s; throws {@link TooLargeException}
     * past {@code maxBytes}.
     */
    Stored put(InputStream in, long maxBytes) throws IOException;

    /** Starts a blob whose bytes the caller writes itself (e.g. SMTP DATA while it is being unstuffed). */
    Pending begin() throws IOException;

    InputStream open(BlobRef ref) throws IOException;

    long size(BlobRef ref) throws IOException;

    /**
     * Deletes the blob: for a blob that was never referenced (a failed delivery), or whose bytes must go.
     * Deleting a missing blob is not an error.
     */
    void delete(BlobRef ref) throws IOException;
}
