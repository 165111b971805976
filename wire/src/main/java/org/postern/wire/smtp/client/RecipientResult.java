package org.postern.wire.smtp.client;

import java.util.Objects;
import org.postern.wire.address.EmailAddress;

/** One recipient of a transaction and what became of it; results come in the envelope's order. */
public record RecipientResult(EmailAddress recipient, RecipientOutcome outcome) {
    public RecipientResult {
        Objects.requireNonNull(recipient);
        Objects.requireNonNull(outcome);
    }
}
