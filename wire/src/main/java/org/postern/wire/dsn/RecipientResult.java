package org.postern.wire.dsn;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.smtp.EnhancedStatus;

/**
 * The per-recipient part of a notice (RFC 3464 §2.3).
 *
 * @param finalRecipient  the address we tried (Final-Recipient, §2.3.2)
 * @param original        ORCPT as the sender gave it (Original-Recipient, §2.3.1), when given
 * @param action          what happened (§2.3.3)
 * @param status          the RFC 3463 status (§2.3.4); its class must fit the action
 * @param remoteMta       the host whose reply is the diagnostic (Remote-MTA, §2.3.5), a DNS name or
 *                        address literal, when one answered
 * @param diagnostic      that reply, or our own explanation (Diagnostic-Code, §2.3.6)
 * @param lastAttempt     the last delivery attempt (Last-Attempt-Date, §2.3.7)
 * @param willRetryUntil  for a delayed recipient, when we give up (Will-Retry-Until, §2.3.9)
 */
public record RecipientResult(EmailAddress finalRecipient, Optional<OriginalRecipient> original, Action action,
                              EnhancedStatus status, Optional<String> remoteMta, Optional<Diagnostic> diagnostic,
                              Optional<Instant> lastAttempt, Optional<Instant> willRetryUntil) {
    public RecipientResult {
        Objects.requireNonNull(finalRecipient, "finalRecipient");
        Objects.requireNonNull(action, "action");
        if (!action.allows(status.statusClass()))
            throw new IllegalArgumentException("status " + status + " does not fit action " + action.keyword());
        // RFC 3464 §2.3.9: Will-Retry-Until only for delayed recipients
        if (willRetryUntil.isPresent() && action != Action.DELAYED)
            throw new IllegalArgumentException("Will-Retry-Until is only for delayed recipients");
        remoteMta.ifPresent(host -> {
            if (!EmailAddress.isDomainOrLiteral(host, true)) throw new IllegalArgumentException("bad remote MTA name");
        });
    }

    /** A permanent failure: {@code failed(bob, "5.1.1", "mx.example.net", "550 5.1.1 no such user", at)}. */
    public static RecipientResult failed(EmailAddress to, String status, String remoteMta, String reply, Instant at) {
        return new RecipientResult(to, Optional.empty(), Action.FAILED, EnhancedStatus.parse(status),
                Optional.of(remoteMta), Optional.of(Diagnostic.smtp(reply)), Optional.of(at), Optional.empty());
    }

    /** A recipient still being retried until {@code until}. */
    public static RecipientResult delayed(EmailAddress to, String status, String remoteMta, String reply, Instant at,
                                          Instant until) {
        return new RecipientResult(to, Optional.empty(), Action.DELAYED, EnhancedStatus.parse(status),
                Optional.of(remoteMta), Optional.of(Diagnostic.smtp(reply)), Optional.of(at), Optional.of(until));
    }

    /** A success ({@link Action#DELIVERED}, {@link Action#RELAYED} or {@link Action#EXPANDED}). */
    public static RecipientResult succeeded(EmailAddress to, Action action, String remoteMta, String reply, Instant at) {
        return new RecipientResult(to, Optional.empty(), action, EnhancedStatus.parse("2.0.0"),
                Optional.of(remoteMta), Optional.of(Diagnostic.smtp(reply)), Optional.of(at), Optional.empty());
    }

    public RecipientResult withOriginal(OriginalRecipient orcpt) {
        return new RecipientResult(finalRecipient, Optional.of(orcpt), action, status, remoteMta, diagnostic,
                lastAttempt, willRetryUntil);
    }
}
