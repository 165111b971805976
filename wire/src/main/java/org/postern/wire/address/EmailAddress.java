package org.postern.wire.address;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.Inet6Address;
import java.util.Locale;

/**
 * A mailbox address as SMTP carries it (RFC 5321 §4.1.2): a local part and a domain or address literal.
 *
 * <p>{@code localPart} is the semantic value: a quoted local part is kept without its quotes and with its
 * quoted pairs resolved, so {@code "a b"@x} and {@code "a\ b"@x} are the same address. {@link #toString()}
 * gives the canonical wire form, quoting only when the local part is not a dot-string. The domain is kept
 * lower-case (domains are case-insensitive, RFC 5321 §2.4); the local part keeps its case, which only the
 * receiving host may interpret.
 */
public record EmailAddress(String localPart, String domain) {
    /** RFC 5321 §4.5.3.1.1: the maximum total length of a user name or other local-part is 64 octets. */
    public static final int MAX_LOCAL_PART = 64;
    /** RFC 5321 §4.5.3.1.2: the maximum total length of a domain name or number is 255 octets. */
    public static final int MAX_DOMAIN = 255;
    /** RFC 1035 §2.3.4: labels are 63 octets or less. */
    public static final int MAX_LABEL = 63;

    public EmailAddress {
        if (localPart == null || domain == null) throw new AddressException("missing local part or domain");
        if (localPart.isEmpty()) throw new AddressException("empty local part");
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c < 0x20 || c == 0x7f) throw new AddressException("control character in local part");
        }
        domain = domain.toLowerCase(Locale.ROOT);
        boolean utf8 = !isAscii(localPart) || !isAscii(domain);
        checkDomain(domain, utf8);
        if (octets(quoteIfNeeded(localPart)) > MAX_LOCAL_PART)
            throw new AddressException("local part longer than " + MAX_LOCAL_PART + " octets");
    }

    /** Parses {@code local@domain} allowing ASCII only. */
    public static EmailAddress parse(String text) {
        return parse(text, false);
    }

    /**
     * Parses a Mailbox (RFC 5321 §4.1.2); with {@code utf8} (the transaction used SMTPUTF8, RFC 6531 §3.3)
     * the local part and domain may hold UTF-8 characters as well.
     */
    public static EmailAddress parse(String text, boolean utf8) {
        if (text == null || text.isEmpty()) throw new AddressException("empty address");
        if (!utf8 && !isAscii(text)) throw new AddressException("non-ASCII address without SMTPUTF8");
        int at;
        String local;
        if (text.charAt(0) == '"') {
            StringBuilder sb = new StringBuilder();
            int i = 1;
            while (true) {
                if (i >= text.length()) throw new AddressException("unterminated quoted local part");
                char c = text.charAt(i);
                if (c == '"') break;
                if (c == '\\') {
                    // RFC 5321 §4.1.2: quoted-pairSMTP = %d92 %d32-126
                    if (i + 1 >= text.length()) throw new AddressException("unterminated quoted pair");
                    char q = text.charAt(i + 1);
                    if (q < 32 || q > 126) throw new AddressException("bad quoted pair");
                    sb.append(q);
                    i += 2;
                    continue;
                }
                if (!isQtext(c, utf8)) throw new AddressException("bad character in quoted local part");
                sb.append(c);
                i++;
            }
            local = sb.toString();
            at = i + 1;
            if (at >= text.length() || text.charAt(at) != '@') throw new AddressException("missing @ after local part");
        } else {
            at = text.indexOf('@');
            if (at < 0) throw new AddressException("missing @");
            local = text.substring(0, at);
            if (!isDotString(local, utf8)) throw new AddressException("bad local part");
        }
        if (octets(text.substring(0, at)) > MAX_LOCAL_PART)
            throw new AddressException("local part longer than " + MAX_LOCAL_PART + " octets");
        String domain = text.substring(at + 1);
        checkDomain(domain, utf8);
        return new EmailAddress(local, domain);
    }

    /**
     * Whether {@code text} is a valid Domain or address-literal (RFC 5321 §4.1.2), e.g. to decide whether a
     * HELO argument can be used as such in a trace field.
     */
    public static boolean isDomainOrLiteral(String text, boolean utf8) {
        try {
            checkDomain(text, utf8);
            return true;
        } catch (AddressException e) {
            return false;
        }
    }

    /** Whether the domain is an address literal ({@code [192.0.2.1]}, {@code [IPv6:…]}). */
    public boolean isAddressLiteral() {
        return domain.startsWith("[");
    }

    /** Whether either part holds non-ASCII characters, which needs SMTPUTF8 on the wire (RFC 6531). */
    public boolean needsUtf8() {
        return !isAscii(localPart) || !isAscii(domain);
    }

    /** The canonical wire form, {@code local@domain}, quoting the local part only when needed. */
    @Override
    public String toString() {
        return quoteIfNeeded(localPart) + "@" + domain;
    }

    // --- grammar helpers (RFC 5321 §4.1.2, RFC 6531 §3.3) ---

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 0x7f) return false;
        return true;
    }

    static int octets(String s) {
        return isAscii(s) ? s.length() : s.getBytes(UTF_8).length;
    }

    /** RFC 5322 atext, extended with UTF8-non-ascii when {@code utf8} (RFC 6531 §3.3). */
    static boolean isAtext(char c, boolean utf8) {
        if (c >= 0x80) return utf8 && c != '\uFFFD';
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    /** qtextSMTP = %d32-33 / %d35-91 / %d93-126, plus UTF8-non-ascii with SMTPUTF8. */
    static boolean isQtext(char c, boolean utf8) {
        if (c >= 0x80) return utf8 && c != '\uFFFD';
        return c >= 32 && c <= 126 && c != '"' && c != '\\';
    }

    /** Dot-string = Atom *("." Atom). */
    static boolean isDotString(String s, boolean utf8) {
        if (s.isEmpty() || s.charAt(0) == '.' || s.charAt(s.length() - 1) == '.' || s.contains("..")) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !isAtext(c, utf8)) return false;
        }
        return true;
    }

    private static String quoteIfNeeded(String local) {
        if (isDotString(local, true)) return local;
        StringBuilder sb = new StringBuilder(local.length() + 2).append('"');
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** Domain or address-literal; throws if neither. */
    static void checkDomain(String domain, boolean utf8) {
        if (domain.isEmpty()) throw new AddressException("empty domain");
        if (octets(domain) > MAX_DOMAIN) throw new AddressException("domain longer than " + MAX_DOMAIN + " octets");
        if (domain.charAt(0) == '[') {
            if (!isAddressLiteral(domain)) throw new AddressException("bad address literal");
            return;
        }
        if (!isDomain(domain, utf8)) throw new AddressException("bad domain");
    }

    /** Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str], or a U-label (RFC 6531). */
    static boolean isDomain(String d, boolean utf8) {
        if (d.isEmpty()) return false;
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || octets(label) > MAX_LABEL) return false;
            if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') return false;
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                        || (utf8 && c >= 0x80 && c != '\uFFFD' && !Character.isWhitespace(c));
                if (!ok) return false;
            }
        }
        return true;
    }

    /** address-literal = "[" ( IPv4-address-literal / IPv6-address-literal ) "]" (RFC 5321 §4.1.3). */
    static boolean isAddressLiteral(String s) {
        if (s.length() < 3 || s.charAt(0) != '[' || s.charAt(s.length() - 1) != ']') return false;
        String inner = s.substring(1, s.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) return isIpv6(inner.substring(5));
        // General-address-literal (Standardized-tag ":" …) has no registered tag we could route: refused.
        return isIpv4(inner);
    }

    /** IPv4-address-literal = Snum 3("." Snum); Snum = 1*3DIGIT representing 0-255. */
    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) return false;
            for (int i = 0; i < p.length(); i++) if (p.charAt(i) < '0' || p.charAt(i) > '9') return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    static boolean isIpv6(String s) {
        if (s.isEmpty() || s.length() > 45) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) return false;   // no zone ids, no brackets
        }
        try {
            Inet6Address.ofLiteral(s);   // a literal parser: never a DNS lookup
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
