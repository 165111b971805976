package org.postern.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {
    record Case(String cidr, String address, boolean contained) {}

    @Test
    void containsExactlyTheNetwork() throws Exception {
        for (var c : List.of(
                new Case("127.0.0.0/8", "127.0.0.1", true),
                new Case("127.0.0.0/8", "127.255.255.255", true),
                new Case("127.0.0.0/8", "128.0.0.1", false),
                new Case("192.0.2.0/24", "192.0.2.200", true),
                new Case("192.0.2.0/24", "192.0.3.1", false),
                new Case("192.0.2.7", "192.0.2.7", true),
                new Case("192.0.2.7", "192.0.2.8", false),
                new Case("192.0.2.128/25", "192.0.2.127", false),
                new Case("192.0.2.128/25", "192.0.2.129", true),
                new Case("0.0.0.0/0", "203.0.113.9", true),
                new Case("2001:db8::/32", "2001:db8:1::1", true),
                new Case("2001:db8::/32", "2001:db9::1", false),
                new Case("::1/128", "::1", true),
                new Case("127.0.0.0/8", "::1", false),
                new Case("127.0.0.0/8", "::ffff:127.0.0.1", true),
                new Case("10.1.2.3/8", "10.200.0.1", true))) {
            assertThat(Cidr.parse(c.cidr()).contains(InetAddress.getByName(c.address()))).as(c.toString()).isEqualTo(c.contained());
        }
    }

    @Test
    void refusesWhatIsNotANetworkWithoutDnsLookups() {
        for (String s : List.of("localhost", "example.org", "192.0.2.0/33", "::/129", "192.0.2.0/x", "1.2.3", "", "/8"))
            assertThatThrownBy(() -> Cidr.parse(s)).as(s).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void printsItsCanonicalForm() {
        assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
    }
}
