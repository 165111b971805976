package org.postern.server.delivery;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.address.Path;

/** The header fields the server adds in front of a message. */
final class TraceHeaders {
    /** RFC 5322 §3.3 date-time, numeric zone. */
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private TraceHeaders() {}

    /** RFC 5321 §4.4: the final delivery server records the reverse-path. */
    static String returnPath(Path from) {
        return "Return-Path: " + from + "\r\n";
    }

    /**
     * RFC 5321 §4.4 Received, e.g.
     * {@code from client.example ([192.0.2.1]) by mx.example (Postern) with ESMTPS id 01J…; date}.
     * We do no reverse DNS, so the TCP-info comment holds only the address literal. A HELO argument that is
     * not a domain or address literal (the parser lets any printable word through) is not put where a domain
     * belongs: the client's address is, and the argument goes into the comment, escaped. {@code for} names the
     * recipient only when there is exactly one, so a message to many does not disclose the others (§7.2).
     */
    static String received(String helo, InetAddress client, String hostname, String protocol, String id,
                           Optional<EmailAddress> onlyRecipient, Instant when) {
        String literal = addressLiteral(client);
        boolean valid = EmailAddress.isDomainOrLiteral(helo, false);
        StringBuilder sb = new StringBuilder("Received: from ").append(valid ? helo : literal).append(" (");
        if (!valid) sb.append("helo=").append(helo.replaceAll("[()\\\\]", "\\\\$0")).append(' ');
        sb.append(literal).append(")\r\n")
                .append("\tby ").append(hostname).append(" (Postern) with ").append(protocol).append(" id ").append(id);
        onlyRecipient.ifPresent(r -> sb.append("\r\n\tfor <").append(r).append('>'));
        return sb.append(";\r\n\t").append(date(when)).append("\r\n").toString();
    }

    static String messageId(String id, String hostname) {
        return "Message-ID: <" + id + "@" + hostname + ">\r\n";
    }

    static String dateField(Instant when) {
        return "Date: " + date(when) + "\r\n";
    }

    static String date(Instant when) {
        return DATE.format(when);
    }

    /** RFC 5321 §4.1.3 address literal: [192.0.2.1] or [IPv6:2001:db8::1] (RFC 5952 text form). */
    static String addressLiteral(InetAddress a) {
        return a instanceof Inet6Address ? "[IPv6:" + ipv6(a.getAddress()) + "]" : "[" + a.getHostAddress() + "]";
    }

    /** RFC 5952 §4: lower-case hex, no leading zeros, the longest run of two or more zero groups as "::". */
    static String ipv6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
