package org.postern.server.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * Parses the address forms of the config file. Only IP literals are accepted, never host names: resolving a name
 * at start would make listening and trust depend on DNS. Each method throws IllegalArgumentException whose
 * message says what was expected, for {@link ConfigLoader} to prefix with file, line and key.
 */
final class Addresses {
    /** Well-known DNS port (RFC 1035 §4.2). */
    static final int DNS_PORT = 53;

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    // RFC 1123 §2.1 host name labels: letters, digits, hyphens; not starting or ending with a hyphen.
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    /** RFC 1035 §2.3.4: a name is at most 255 octets on the wire, 253 characters as text. */
    static final int MAX_HOSTNAME_LENGTH = 253;

    private Addresses() {}

    /** A dotted-quad IPv4 address or an IPv6 address (with or without brackets). */
    static InetAddress ipLiteral(String text) {
        if (IPV4.matcher(text).matches()) {
            return InetAddress.ofLiteral(text);
        }
        String v6 = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (v6.contains(":")) {
            try {
                return Inet6Address.ofLiteral(v6);
            } catch (IllegalArgumentException e) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an IP address (use a literal such as 0.0.0.0,"
                + " 192.0.2.1, [::] or [2001:db8::1]; host names are not resolved here)");
    }

    /** {@code address:port}, IPv6 in brackets: {@code 0.0.0.0:25}, {@code [::1]:587}. Port 0 picks a free port. */
    static InetSocketAddress listenAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0 || (text.startsWith("[") && !text.substring(0, colon).endsWith("]"))) {
            throw new IllegalArgumentException("'" + text + "' has no port (write address:port, e.g. 0.0.0.0:25"
                    + " or [::]:25)");
        }
        String host = text.substring(0, colon);
        if (!host.startsWith("[") && host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "': put an IPv6 address in brackets, e.g. [::1]:25");
        }
        return new InetSocketAddress(ipLiteral(host), port(text.substring(colon + 1), text));
    }

    /** A DNS server: an IP address with an optional port, 53 if absent ({@code 192.0.2.53}, {@code [::1]:5353}). */
    static InetSocketAddress dnsServer(String text) {
        long colons = text.chars().filter(c -> c == ':').count();
        if (text.startsWith("[") && !text.endsWith("]")) {
            return listenAddress(text);                        // [v6]:port
        }
        if (colons == 1) {
            return listenAddress(text);                        // v4:port
        }
        return new InetSocketAddress(ipLiteral(text), DNS_PORT);   // v4, v6, [v6]
    }

    private static int port(String text, String whole) {
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("'" + whole + "': port '" + text + "' is not a number in 0..65535");
        }
        return Integer.parseInt(text);
    }

    /** A fully qualified or single-label host name as used in EHLO and greetings (RFC 5321 §4.1.2 Domain). */
    static String hostname(String text) {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty() || name.length() > MAX_HOSTNAME_LENGTH) {
            throw new IllegalArgumentException("'" + text + "' is not a host name (1 to " + MAX_HOSTNAME_LENGTH
                    + " characters)");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a host name (labels of letters, digits"
                        + " and hyphens, separated by dots, e.g. mail.example.org)");
            }
        }
        if (IPV4.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + text + "' is an IP address; the host name must be a DNS name"
                    + " (RFC 5321 §4.1.3 allows address literals only in brackets, not as a server's name)");
        }
        return name;
    }

    /** {@code address:port} with brackets around IPv6, the inverse of {@link #listenAddress}. */
    static String format(InetSocketAddress address) {
        String host = text(address.getAddress());
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The address as text; IPv6 in the RFC 5952 §4 canonical form ({@code 2001:db8::1}, not Java's long form). */
    static String text(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) return address.getHostAddress();
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        // RFC 5952 §4.2: "::" replaces the longest run of two or more zero groups, the first if tied.
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        var out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));       // §4.3: lower case; §4.1: no leading zeros
        }
        return out.toString();
    }
}
