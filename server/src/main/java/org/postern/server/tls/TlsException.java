package org.postern.server.tls;

/** TLS files that cannot be used, with a message for the operator saying which file, what is wrong and what to do. */
public final class TlsException extends RuntimeException {
    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
