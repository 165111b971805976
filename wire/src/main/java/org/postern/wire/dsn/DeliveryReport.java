package org.postern.wire.dsn;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.postern.wire.address.EmailAddress;

/**
 * What one notice reports: the input of {@link DsnWriter}.
 *
 * @param kind          failure, delay or success notice; every recipient's action must fit it
 * @param reportingMta  our host name (Reporting-MTA, RFC 3464 §2.2.2), also the domain of the notice's From
 * @param returnPath    the original envelope sender, to whom the notice goes. Never the null reverse-path:
 *                      RFC 5321 §4.5.5 and RFC 3464 §4 forbid a notice about a notice, so the caller sends
 *                      none when the original's MAIL FROM was {@code <>}
 * @param envelopeId    ENVID of the original (Original-Envelope-Id, §2.2.1), when given
 * @param arrivalDate   when we accepted the original (Arrival-Date, §2.2.5)
 * @param recipients    the recipients reported, in order; the others of the same message are not mentioned
 * @param ret           RET of the original, when given
 * @param original      the original message
 */
public record DeliveryReport(Kind kind, String reportingMta, EmailAddress returnPath, Optional<EnvelopeId> envelopeId,
                             Instant arrivalDate, List<RecipientResult> recipients, Optional<Ret> ret,
                             OriginalMessage original) {

    /** The kinds of notice; one notice is of one kind, as with Postfix (a bounce, a delay warning, a success). */
    public enum Kind {
        /** "Undelivered Mail Returned to Sender": the recipients failed for good. */
        FAILURE,
        /** "Delivery delayed: still trying": a warning, nothing to do yet. */
        DELAY,
        /** For NOTIFY=SUCCESS (RFC 3461 §4.1): delivered, relayed to a non-DSN host, or expanded. */
        SUCCESS;

        boolean allows(Action a) {
            return switch (this) {
                case FAILURE -> a == Action.FAILED;
                case DELAY -> a == Action.DELAYED;
                case SUCCESS -> a == Action.DELIVERED || a == Action.RELAYED || a == Action.EXPANDED;
            };
        }
    }

    public DeliveryReport {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(returnPath, "returnPath");
        Objects.requireNonNull(arrivalDate, "arrivalDate");
        Objects.requireNonNull(original, "original");
        if (!EmailAddress.isDomainOrLiteral(reportingMta, false) || reportingMta.startsWith("["))
            throw new IllegalArgumentException("reporting MTA must be a DNS name: " + reportingMta);
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) throw new IllegalArgumentException("a notice reports at least one recipient");
        if (recipients.size() > DsnLimits.MAX_RECIPIENTS) throw new IllegalArgumentException("too many recipients");
        for (RecipientResult r : recipients) {
            if (!kind.allows(r.action()))
                throw new IllegalArgumentException("a " + kind + " notice cannot report action " + r.action().keyword());
        }
    }
}
