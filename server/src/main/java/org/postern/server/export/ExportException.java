package org.postern.server.export;

/** An export that cannot be done, with a sentence for the person who asked (no such folder, file exists…). */
public final class ExportException extends RuntimeException {
    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
