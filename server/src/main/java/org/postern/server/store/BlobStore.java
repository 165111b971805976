package org.postern.server.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * Message bodies, apart from the metadata. {@link #put} returns only once the bytes are durable (file
 * fsync'd, renamed into place, directory fsync'd): the caller may then commit metadata that points at it.
 */
public interface BlobStore {
    /** Thrown by {@link #put} when the stream holds more than {@code maxBytes}; nothing is kept. */
    final class TooLargeException extends IOException {
        public TooLargeException(long max) {
            super("blob larger than " + max + " bytes");
        }
    }

    /** A blob written to a temp file but not yet made durable; see {@link #begin()}. */
    interface Pending extends AutoCloseable {
        /** Where to write the bytes. */
        java.io.OutputStream out();

        /** fsync, rename into place, fsync the directory. */
        Stored commit() throws IOException;

        /** Discards the temp file unless committed. Never throws. */
        @Override
        void close();
    }

    record Stored(BlobRef ref, long size) {}

    /** Copies {@code in} into a new durable blob; throws {@link TooLargeException} past {@code maxBytes}. */
    Stored put(InputStream in, long maxBytes) throws IOException;

    /** Starts a blob whose bytes the caller writes itself (e.g. SMTP DATA while it is being unstuffed). */
    Pending begin() throws IOException;

    InputStream open(BlobRef ref) throws IOException;

    long size(BlobRef ref) throws IOException;

    /** Deletes the blob; deleting a missing blob is not an error. */
    void delete(BlobRef ref) throws IOException;
}
