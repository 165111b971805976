package org.postern.wire.smtp.client;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.address.Path;

/**
 * The SMTP envelope of one transaction, with the DSN requests of RFC 3461. The DSN parameters are sent only
 * to a server that offers DSN (RFC 3461 §4: a client must not send them otherwise); to one that does not, the
 * sending MTA itself is responsible for the notifications (RFC 3461 §6.2 "relayed"), which is the caller's job.
 *
 * @param sender     the reverse-path: a mailbox, or {@code <>} for a notification (RFC 5321 §4.5.5)
 * @param recipients at least one
 * @param envelopeId RFC 3461 §4.4 ENVID, as the original sender gave it (ASCII); xtext-encoded on the wire
 * @param ret        RFC 3461 §4.3 RET: how much of the message a failure DSN should return
 */
public record Envelope(Path sender, List<Recipient> recipients, Optional<String> envelopeId, Optional<Ret> ret) {
    public Envelope {
        Objects.requireNonNull(sender);
        if (sender instanceof Path.Postmaster) throw new IllegalArgumentException("<Postmaster> is not a reverse-path");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) throw new IllegalArgumentException("no recipients");
        envelopeId.ifPresent(id -> {
            if (!Xtext.isPrintableAscii(id)) throw new IllegalArgumentException("ENVID must be printable ASCII");
            if (Xtext.encode(id).length() > ClientLimits.MAX_ENVID)
                throw new IllegalArgumentException("ENVID longer than " + ClientLimits.MAX_ENVID + " characters");
        });
        Objects.requireNonNull(ret);
    }

    /** Plain recipients, no DSN requests. */
    public static Envelope of(Path sender, List<EmailAddress> recipients) {
        return new Envelope(sender, recipients.stream().map(Recipient::of).toList(), Optional.empty(), Optional.empty());
    }

    /** Whether an address needs SMTPUTF8 on the wire (RFC 6531 §3.3). */
    public boolean needsUtf8() {
        return sender instanceof Path.Mailbox m && m.address().needsUtf8()
                || recipients.stream().anyMatch(r -> r.address().needsUtf8());
    }

    /** RFC 3461 §4.3. */
    public enum Ret { FULL, HDRS }

    /** RFC 3461 §4.1 NOTIFY values. */
    public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }

    /**
     * One forward-path with its DSN requests.
     *
     * @param notifyOn          RFC 3461 §4.1 NOTIFY: empty for none given (the server's default, failures and
     *                          perhaps delays), or {@code NEVER} alone, or any of the others
     * @param originalRecipient RFC 3461 §4.2 ORCPT, an RFC 822 address as the original sender wrote it
     */
    public record Recipient(EmailAddress address, Set<Notify> notifyOn, Optional<String> originalRecipient) {
        public Recipient {
            Objects.requireNonNull(address);
            notifyOn = notifyOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(notifyOn));
            if (notifyOn.contains(Notify.NEVER) && notifyOn.size() > 1)
                throw new IllegalArgumentException("NOTIFY=NEVER excludes the other values (RFC 3461 §4.1)");
            originalRecipient.ifPresent(o -> {
                if (!Xtext.isPrintableAscii(o)) throw new IllegalArgumentException("ORCPT must be printable ASCII");
                if (orcptParameter(o).length() > ClientLimits.MAX_ORCPT)
                    throw new IllegalArgumentException("ORCPT longer than " + ClientLimits.MAX_ORCPT + " characters");
            });
        }

        public static Recipient of(EmailAddress address) {
            return new Recipient(address, Set.of(), Optional.empty());
        }

        /**
         * RFC 3461 §4.2: {@code addr-type ";" xtext}. A non-ASCII original recipient needs RFC 6533's
         * {@code utf-8} address type.
         * todo: utf-8 ORCPT (RFC 6533 §3) once the server side speaks DSN; until then only ASCII is accepted.
         */
        static String orcptParameter(String original) {
            return "rfc822;" + Xtext.encode(original);
        }
    }
}
