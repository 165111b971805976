package org.postern.wire.smtp.client;

import java.util.Objects;
import org.postern.wire.smtp.EnhancedStatus;
import org.postern.wire.smtp.SmtpReply;

/**
 * Why a recipient's delivery ended as it did: the remote server's reply, or a reason of our own (a timeout,
 * a dropped connection, a check made before sending). DSNs take their Status field from {@link #status()}
 * and, for a remote reply, their Diagnostic-Code from {@link Remote#diagnosticCode()} (RFC 3464 §2.3.4,
 * §2.3.6).
 */
public sealed interface Diagnosis {
    /** The RFC 3463 status: the reply's enhanced code, or {@code class.0.0} when it sent none. */
    EnhancedStatus status();

    /** One line for logs and the human-readable part of a DSN. */
    String text();

    /** A reply from the remote server. */
    record Remote(SmtpReply reply) implements Diagnosis {
        public Remote {
            Objects.requireNonNull(reply);
        }

        @Override
        public EnhancedStatus status() {
            // RFC 3463 §3.1: X.0.0 when nothing more specific is known
            return reply.status().orElseGet(() -> new EnhancedStatus(reply.code() / 100, 0, 0));
        }

        /** The whole reply on one line, {@code 550 5.1.1 no such user}: continuation lines joined by a space. */
        @Override
        public String text() {
            return (reply.code() + reply.status().map(s -> " " + s).orElse("") + " " + String.join(" ", reply.lines())).strip();
        }

        /** RFC 3464 §2.3.6: {@code smtp; 550 5.1.1 no such user}. */
        public String diagnosticCode() {
            return "smtp; " + text();
        }
    }

    /** A failure seen on our side: no usable reply (timeout, closed connection, garbage) or a local check. */
    record Local(EnhancedStatus status, String text) implements Diagnosis {
        public Local {
            Objects.requireNonNull(status);
            Objects.requireNonNull(text);
        }

        static Local of(String status, String text) {
            return new Local(EnhancedStatus.parse(status), text);
        }
    }
}
