package org.postern.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.wire.Secret;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.sasl.Credentials;
import org.postern.wire.smtp.client.ClientSettings;
import org.postern.wire.smtp.client.Destination;
import org.postern.wire.smtp.client.Envelope;
import org.postern.wire.smtp.client.RecipientOutcome;
import org.postern.wire.smtp.client.RecipientResult;
import org.postern.wire.smtp.client.SmtpClient;
import org.postern.wire.smtp.client.TestMessage;
import org.postern.wire.smtp.client.TlsPolicy;

/**
 * The outbound client against our own SMTP server, an implementation written separately from it: STARTTLS
 * (opportunistic on port 25, verified on submission), AUTH PLAIN, PIPELINING, SIZE, per-recipient refusals,
 * dot-stuffing round trip, two transactions on one connection.
 */
class SmtpClientInteropTest {
    static final ClientSettings SETTINGS = new ClientSettings("relay.example.net", ClientSettings.Timeouts.all(Duration.ofSeconds(10)));

    static InetSocketAddress local(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Test
    void deliversToOurMxOverStartTlsWithPerRecipientResults(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            String body = "Subject: interop\r\n\r\n.leading dot\r\n..\r\n.\r\nend\r\n";
            List<RecipientResult> first, second;
            try (SmtpClient c = SmtpClient.connect(Destination.mx(TestServer.HOST, local(server.mx.port())), SETTINGS)) {
                assertThat(c.tlsActive()).isTrue();
                assertThat(c.capabilities().pipelining()).isTrue();
                assertThat(c.capabilities().sizeLimit()).isPresent();
                first = c.send(Envelope.of(new org.postern.wire.address.Path.Mailbox(EmailAddress.parse("a@elsewhere.example")),
                        List.of(EmailAddress.parse(TestServer.USER), EmailAddress.parse("nobody@example.org"))), TestMessage.ascii(body));
                second = c.send(Envelope.of(new org.postern.wire.address.Path.Null(), List.of(EmailAddress.parse(TestServer.OTHER))),
                        TestMessage.ascii("Subject: second\r\n\r\nx\r\n"));
            }
            assertThat(first.get(0).outcome()).isInstanceOf(RecipientOutcome.Delivered.class);
            assertThat(first.get(1).outcome()).isInstanceOfSatisfying(RecipientOutcome.PermanentFailure.class,
                    f -> assertThat(f.diagnosis().text()).startsWith("550 5.1.1"));
            assertThat(second.getFirst().outcome()).isInstanceOf(RecipientOutcome.Delivered.class);
            assertThat(server.inbox(TestServer.USER).getFirst()).endsWith(body);
            assertThat(server.inbox(TestServer.OTHER).getFirst()).contains("Subject: second");
        }
    }

    @Test
    void relaysThroughSubmissionAsASmarthostWithVerifiedTlsAndAuth(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Destination smarthost = new Destination("localhost", local(server.submission.port()),
                    new TlsPolicy.RequiredVerified(TestTls.client()),
                    Optional.of(new Destination.Login(new Credentials(TestServer.USER, Secret.of(TestServer.PASSWORD)), false)));
            try (SmtpClient c = SmtpClient.connect(smarthost, SETTINGS)) {
                assertThat(c.authenticated()).isTrue();
                List<RecipientResult> r = c.send(Envelope.of(new org.postern.wire.address.Path.Mailbox(EmailAddress.parse(TestServer.USER)),
                        List.of(EmailAddress.parse(TestServer.EXTERNAL))), TestMessage.ascii("Subject: out\r\n\r\nhi\r\n"));
                assertThat(r.getFirst().outcome()).isInstanceOf(RecipientOutcome.Delivered.class);
            }
            assertThat(server.outbound()).singleElement().satisfies(o -> assertThat(o.recipients()).containsExactly(TestServer.EXTERNAL));
        }
    }
}
