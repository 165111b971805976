package org.postern.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressesTest {
    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }

    @Test
    void listenAddressesAreIpLiteralsWithAPort() {
        record Case(String text, InetSocketAddress expected) {}
        for (var c : List.of(
                new Case("0.0.0.0:25", at("0.0.0.0", 25)),
                new Case("127.0.0.1:2525", at("127.0.0.1", 2525)),
                new Case("[::]:25", at("::", 25)),
                new Case("[::1]:587", at("::1", 587)),
                new Case("[2001:db8::1]:993", at("2001:db8::1", 993)),
                new Case("192.0.2.1:0", at("192.0.2.1", 0)),
                new Case("192.0.2.1:65535", at("192.0.2.1", 65535)))) {
            assertThat(Addresses.listenAddress(c.text())).as(c.text()).isEqualTo(c.expected());
            assertThat(Addresses.format(Addresses.listenAddress(c.text()))).isEqualTo(c.text());
        }
    }

    @Test
    void badListenAddressesSayWhatIsWrong() {
        record Case(String text, String message) {}
        for (var c : List.of(
                new Case("0.0.0.0", "has no port"),
                new Case("[::1]", "has no port"),
                new Case("::1:25", "put an IPv6 address in brackets"),
                new Case("0.0.0.0:65536", "is not a number in 0..65535"),
                new Case("0.0.0.0:smtp", "is not a number in 0..65535"),
                new Case("0.0.0.0:-1", "is not a number in 0..65535"),
                new Case("mail.example.org:25", "is not an IP address"),
                new Case("localhost:25", "host names are not resolved"),
                new Case("256.0.0.1:25", "is not an IP address"),
                new Case("127.1:25", "is not an IP address"),
                new Case("[zz::1]:25", "is not an IP address"))) {
            assertThatThrownBy(() -> Addresses.listenAddress(c.text())).as(c.text())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c.message());
        }
    }

    @Test
    void dnsServersTakeAnOptionalPortDefaulting53() {
        record Case(String text, InetSocketAddress expected) {}
        for (var c : List.of(
                new Case("192.0.2.53", at("192.0.2.53", 53)),
                new Case("192.0.2.53:5353", at("192.0.2.53", 5353)),
                new Case("2001:db8::53", at("2001:db8::53", 53)),
                new Case("[2001:db8::53]", at("2001:db8::53", 53)),
                new Case("[2001:db8::53]:5353", at("2001:db8::53", 5353)))) {
            assertThat(Addresses.dnsServer(c.text())).as(c.text()).isEqualTo(c.expected());
        }
        assertThatThrownBy(() -> Addresses.dnsServer("resolver.example")).hasMessageContaining("is not an IP address");
    }

    @Test
    void ipv6IsWrittenInTheCanonicalShortForm() {
        record Case(String in, String out) {}
        for (var c : List.of(
                new Case("0:0:0:0:0:0:0:0", "::"),
                new Case("0:0:0:0:0:0:0:1", "::1"),
                new Case("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
                new Case("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),      // RFC 5952 §4.2.3: the longest run
                new Case("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),    // the first of equal runs
                new Case("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), // §4.2.2: not for one group
                new Case("1:0:0:0:0:0:0:0", "1::"),
                new Case("fe80:0:0:0:0:0:0:0", "fe80::"))) {
            assertThat(Addresses.text(InetAddress.ofLiteral(c.in()))).as(c.in()).isEqualTo(c.out());
        }
        assertThat(Addresses.text(InetAddress.ofLiteral("192.0.2.1"))).isEqualTo("192.0.2.1");
    }

    @Test
    void hostnamesAreDnsNames() {
        assertThat(Addresses.hostname("mail.example.org")).isEqualTo("mail.example.org");
        assertThat(Addresses.hostname("mail.example.org.")).isEqualTo("mail.example.org");
        assertThat(Addresses.hostname("localhost")).isEqualTo("localhost");
        assertThat(Addresses.hostname("a".repeat(63) + ".example")).hasSize(71);
        for (String bad : List.of("", "mail_server", "-mail.example.org", "mail..example.org", "a".repeat(64) + ".org",
                "mail example", "192.0.2.1", "[192.0.2.1]")) {
            assertThatThrownBy(() -> Addresses.hostname(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void hostnamesMayBeAtMost253Characters() {
        String label = "a".repeat(61);                        // 4 labels of 61 + 3 dots = 247
        String at = String.join(".", label, label, label, label) + ".abcde";        // 253
        assertThat(at).hasSize(Addresses.MAX_HOSTNAME_LENGTH);
        assertThat(Addresses.hostname(at)).isEqualTo(at);
        assertThatThrownBy(() -> Addresses.hostname(at + "f")).hasMessageContaining("1 to 253 characters");
    }
}
