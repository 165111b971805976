package org.postern.wire.smtp;

import java.util.Optional;
import org.postern.wire.dsn.Notify;
import org.postern.wire.dsn.OriginalRecipient;

/**
 * RCPT TO parameters: those of the DSN extension (RFC 3461 §4.1, §4.2), the only RCPT parameters we advertise.
 * Any other keyword is refused by the parser with 555 5.5.4 (RFC 5321 §4.1.1.11).
 *
 * @param notifyOn NOTIFY=, when given (absent: the MTA's default, {@link Notify#DEFAULT})
 * @param orcpt  ORCPT=, decoded
 */
public record RcptParams(Optional<Notify> notifyOn, Optional<OriginalRecipient> orcpt) {
    public static final RcptParams NONE = new RcptParams(Optional.empty(), Optional.empty());

    /** Whether any parameter was given (after HELO none is allowed). */
    public boolean any() {
        return notifyOn.isPresent() || orcpt.isPresent();
    }
}
