package org.postern.wire.smtp.client;

import java.util.Objects;

/**
 * The session could not be set up: no connection, a 421 or 5xx greeting (RFC 5321 §3.1, §4.2), EHLO and HELO
 * refused, STARTTLS or AUTH failing where the destination requires them, or a server that times out or sends
 * garbage. It applies to every recipient the caller meant to send through this host: {@link #failure()} is the
 * outcome to give each of them (or, when temporary, the reason to try the next MX).
 */
public final class SessionFailure extends RuntimeException {
    private final transient RecipientOutcome.Failure failure;

    SessionFailure(RecipientOutcome.Failure failure) {
        super(failure.remoteHost() + ": " + failure.diagnosis().text(), null, false, false);
        this.failure = Objects.requireNonNull(failure);
    }

    public RecipientOutcome.Failure failure() {
        return failure;
    }

    public boolean permanent() {
        return failure instanceof RecipientOutcome.PermanentFailure;
    }
}
