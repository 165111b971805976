package org.postern.client.store;

/** The local store's database failed (a bug, a full disk, a damaged state.db): the message says what was being done. */
public class LocalStoreException extends RuntimeException {
    public LocalStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
