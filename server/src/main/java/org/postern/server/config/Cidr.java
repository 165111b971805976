package org.postern.server.config;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An IP network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}), used for
 * {@code security.relay_networks}. The network address has no host bits set: {@code 10.0.0.1/8} is refused
 * rather than silently read as {@code 10.0.0.0/8}, because it is usually a typo for a narrower network.
 */
public record Cidr(InetAddress network, int prefixLength) {
    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + bits);
        }
        if (!network.equals(mask(network, prefixLength))) {
            throw new IllegalArgumentException("host bits are set in " + Addresses.text(network) + "/" + prefixLength
                    + " (did you mean " + Addresses.text(mask(network, prefixLength)) + "/" + prefixLength + "?)");
        }
    }

    /**
     * Parses {@code address/prefix} or a bare address (a single host: /32 or /128). Only IP literals; a host name
     * is refused, since resolving it would make the trusted set depend on DNS.
     *
     * @throws IllegalArgumentException with a message for people
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = Addresses.ipLiteral(addressText);
        int bits = address.getAddress().length * 8;
        if (slash < 0) {
            return new Cidr(address, bits);
        }
        String prefix = text.substring(slash + 1);
        if (!prefix.matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException("prefix length '" + prefix + "' is not a number");
        }
        return new Cidr(address, Integer.parseInt(prefix));
    }

    /** True when the address lies in this network; an address of the other IP family never does. */
    public boolean contains(InetAddress address) {
        return address.getAddress().length == network.getAddress().length
                && network.equals(mask(address, prefixLength));
    }

    @Override
    public String toString() {
        return Addresses.text(network) + "/" + prefixLength;
    }

    private static InetAddress mask(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.clamp(prefixLength - i * 8L, 0, 8);
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always a valid address", e);
        }
    }
}
