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
     * We do no reverse DNS, so the TCP-info comment holds only the address literal. {@code for} names the
     * recipient only when there is exactly one, so a message to many does not disclose the others (§7.2).
     */
    static String received(String helo, InetAddress client, String hostname, String protocol, String id,
                           Optional<EmailAddress> onlyRecipient, Instant when) {
        StringBuilder sb = new StringBuilder("Received: from ").append(helo)
                .append(" (").append(addressLiteral(client)).append(")\r\n")
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

    /** RFC 5321 §4.1.3 address literal: [192.0.2.1] or [IPv6:2001:db8::1]. */
    static String addressLiteral(InetAddress a) {
        String s = a.getHostAddress();
        int zone = s.indexOf('%');
        if (zone >= 0) s = s.substring(0, zone);
        return a instanceof Inet6Address ? "[IPv6:" + s + "]" : "[" + s + "]";
    }
}
