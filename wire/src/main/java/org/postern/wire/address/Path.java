package org.postern.wire.address;

/**
 * An SMTP reverse-path or forward-path (RFC 5321 §4.1.2): {@code <>}, {@code <Postmaster>} or
 * {@code <mailbox>}, optionally with an obsolete source route that is accepted and ignored.
 * Which kinds a command allows is the command's business: {@code <>} only in MAIL, {@code <Postmaster>}
 * only in RCPT.
 */
public sealed interface Path {
    /** RFC 5321 §4.5.3.1.3: the maximum total length of a reverse-path or forward-path is 256 octets,
     *  including the punctuation and element separators. */
    int MAX_PATH = 256;

    /** The null reverse-path {@code <>} (RFC 5321 §4.5.5: notifications, bounces). */
    record Null() implements Path {
        @Override
        public String toString() {
            return "<>";
        }
    }

    /** {@code <Postmaster>} without a domain (RFC 5321 §4.1.1.3): the receiving host's postmaster. */
    record Postmaster() implements Path {
        @Override
        public String toString() {
            return "<Postmaster>";
        }
    }

    record Mailbox(EmailAddress address) implements Path {
        @Override
        public String toString() {
            return "<" + address + ">";
        }
    }

    /**
     * Parses a whole path, angle brackets included. A source route ({@code <@a,@b:user@c>}) is dropped
     * (RFC 5321 §4.1.2 and Appendix C: servers SHOULD ignore it). {@code utf8}: RFC 6531 SMTPUTF8 in effect.
     */
    static Path parse(String text, boolean utf8) {
        if (text.length() < 2 || text.charAt(0) != '<' || text.charAt(text.length() - 1) != '>')
            throw new AddressException("path must be enclosed in <>");
        if (EmailAddress.octets(text) > MAX_PATH) throw new AddressException("path longer than " + MAX_PATH + " octets");
        String inner = text.substring(1, text.length() - 1);
        if (inner.isEmpty()) return new Null();
        if (inner.equalsIgnoreCase("postmaster")) return new Postmaster();
        if (inner.charAt(0) == '@') inner = dropSourceRoute(inner, utf8);
        return new Mailbox(EmailAddress.parse(inner, utf8));
    }

    /** A-d-l = At-domain *( "," At-domain ) ":" ; At-domain = "@" Domain. Returns what follows the ':'. */
    private static String dropSourceRoute(String s, boolean utf8) {
        int colon = s.indexOf(':');
        if (colon < 0) throw new AddressException("source route without ':'");
        for (String hop : s.substring(0, colon).split(",", -1)) {
            if (hop.length() < 2 || hop.charAt(0) != '@' || !EmailAddress.isDomain(hop.substring(1), utf8))
                throw new AddressException("bad source route");
        }
        return s.substring(colon + 1);
    }
}
