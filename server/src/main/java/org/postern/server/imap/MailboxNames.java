package org.postern.server.imap;

import java.text.Normalizer;
import org.postern.server.store.MailboxName;
import org.postern.wire.imap.ModifiedUtf7;

/**
 * Mailbox names between the wire and the store: modified UTF-7 (RFC 3501 §5.1.3) for IMAP4rev1 clients, UTF-8 once
 * IMAP4rev2 or UTF8=ACCEPT is enabled (RFC 9051 §5.1, RFC 6855); hierarchy delimiter {@code /}.
 *
 * <p>The store holds one set of names whatever the session speaks, so every name passes the same rules: the
 * UTF-8 rules of RFC 6855 §3 (Net-Unicode of RFC 5198 §2, i.e. NFC, and no C0/C1 control characters, DEL, line or
 * paragraph separator), no LIST wildcard (RFC 9051 §5.1), no empty hierarchy level. A name a rev1 client creates
 * can thus always be shown to a UTF-8 client. Non-NFC names are refused rather than normalized: normalizing would
 * make two wire spellings name one mailbox, which the strict modified UTF-7 decoding exists to prevent.
 */
public final class MailboxNames {
    private MailboxNames() {}

    /** A name the client may not use; the message is a sentence for the client (it goes after NO). */
    public static final class InvalidNameException extends Exception {
        public InvalidNameException(String message) {
            super(message);
        }
    }

    /** The store name for a name the client sent (as parsed: the astring's value). */
    public static MailboxName fromClient(String name, boolean utf8) throws InvalidNameException {
        return validate(decode(name, utf8));
    }

    /**
     * The store name for CREATE's argument: a trailing delimiter only declares that the client means to create
     * names below it, and a server that does not need the declaration MUST ignore it (RFC 9051 §6.3.4).
     */
    public static MailboxName forCreate(String name, boolean utf8) throws InvalidNameException {
        String decoded = decode(name, utf8);
        if (decoded.length() > 1 && decoded.charAt(decoded.length() - 1) == MailboxName.SEPARATOR) {
            decoded = decoded.substring(0, decoded.length() - 1);
        }
        return validate(decoded);
    }

    /** The name as this client is to see it. */
    public static String toClient(MailboxName name, boolean utf8) {
        return utf8 ? name.value() : ModifiedUtf7.encode(name.value());
    }

    /**
     * A LIST/LSUB reference or pattern as Unicode. Patterns hold wildcards, so they are decoded but not validated
     * as names; {@code *} and {@code %} are printable ASCII and stand for themselves in modified UTF-7.
     */
    public static String decodePattern(String pattern, boolean utf8) throws InvalidNameException {
        return decode(pattern, utf8);
    }

    private static String decode(String wire, boolean utf8) throws InvalidNameException {
        if (utf8) return wire;   // RFC 6855 §3, RFC 9051 §5.1: UTF-8 as is; "&" is an ordinary character
        try {
            return ModifiedUtf7.decode(wire);
        } catch (ModifiedUtf7.MalformedException e) {
            String reason = e.getMessage();
            String suffix = ": " + wire;
            if (reason.endsWith(suffix)) reason = reason.substring(0, reason.length() - suffix.length());
            throw new InvalidNameException("Mailbox name is not valid modified UTF-7 (" + reason + ").");
        }
    }

    private static MailboxName validate(String name) throws InvalidNameException {
        if (name.isEmpty()) throw new InvalidNameException("Mailbox name is empty.");
        if (name.length() > MailboxName.MAX_LENGTH) {
            throw new InvalidNameException("Mailbox name is longer than " + MailboxName.MAX_LENGTH + " characters.");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            // RFC 6855 §3: no U+0000-001F, U+007F, U+0080-009F, U+2028, U+2029
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                throw new InvalidNameException("Mailbox name contains a control character.");
            }
            if (c == '\u2028' || c == '\u2029') {
                throw new InvalidNameException("Mailbox name contains a line or paragraph separator.");
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidNameException("Mailbox name is not valid Unicode.");
            }
            // RFC 9051 §5.1: "*" and "%" SHOULD NOT be in names, since LIST could not ask for them alone
            if (c == '*' || c == '%') {
                throw new InvalidNameException("Mailbox name may not contain * or % (they are LIST wildcards).");
            }
        }
        if (name.charAt(0) == MailboxName.SEPARATOR) {
            throw new InvalidNameException("Mailbox name may not begin with /.");
        }
        if (name.charAt(name.length() - 1) == MailboxName.SEPARATOR) {
            throw new InvalidNameException("Mailbox name may not end with /.");
        }
        if (name.contains("//")) throw new InvalidNameException("Mailbox name may not contain an empty level (//).");
        // RFC 6855 §3 requires Net-Unicode (RFC 5198 §2), which is NFC
        if (!Normalizer.isNormalized(name, Normalizer.Form.NFC)) {
            throw new InvalidNameException("Mailbox name is not in Unicode normalization form C (composed characters).");
        }
        return MailboxName.of(name);   // INBOX in any case, alone or as the first level, becomes INBOX
    }
}
