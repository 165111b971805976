package org.postern.server.directory.sqlite;

import java.net.IDN;
import java.util.Locale;
import org.postern.server.directory.DirectoryException;

/**
 * Syntax and normal form of the names the directory stores: domains (RFC 5321 §4.1.2 {@code Domain}, stored
 * lower-case as A-labels) and addresses ({@code Dot-string@Domain}, stored lower-case).
 *
 * <p>IDN: a domain given with U-labels ({@code bücher.example}) is converted to its A-label form
 * ({@code xn--bcher-kva.example}) with {@link IDN#toASCII} and stored that way, so it matches what arrives in
 * SMTP without SMTPUTF8. {@code java.net.IDN} implements IDNA 2003, which differs from IDNA 2008 for a few
 * characters (ß, ς, ZWJ/ZWNJ): such names map to a different A-label than IDNA 2008 would.
 * // todo: IDNA 2008 (RFC 5891) mapping, and SMTPUTF8 (RFC 6531) local parts.
 */
final class Addresses {
    /** RFC 5321 §4.5.3.1.1: the maximum length of a local part is 64 octets. */
    static final int MAX_LOCAL_PART = 64;
    /** RFC 5321 §4.5.3.1.2: the maximum length of a domain name is 255 octets. */
    static final int MAX_DOMAIN = 255;
    /** RFC 1035 §2.3.4: labels are 63 octets or less. */
    static final int MAX_LABEL = 63;
    /** RFC 5322 §3.2.3 atext, besides letters and digits. */
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private Addresses() {}

    /** The domain in normal form (A-labels, lower case); throws DirectoryException with the reason. */
    static String domain(String input) {
        String d = input.strip();
        if (d.isEmpty()) throw new DirectoryException("empty domain name");
        if (!isAscii(d)) {
            try {
                d = IDN.toASCII(d, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                throw new DirectoryException("invalid internationalized domain name " + input.strip() + ": "
                        + e.getMessage());
            }
        }
        d = d.toLowerCase(Locale.ROOT);
        String problem = domainProblem(d);
        if (problem != null) throw new DirectoryException("invalid domain name " + d + ": " + problem);
        return d;
    }

    /** Why {@code d} (ASCII) is not an RFC 5321 §4.1.2 Domain, or null when it is one. */
    private static String domainProblem(String d) {
        if (d.length() > MAX_DOMAIN) return "longer than " + MAX_DOMAIN + " characters";
        if (d.startsWith("[")) return "address literals cannot be mail domains here";
        if (d.endsWith(".")) return "no trailing dot in mail domains (RFC 5321 §2.3.5)";
        for (String label : d.split("\\.", -1)) {
            // sub-domain = Let-dig [Ldh-str]; Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig
            if (label.isEmpty()) return "empty label";
            if (label.length() > MAX_LABEL) return "label longer than " + MAX_LABEL + " characters";
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!isLetDig(c) && c != '-') return "character '" + c + "' not allowed (letters, digits, '-')";
            }
            if (label.startsWith("-") || label.endsWith("-")) return "a label cannot start or end with '-'";
        }
        return null;
    }

    /**
     * The address in normal form ({@code local@domain}, lower case), the local part an RFC 5321 §4.1.2
     * Dot-string. Quoted-string local parts are not accepted for our own addresses.
     */
    static String address(String input) {
        String a = input.strip();
        int at = a.lastIndexOf('@');
        if (at < 0) throw new DirectoryException("invalid address " + a + ": expected local-part@domain");
        return localPart(a.substring(0, at), a) + "@" + domain(a.substring(at + 1));
    }

    /** An alias source: an address, or {@code @domain} for the domain's catch-all. */
    static String aliasSource(String input) {
        String s = input.strip();
        return s.startsWith("@") ? "@" + domain(s.substring(1)) : address(s);
    }

    /**
     * The address when it is syntactically one of ours, else null; never throws. For lookups (route,
     * authenticate) where a malformed address simply matches nothing.
     */
    static String addressOrNull(String input) {
        try {
            return address(input);
        } catch (DirectoryException e) {
            return null;
        }
    }

    static String localPartOf(String address) {
        return address.substring(0, address.lastIndexOf('@'));
    }

    static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    private static String localPart(String local, String whole) {
        if (local.isEmpty()) throw new DirectoryException("invalid address " + whole + ": empty local part");
        if (local.length() > MAX_LOCAL_PART)
            throw new DirectoryException("invalid address " + whole + ": local part longer than " + MAX_LOCAL_PART
                    + " characters (RFC 5321 §4.5.3.1.1)");
        // Dot-string = Atom *("." Atom)
        for (String atom : local.split("\\.", -1)) {
            if (atom.isEmpty())
                throw new DirectoryException("invalid address " + whole + ": a dot may not start or end the local"
                        + " part or follow another dot");
            for (int i = 0; i < atom.length(); i++) {
                char c = atom.charAt(i);
                if (!isLetDig(c) && ATEXT_SPECIALS.indexOf(c) < 0)
                    throw new DirectoryException("invalid address " + whole + ": character '" + c
                            + "' not allowed in a local part");
            }
        }
        return local.toLowerCase(Locale.ROOT);
    }

    private static boolean isLetDig(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 0x7f) return false;
        return true;
    }
}
