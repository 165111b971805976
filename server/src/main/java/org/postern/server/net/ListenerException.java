package org.postern.server.net;

/** A listener could not be opened; the message tells the operator what to do. */
public final class ListenerException extends RuntimeException {
    public ListenerException(String message, Throwable cause) {
        super(message, cause);
    }
}
