package org.postern.wire.io;

import java.io.IOException;

/**
 * A line did not end within the reader's limit. The rest of the line is still unread, so the protocol cannot
 * be resynchronised reliably: callers reply with their "line too long" error and close.
 */
public final class LineTooLongException extends IOException {
    private final int limit;

    public LineTooLongException(int limit) {
        super("line longer than " + limit + " bytes");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
