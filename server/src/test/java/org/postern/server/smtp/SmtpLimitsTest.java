package org.postern.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each limit at N and at N + 1 (COMMON.md "Tests"). */
class SmtpLimitsTest {
    @Test
    void commandLineOfExactlyTheLimitIsAcceptedAndOneByteMoreClosesTheConnection(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.greeting();
            String noop = "NOOP ";
            String atLimit = noop + "x".repeat(SmtpLimits.MAX_COMMAND_LINE - noop.length() - 2);   // + CRLF = limit
            assertThat((atLimit + "\r\n").length()).isEqualTo(SmtpLimits.MAX_COMMAND_LINE);
            c.expect(atLimit, "250 2.0.0");
            c.expect(atLimit + "x", "500 5.5.2 line too long");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void messageOfExactlyTheSizeLimitIsAcceptedAndOneByteMoreGets552AfterTheEnd(@TempDir Path dir) throws IOException {
        int max = 1000;
        try (TestServer server = TestServer.start(dir, TestServer.settings().withMaxMessageBytes(max));
             RawClient c = server.mxClient()) {
            c.hello();
            String header = "Subject: size\r\n\r\n";
            String atLimit = header + "a".repeat(max - header.length() - 2) + "\r\n";
            assertThat(atLimit.length()).isEqualTo(max);
            send(c, atLimit);
            c.expect(".", "250 2.0.0 OK queued as");

            String over = header + "a".repeat(max - header.length() - 1) + "\r\n";
            send(c, over + "more lines the server must read and discard\r\n".repeat(50));
            c.expect(".", "552 5.3.4");
            c.expect("NOOP", "250");   // still in step
            assertThat(server.deliveries()).isEqualTo(1);
            assertThat(server.store.blobs().discarded.get()).isEqualTo(1);
        }
    }

    private static void send(RawClient c, String message) throws IOException {
        c.expect("MAIL FROM:<a@elsewhere.example>", "250");
        c.expect("RCPT TO:<mjl@example.org>", "250");
        c.expect("DATA", "354");
        c.send(message);
    }

    @Test
    void sizeParameterOfExactlyTheLimitIsAcceptedAndOneMoreRefused(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withMaxMessageBytes(5000));
             RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<a@elsewhere.example> SIZE=5001", "552 5.3.4");
            c.expect("MAIL FROM:<a@elsewhere.example> SIZE=5000", "250 2.1.0");
            // the EHLO reply advertises the configured size (RFC 1870 §4)
            c.expect("RSET", "250");
            assertThat(c.command("EHLO again.example").text()).contains("250-SIZE 5000");
        }
    }

    @Test
    void dataLineOfExactlyTheTextLineLimitIsAcceptedAndOneByteMoreRefused(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            String line = "x".repeat(SmtpLimits.MAX_TEXT_LINE - 2) + "\r\n";
            send(c, "Subject: long\r\n\r\n" + line);
            c.expect(".", "250 2.0.0");
            send(c, "Subject: longer\r\n\r\nx" + line);
            c.expect(".", "550 5.6.0");
            assertThat(server.deliveries()).isEqualTo(1);
        }
    }

    @Test
    void recipientsUpToTheLimitAreAcceptedAndTheNextGets452(@TempDir Path dir) throws IOException {
        int max = 5;
        try (TestServer server = TestServer.start(dir, TestServer.settings().withMaxRecipients(max));
             RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            for (int i = 0; i < max; i++) c.expect("RCPT TO:<mjl+" + i + "@example.org>", "250 2.1.5");
            c.expect("RCPT TO:<other@example.org>", "452 4.5.3");
            c.expect("DATA", "354");
            c.expect("Subject: many\r\n\r\nhi\r\n.", "250 2.0.0");
            assertThat(server.inbox(TestServer.USER)).hasSize(1);   // five RCPTs, one account: one copy
            assertThat(server.inbox(TestServer.OTHER)).isEmpty();
        }
    }

    @Test
    void defaultRecipientLimitIsOneThousand() {
        assertThat(SmtpSettings.defaults("x.example").maxRecipients()).isEqualTo(SmtpLimits.MAX_RCPT).isEqualTo(1000);
    }

    @Test
    void badCommandsUpToTheLimitAreAnsweredAndTheNextGets421AndClose(@TempDir Path dir) throws IOException {
        int max = 3;
        try (TestServer server = TestServer.start(dir, TestServer.settings().withMaxBadCommands(max));
             RawClient c = server.mxClient()) {
            c.hello();
            c.expect("BOGUS", "500 5.5.1");
            c.expect("RCPT TO:<mjl@example.org>", "503 5.5.1");
            c.expect("MAIL FROM:<a b@c>", "501 5.1.7");
            c.expect("NOOP", "250");   // three errors tolerated
            c.expect("BOGUS", "421 4.7.0");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void refusedRecipientsCountAsErrors(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withMaxBadCommands(2));
             RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<nobody1@example.org>", "550 5.1.1");
            c.expect("RCPT TO:<victim@elsewhere.example>", "550 5.7.1");
            c.expect("RCPT TO:<nobody2@example.org>", "421 4.7.0");   // a directory harvest ends here
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void authFailuresUpToTheLimitGet535AndTheNextGets421AndClose(@TempDir Path dir) throws IOException {
        int max = 2;
        try (TestServer server = TestServer.start(dir, TestServer.settings().withMaxAuthFailures(max).withAllowPlaintextAuth(true));
             RawClient c = server.mxClient()) {
            c.hello();
            String wrong = plain("wrong");
            c.expect("AUTH PLAIN " + wrong, "535 5.7.8");
            c.expect("AUTH PLAIN " + wrong, "535 5.7.8");
            c.expect("AUTH PLAIN " + wrong, "421 4.7.0");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void anAddressWithTooManyFailuresAcrossConnectionsIsRefusedEvenWithTheRightPassword(@TempDir Path dir) throws IOException {
        // DESIGN.md security defaults: failed logins counted per IP across connections (AuthThrottle)
        String wrong = plain("wrong");
        String right = plain(TestServer.PASSWORD);
        try (TestServer server = TestServer.start(dir, TestServer.settings().withMaxAuthFailures(100).withAllowPlaintextAuth(true))) {
            try (RawClient c = server.mxClient()) {
                c.hello();
                for (int i = 0; i < org.postern.server.net.AuthThrottle.MAX_FAILURES_PER_ADDRESS - 1; i++) c.expect("AUTH PLAIN " + wrong, "535 5.7.8");
            }
            try (RawClient c = server.mxClient()) {          // a new connection does not reset the count
                c.hello();
                c.expect("AUTH PLAIN " + right, "235");      // one below the limit: still allowed
            }
            try (RawClient c = server.mxClient()) {
                c.hello();
                c.expect("AUTH PLAIN " + wrong, "535 5.7.8");   // the limit is reached with this one
            }
            try (RawClient c = server.mxClient()) {
                c.hello();
                c.expect("AUTH PLAIN " + right, "454 4.7.0");   // refused without checking the password
                c.expect("NOOP", "250");                          // the session goes on
            }
        }
    }

    @Test
    void failedAuthIsAnsweredOnlyAfterTheConfiguredDelay(@TempDir Path dir) throws IOException {
        var delays = new org.postern.server.net.Delays(Duration.ofMillis(300), Duration.ZERO);
        try (TestServer server = TestServer.start(dir, TestServer.settings().withAllowPlaintextAuth(true).withDelays(delays));
             RawClient c = server.mxClient()) {
            c.hello();
            String wrong = plain("wrong");
            long start = System.nanoTime();
            c.expect("AUTH PLAIN " + wrong, "535 5.7.8");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            start = System.nanoTime();
            c.expect("AUTH PLAIN " + plain(TestServer.PASSWORD), "235");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));
        }
    }

    @Test
    void idleClientGets421AfterTheCommandTimeout(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withTimeouts(TestServer.shortTimeouts(Duration.ofMillis(300))));
             RawClient c = server.mxClient()) {
            c.hello();
            assertThat(c.reply().last()).startsWith("421 4.4.2");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void aClientTricklingACommandLineIsCutOffAtTheCommandTimeout(@TempDir Path dir) throws Exception {
        // each byte comes well within the per-read timeout; the line as a whole does not (DeadlineInput)
        try (TestServer server = TestServer.start(dir, TestServer.settings().withTimeouts(TestServer.shortTimeouts(Duration.ofMillis(400))));
             RawClient c = server.mxClient()) {
            c.hello();
            long start = System.nanoTime();
            try {
                for (char ch : "NOOP and a long trickled argument".toCharArray()) {
                    c.send(String.valueOf(ch));
                    Thread.sleep(150);
                }
            } catch (IOException closedByServer) {
                // expected once the server gave up
            }
            assertThat(c.reply().last()).startsWith("421 4.4.2");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void aSlowButSteadyBodyWithinTheRateAllowanceIsAccepted(@TempDir Path dir) throws Exception {
        // a whole record gets its timeout plus 1 s per DeadlineInput.MIN_BYTES_PER_SECOND bytes: 4 KiB sent over
        // ~1.2 s with a 400 ms data timeout is within it (0.4 s + 4 s)
        try (TestServer server = TestServer.start(dir, TestServer.settings().withTimeouts(
                new SmtpSettings.Timeouts(Duration.ofMinutes(1), Duration.ofMillis(400))));
             RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<someone@elsewhere.test>", "250");
            c.expect("RCPT TO:<" + TestServer.USER + ">", "250");
            c.expect("DATA", "354");
            c.send("Subject: slow but steady\r\n\r\n");
            for (int i = 0; i < 8; i++) {
                c.send("x".repeat(510) + "\r\n");
                Thread.sleep(150);
            }
            c.send(".\r\n");
            assertThat(c.reply().last()).startsWith("250");
        }
    }

    @Test
    void clientThatStallsInDataGets421AfterTheDataTimeout(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withTimeouts(
                new SmtpSettings.Timeouts(Duration.ofMinutes(1), Duration.ofMillis(300))));
             RawClient c = server.mxClient()) {
            c.hello();
            send(c, "Subject: slow\r\n\r\npart of a line");
            assertThat(c.reply().last()).startsWith("421 4.4.2");
            assertThat(c.closed()).isTrue();
            assertThat(server.deliveries()).isZero();
        }
    }

    @Test
    void clientThatNeverStartsTheTlsHandshakeIsClosedAfterTheCommandTimeout(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withTimeouts(TestServer.shortTimeouts(Duration.ofMillis(300))));
             RawClient c = server.mxClient()) {
            c.hello();
            c.expect("STARTTLS", "220 2.0.0");
            long start = System.nanoTime();
            c.rest();   // until the server closes (or the client's own 10 s read timeout)
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void clientThatStallsInABdatChunkGets421AfterTheDataTimeout(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withTimeouts(
                new SmtpSettings.Timeouts(Duration.ofMinutes(1), Duration.ofMillis(300))));
             RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            c.send("BDAT 100 LAST\r\nSubject: slow\r\n");
            assertThat(c.reply().last()).startsWith("421 4.4.2");
            assertThat(c.closed()).isTrue();
            assertThat(server.deliveries()).isZero();
        }
    }

    @Test
    void bdatChunkLargerThanTheMessageLimitIsRefusedAndTheConnectionClosed(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withMaxMessageBytes(100));
             RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            c.send("BDAT 100\r\n" + "x".repeat(98) + "\r\n");
            assertThat(c.reply().last()).startsWith("250 2.0.0 100 octets");
            c.send("BDAT 1 LAST\r\ny");
            assertThat(c.reply().last()).startsWith("552 5.3.4");
            c.expect("RSET", "250");
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            c.expect("BDAT 101", "552 5.3.4");
            assertThat(c.closed()).isTrue();
            assertThat(server.deliveries()).isZero();
        }
    }

    @Test
    void connectionsPerAddressUpToTheCapAreGreetedAndTheNextGets421(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withConnectionLimits(10, 2));
             RawClient a = server.mxClient(); RawClient b = server.submissionClient()) {
            a.greeting();
            b.greeting();   // the cap holds across listeners
            try (RawClient c = server.mxClient()) {
                assertThat(c.reply().last()).startsWith("421 4.7.0 mx.example.org too many connections");
                assertThat(c.closed()).isTrue();
            }
            a.expect("QUIT", "221");
            assertThat(a.closed()).isTrue();
            // the slot is given back right after the session's socket is closed: retry briefly for that race
            String greeting = "";
            for (int i = 0; i < 50 && !greeting.startsWith("220 "); i++) {
                try (RawClient d = server.mxClient()) {
                    greeting = d.readLine();
                }
                if (!greeting.startsWith("220 ")) sleep(20);
            }
            assertThat(greeting).startsWith("220 ");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** AUTH PLAIN's initial response for the test user with {@code password}. */
    private static String plain(String password) {
        return org.postern.wire.sasl.SaslPlain.encode(TestServer.USER, org.postern.wire.Secret.of(password));
    }
}
