package org.postern.wire.smtp.client;

import java.util.Objects;
import org.postern.wire.smtp.SmtpReply;

/**
 * What happened to one recipient of one transaction (RFC 5321 §3.3, §4.2.5): 2xx at RCPT and after the final
 * dot is delivered; 4xx anywhere, and every failure of ours (timeout, dropped connection), is temporary; 5xx is
 * permanent. A recipient is never {@link Delivered} without a 2xx reply to the final dot: a connection lost
 * before it is temporary, even when the server may have taken the message (RFC 5321 §6.1 prefers a duplicate
 * to a loss).
 */
public sealed interface RecipientOutcome {
    /** The host that gave the outcome (DSN Remote-MTA, RFC 3464 §2.3.5). */
    String remoteHost();

    /** The server accepted responsibility for the message for this recipient. */
    record Delivered(String remoteHost, SmtpReply reply) implements RecipientOutcome {
        public Delivered {
            Objects.requireNonNull(remoteHost);
            if (reply.code() / 100 != 2) throw new IllegalArgumentException("delivered needs a 2xx reply: " + reply);
        }
    }

    /** Not delivered, with the reason. */
    sealed interface Failure extends RecipientOutcome {
        Diagnosis diagnosis();
    }

    /** Try again later (to this host or the next MX). */
    record TemporaryFailure(String remoteHost, Diagnosis diagnosis) implements Failure {
        public TemporaryFailure {
            Objects.requireNonNull(remoteHost);
            if (diagnosis.status().statusClass() != 4) throw new IllegalArgumentException("temporary needs 4.x.x: " + diagnosis);
        }
    }

    /** Give up and bounce. */
    record PermanentFailure(String remoteHost, Diagnosis diagnosis) implements Failure {
        public PermanentFailure {
            Objects.requireNonNull(remoteHost);
            if (diagnosis.status().statusClass() != 5) throw new IllegalArgumentException("permanent needs 5.x.x: " + diagnosis);
        }
    }

    /** A 4xx or 5xx reply as the failure it means. */
    static Failure failure(String host, SmtpReply reply) {
        return switch (reply.code() / 100) {
            case 4 -> new TemporaryFailure(host, new Diagnosis.Remote(reply));
            case 5 -> new PermanentFailure(host, new Diagnosis.Remote(reply));
            default -> throw new IllegalArgumentException("not a failure reply: " + reply);
        };
    }

    /** A failure of ours, temporary or permanent by the status's class. */
    static Failure failure(String host, Diagnosis.Local local) {
        return local.status().statusClass() == 5 ? new PermanentFailure(host, local) : new TemporaryFailure(host, local);
    }
}
