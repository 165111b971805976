package org.postern.wire.mime;

import java.util.List;
import java.util.Optional;

/**
 * The fields of an IMAP ENVELOPE (RFC 9051 §7.5.2), taken from a message header: raw values (unfolded, not
 * decoded: encoded words stay as they are), the first occurrence of each field. A field that is absent is
 * empty (NIL); a field that is present but empty is "" (RFC 9051: "the empty string").
 *
 * <p>{@link #sender()} and {@link #replyTo()} are the raw fields. RFC 9051 §7.5.2 wants them to default to
 * From when absent: an IMAP writer sends {@link #imapSender()} and {@link #imapReplyTo()}.
 */
public record Envelope(Optional<String> date, Optional<String> subject, List<EnvelopeAddress> from,
                       List<EnvelopeAddress> sender, List<EnvelopeAddress> replyTo, List<EnvelopeAddress> to,
                       List<EnvelopeAddress> cc, List<EnvelopeAddress> bcc, Optional<String> inReplyTo,
                       Optional<String> messageId) {

    public static final Envelope EMPTY = new Envelope(Optional.empty(), Optional.empty(), List.of(), List.of(),
            List.of(), List.of(), List.of(), List.of(), Optional.empty(), Optional.empty());

    public Envelope {
        from = List.copyOf(from);
        sender = List.copyOf(sender);
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
    }

    /** Sender as IMAP sends it: the Sender field, or From when there is none (RFC 9051 §7.5.2). */
    public List<EnvelopeAddress> imapSender() {
        return sender.isEmpty() ? from : sender;
    }

    /** Reply-To as IMAP sends it: the Reply-To field, or From when there is none (RFC 9051 §7.5.2). */
    public List<EnvelopeAddress> imapReplyTo() {
        return replyTo.isEmpty() ? from : replyTo;
    }
}
