package org.postern.client.smtp;

import org.postern.client.net.ProtocolException;

/** The submission server refused the message (some or all recipients); {@code permanent} for 5xx. */
public final class SubmissionException extends ProtocolException {
    private final boolean permanent;

    public SubmissionException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
