package org.postern.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void parsesNetworksAndSingleHosts() {
        record Case(String text, String network, int prefix) {}
        for (var c : List.of(
                new Case("127.0.0.0/8", "127.0.0.0", 8),
                new Case("192.0.2.0/24", "192.0.2.0", 24),
                new Case("192.0.2.7", "192.0.2.7", 32),
                new Case("0.0.0.0/0", "0.0.0.0", 0),
                new Case("2001:db8::/32", "2001:db8::", 32),
                new Case("::1", "::1", 128),
                new Case("[::1]/128", "::1", 128))) {
            assertThat(Cidr.parse(c.text())).as(c.text())
                    .isEqualTo(new Cidr(InetAddress.ofLiteral(c.network()), c.prefix()));
        }
    }

    @Test
    void refusesBadNetworksWithAReason() {
        record Case(String text, String message) {}
        for (var c : List.of(
                new Case("10.0.0.1/8", "did you mean 10.0.0.0/8?"),
                new Case("10.0.0.0/33", "outside 0..32"),
                new Case("2001:db8::/129", "outside 0..128"),
                new Case("10.0.0.0/", "is not a number"),
                new Case("10.0.0.0/x", "is not a number"),
                new Case("localhost", "is not an IP address"),
                new Case("10.0.0/8", "is not an IP address"))) {
            assertThatThrownBy(() -> Cidr.parse(c.text())).as(c.text())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c.message());
        }
    }

    @Test
    void containsAddressesInsideTheNetworkOnly() {
        Cidr loopback = Cidr.parse("127.0.0.0/8");
        assertThat(loopback.contains(InetAddress.ofLiteral("127.0.0.1"))).isTrue();
        assertThat(loopback.contains(InetAddress.ofLiteral("127.255.255.255"))).isTrue();
        assertThat(loopback.contains(InetAddress.ofLiteral("128.0.0.0"))).isFalse();
        assertThat(loopback.contains(InetAddress.ofLiteral("::1"))).isFalse();
        Cidr odd = Cidr.parse("192.0.2.128/25");
        assertThat(odd.contains(InetAddress.ofLiteral("192.0.2.127"))).isFalse();
        assertThat(odd.contains(InetAddress.ofLiteral("192.0.2.128"))).isTrue();
        Cidr v6 = Cidr.parse("2001:db8::/32");
        assertThat(v6.contains(InetAddress.ofLiteral("2001:db8:ffff::1"))).isTrue();
        assertThat(v6.contains(InetAddress.ofLiteral("2001:db9::1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.ofLiteral("203.0.113.9"))).isTrue();
    }

    @Test
    void printsInCidrNotation() {
        assertThat(Cidr.parse("192.0.2.0/24")).hasToString("192.0.2.0/24");
        assertThat(Cidr.parse(Cidr.parse("2001:db8::/32").toString())).isEqualTo(Cidr.parse("2001:db8::/32"));
    }
}
