package org.postern.server.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** An IP network, {@code 192.0.2.0/24} or {@code 2001:db8::/32}; a bare address is a /32 or /128. */
public record Cidr(InetAddress network, int prefixLength) {
    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits)
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + network.getHostAddress());
        network = mask(network, prefixLength);
    }

    /** Parses literal addresses only: never a DNS lookup. */
    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        InetAddress a;
        // ofLiteral alone would take "10.1" as 10.0.0.1: ask for four parts, as people write them
        if (!addr.contains(":") && !addr.matches("\\d{1,3}(\\.\\d{1,3}){3}"))
            throw new IllegalArgumentException("not an IP network: '" + text + "' (expected e.g. 192.0.2.0/24)");
        try {
            a = addr.contains(":") ? Inet6Address.ofLiteral(addr) : Inet4Address.ofLiteral(addr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP network: '" + text + "' (expected e.g. 192.0.2.0/24)");
        }
        int bits = a.getAddress().length * 8;
        if (slash < 0) return new Cidr(a, bits);
        try {
            return new Cidr(a, Integer.parseInt(s.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IP network: '" + text + "' (expected e.g. 192.0.2.0/24)");
        }
    }

    public boolean contains(InetAddress address) {
        byte[] net = network.getAddress(), a = address.getAddress();
        if (a.length != net.length) {
            // an IPv4-mapped IPv6 client (::ffff:a.b.c.d) matches IPv4 networks
            if (address instanceof Inet6Address && a.length == 16 && net.length == 4 && isV4Mapped(a)) {
                byte[] v4 = new byte[4];
                System.arraycopy(a, 12, v4, 0, 4);
                a = v4;
            } else {
                return false;
            }
        }
        return java.util.Arrays.equals(maskBytes(a, prefixLength), maskBytes(net, prefixLength));
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static InetAddress mask(InetAddress a, int prefix) {
        try {
            return InetAddress.getByAddress(maskBytes(a.getAddress(), prefix));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);   // cannot happen: the length is 4 or 16
        }
    }

    private static byte[] maskBytes(byte[] a, int prefix) {
        byte[] m = a.clone();
        for (int i = 0; i < m.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            m[i] &= (byte) (0xff << (8 - keep));
        }
        return m;
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
