package org.postern.server.store;

/** The store failed (I/O, database, our bug): not the user's fault. Sessions answer with a generic error. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
