package org.postern.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.wire.Secret;
import org.postern.wire.sasl.SaslPlain;

/** Commands in an order the state machine must refuse or handle (RFC 5321 §4.1.4, RFC 3207, RFC 4954). */
class SmtpSequenceTest {
    private static final String LOGIN = "AUTH PLAIN " + SaslPlain.encode(TestServer.USER, Secret.of(TestServer.PASSWORD));

    @Test
    void startTlsAfterAuthForgetsTheUser(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withAllowPlaintextAuth(true));
             RawClient c = server.submissionClient()) {
            c.hello();
            c.expect(LOGIN, "235 2.7.0");
            c.expect("STARTTLS", "220 2.0.0");
            c.startTls();
            c.expect("EHLO client.example", "250 ");
            // RFC 3207 §4.2: everything learned before TLS, the authentication too, is discarded
            c.expect("MAIL FROM:<" + TestServer.USER + ">", "530 5.7.0");
            c.expect(LOGIN, "235 2.7.0");
            c.expect("MAIL FROM:<" + TestServer.USER + ">", "250 2.1.0");
        }
    }

    @Test
    void authAndStartTlsAreRefusedDuringATransaction(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withAllowPlaintextAuth(true));
             RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect(LOGIN, "503 5.5.1");   // RFC 4954 §4
            c.expect("STARTTLS", "503 5.5.1");
            c.expect("RCPT TO:<mjl@example.org>", "250 2.1.5");   // the transaction is intact
            c.expect("DATA", "354");
            c.expect("Subject: x\r\n\r\nx\r\n.", "250 2.0.0");
            assertThat(server.deliveries()).isEqualTo(1);
        }
    }

    @Test
    void submissionSenderMayBeAnAliasThatReachesTheUserButNoOtherAddress(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withAllowPlaintextAuth(true));
             RawClient c = server.submissionClient()) {
            c.hello();
            c.expect(LOGIN, "235");
            c.expect("MAIL FROM:<" + TestServer.ALIAS + ">", "250 2.1.0");
            c.expect("RSET", "250");
            c.expect("MAIL FROM:<postmaster@example.org>", "250 2.1.0");
            c.expect("RSET", "250");
            c.expect("MAIL FROM:<mjl@elsewhere.example>", "553 5.7.1");
            c.expect("MAIL FROM:<" + TestServer.OTHER + ">", "553 5.7.1");
        }
    }

    @Test
    void ehloInTheMiddleOfBdatDiscardsTheBodyButKeepsTheUser(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withAllowPlaintextAuth(true));
             RawClient c = server.submissionClient()) {
            c.hello();
            c.expect(LOGIN, "235");
            c.expect("MAIL FROM:<" + TestServer.USER + ">", "250");
            c.expect("RCPT TO:<other@example.org>", "250");
            c.send("BDAT 15\r\nSubject: part\r\n");
            assertThat(c.reply().last()).startsWith("250 2.0.0 15 octets");
            c.expect("EHLO client.example", "250 ");
            assertThat(server.store.blobs().discarded.get()).isEqualTo(1);
            c.send("BDAT 3 LAST\r\nx\r\n");
            assertThat(c.reply().last()).startsWith("503 5.5.1");
            c.expect("MAIL FROM:<" + TestServer.USER + ">", "250 2.1.0");   // still authenticated
            assertThat(server.deliveries()).isZero();
        }
    }

    @Test
    void chunksPipelinedBehindAFailedBdatAreDiscardedWithoutCountingAsErrors(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withMaxBadCommands(1));
             RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            // RFC 3030 §2: the client pipelined its chunks; the first one fails (a bare LF), the rest were on the way
            c.send("BDAT 5\r\nab\ncdBDAT 2\r\nxyBDAT 2\r\nxyBDAT 2\r\nxyBDAT 2 LAST\r\nxy");
            assertThat(c.reply().last()).startsWith("550 5.6.0");
            for (int i = 0; i < 4; i++) assertThat(c.reply().last()).as("chunk " + (i + 2)).startsWith("503 5.5.1");
            c.expect("NOOP", "250");   // not closed for too many errors
            c.expect("RSET", "250");
            c.send("BDAT 2 LAST\r\nxy");
            assertThat(c.reply().last()).startsWith("503 5.5.1");   // a BDAT out of nowhere still counts: one allowed
            c.send("BDAT 2 LAST\r\nxy");
            assertThat(c.reply().last()).startsWith("421 4.7.0");
            assertThat(server.deliveries()).isZero();
        }
    }
}
