package org.postern.server.relay;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Domain name conversions shared by the resolver and {@link OwnHosts}. */
final class DomainNames {
    private DomainNames() {}

    /**
     * The absolute DNS name for a mail domain: an internationalized domain is looked up in its A-label form
     * (RFC 5890 §2.3.2.1, RFC 6531 §3.7.3); empty when it is not a valid domain name.
     */
    static Optional<Name> toDnsName(String domain) {
        String ascii = aLabels(domain);
        if (ascii.isEmpty() || ascii.startsWith("[") || ascii.startsWith(".")) return Optional.empty();
        try {
            return Optional.of(Name.fromString(ascii.endsWith(".") ? ascii : ascii + ".", Name.root));
        } catch (TextParseException e) {
            return Optional.empty();
        }
    }

    /** Lower case, A-labels, no final dot: the form host names are compared and reported in. */
    static String normalize(String hostName) {
        String ascii = aLabels(hostName).toLowerCase(Locale.ROOT);
        return ascii.endsWith(".") ? ascii.substring(0, ascii.length() - 1) : ascii;
    }

    /** A DNS name as {@link #normalize} writes it. */
    static String text(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    private static String aLabels(String domain) {
        try {
            // No USE_STD3_ASCII_RULES: an underscore or similar in a host name is DNS's business, not ours.
            return IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
