package org.postern.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.server.relay.RelayHarness.ALICE;
import static org.postern.server.relay.RelayHarness.message;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.wire.Secret;
import org.postern.wire.sasl.Credentials;
import org.postern.wire.smtp.client.Destination;
import org.postern.wire.smtp.client.FakeSmtpServer;
import org.postern.wire.smtp.client.TestCertificates;
import org.postern.wire.smtp.client.TlsPolicy;

/** All outbound mail through one relay, with STARTTLS (verified) and AUTH, whatever the domains' MX say. */
class SmarthostTest {
    @TempDir
    Path dir;

    @Test
    void everyDomainGoesThroughTheSmarthostOverVerifiedTlsWithAuth() throws Exception {
        try (var relay = FakeSmtpServer.start(); var h = new RelayHarness(dir, 1)) {
            relay.ehloKeywords("PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES", "STARTTLS", "AUTH PLAIN LOGIN");
            relay.tls(TestCertificates.server()).login("postern", "s3cret");
            // names in the test certificate: localhost, mx.example.org, 127.0.0.1
            h.settings = h.settings.withSmarthost(Optional.of(new RelaySettings.Smarthost("localhost",
                    relay.address().getPort(), new TlsPolicy.RequiredVerified(TestCertificates.trustingServer()),
                    Optional.of(new Destination.Login(new Credentials("postern", Secret.of("s3cret")), false)))));
            h.send(ALICE, message("via relay"), List.of("bob@b.test", "carol@c.test"));

            h.run();

            var t = relay.takeTransaction(Duration.ofSeconds(5)).orElseThrow();
            assertThat(t.tls()).isTrue();
            assertThat(t.rcpts()).containsExactly("RCPT TO:<bob@b.test>", "RCPT TO:<carol@c.test>");
            assertThat(relay.commands()).anySatisfy(c -> assertThat(c).startsWith("AUTH PLAIN"));
            assertThat(h.queue()).isEmpty();
            assertThat(h.dns.queries()).as("no MX lookups").isZero();
        }
    }

    @Test
    void aSmarthostWhoseCertificateDoesNotVerifyGetsNothing() throws Exception {
        try (var relay = FakeSmtpServer.start(); var h = new RelayHarness(dir, 1)) {
            relay.ehloKeywords("PIPELINING", "STARTTLS", "AUTH PLAIN");
            relay.tls(TestCertificates.server());
            h.settings = h.settings.withSmarthost(Optional.of(new RelaySettings.Smarthost("localhost",
                    relay.address().getPort(), new TlsPolicy.RequiredVerified(TestCertificates.trustingOther()), Optional.empty())));
            h.send(ALICE, message("no"), List.of("bob@b.test"));

            h.run();

            assertThat(relay.takeTransaction(Duration.ofMillis(200))).isEmpty();
            assertThat(h.queue()).singleElement().satisfies(q -> assertThat(q.recipients().getFirst().status())
                    .hasValueSatisfying(s -> assertThat(s).startsWith("4.")));
        }
    }
}
