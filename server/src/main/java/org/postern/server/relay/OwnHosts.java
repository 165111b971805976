package org.postern.server.relay;

import java.net.InetAddress;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who "we" are when an MX list is checked for a mail loop (RFC 5321 §5.1): the host names this server answers
 * to and the addresses it listens on. An MX host is ours if its name is one of {@code names} or any of its
 * addresses is one of {@code addresses}.
 *
 * <p>Loopback and wildcard addresses are not assumed to be ours: tests run several servers on 127.0.0.x, and
 * only the caller knows which of them is this one.
 */
public record OwnHosts(Set<String> names, Set<InetAddress> addresses) {
    public OwnHosts {
        names = names.stream().map(DomainNames::normalize).collect(Collectors.toUnmodifiableSet());
        addresses = Set.copyOf(addresses);
    }

    /** Nobody: every MX host is someone else (a server that only relays, or a test). */
    public static OwnHosts none() {
        return new OwnHosts(Set.of(), Set.of());
    }

    /** {@code hostName} in any case, U-label or A-label form, with or without the final dot. */
    public boolean isOurName(String hostName) {
        return names.contains(DomainNames.normalize(hostName));
    }

    public boolean isOurAddress(InetAddress address) {
        return addresses.contains(address);
    }
}
