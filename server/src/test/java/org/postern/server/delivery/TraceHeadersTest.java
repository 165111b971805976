package org.postern.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {
    record Case(String address, String literal) {}

    @Test
    void addressLiteralsUseTheRfc5952Form() throws Exception {
        for (var c : List.of(
                new Case("192.0.2.1", "[192.0.2.1]"),
                new Case("2001:db8:0:0:0:0:0:7", "[IPv6:2001:db8::7]"),
                new Case("::1", "[IPv6:::1]"),
                new Case("::", "[IPv6:::]"),
                new Case("2001:db8:0:1:0:0:0:1", "[IPv6:2001:db8:0:1::1]"),
                new Case("2001:0:0:1:0:0:0:1", "[IPv6:2001:0:0:1::1]"),
                new Case("2001:db8:1:2:3:4:5:0", "[IPv6:2001:db8:1:2:3:4:5:0]"),
                new Case("fe80:0:0:0:abcd:0:0:0", "[IPv6:fe80::abcd:0:0:0]"),
                new Case("1:0:2:0:3:0:4:0", "[IPv6:1:0:2:0:3:0:4:0]"))) {
            assertThat(TraceHeaders.addressLiteral(InetAddress.getByName(c.address()))).as(c.address()).isEqualTo(c.literal());
        }
    }

    @Test
    void heloThatIsNotADomainGoesIntoTheCommentEscaped() throws Exception {
        InetAddress ip = InetAddress.getByName("192.0.2.1");
        java.time.Instant t = java.time.Instant.parse("2026-11-26T10:15:30Z");
        assertThat(TraceHeaders.received("client.example", ip, "mx.example.org", "ESMTP", "ID", java.util.Optional.empty(), t))
                .startsWith("Received: from client.example ([192.0.2.1])\r\n");
        assertThat(TraceHeaders.received("[192.0.2.1]", ip, "mx.example.org", "ESMTP", "ID", java.util.Optional.empty(), t))
                .startsWith("Received: from [192.0.2.1] ([192.0.2.1])\r\n");
        assertThat(TraceHeaders.received("evil;by(x)\\", ip, "mx.example.org", "ESMTP", "ID", java.util.Optional.empty(), t))
                .startsWith("Received: from [192.0.2.1] (helo=evil;by\\(x\\)\\\\ [192.0.2.1])\r\n");
    }
}
