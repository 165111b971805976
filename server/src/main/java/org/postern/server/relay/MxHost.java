package org.postern.server.relay;

import java.net.InetAddress;
import java.util.List;

/**
 * One host to try for a destination domain: the MX preference, the host name in A-label form without the
 * final dot (what a TLS certificate for the MX is checked against, RFC 7672 §3.2.2), and its addresses, IPv4
 * (A) first in the order DNS gave them, then IPv6 (AAAA). IPv4 first because a server's IPv6 route is more
 * often missing or broken than its IPv4 one, and a failed connect costs a timeout per address.
 */
public record MxHost(int preference, String host, List<InetAddress> addresses) {
    public MxHost {
        if (preference < 0 || preference > 0xFFFF) throw new IllegalArgumentException("MX preference is 16 bits: " + preference);
        if (host.isEmpty()) throw new IllegalArgumentException("empty MX host name");
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) throw new IllegalArgumentException("MX host " + host + " without addresses");
    }
}
