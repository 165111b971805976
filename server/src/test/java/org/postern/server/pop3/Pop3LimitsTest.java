package org.postern.server.pop3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.config.Config;
import org.postern.server.net.AuthThrottle;
import org.postern.server.net.Delays;
import org.postern.wire.Secret;
import org.postern.wire.sasl.SaslPlain;
import org.postern.wire.testing.TestClock;

/** Each POP3 limit at N and at N + 1 (STYLE.md "Tests"): a clear -ERR, and a close where the limit says so. */
class Pop3LimitsTest {
    static final String USER = Pop3TestServer.USER, PASSWORD = Pop3TestServer.PASSWORD;
    static final String WRONG = "-ERR [AUTH] invalid user name or password";
    static final String MESSAGE = "From: a@test.example\r\nSubject: limits\r\n\r\nline 1\r\n.line 2\r\nline 3\r\n";

    @TempDir
    Path dir;

    // --- line length ---

    @Test
    void commandLineOfExactlyTheLimitIsAcceptedAndOneByteMoreGetsErrAndClose() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir); Pop3Client c = Pop3Client.tls(server.pop3sPort())) {
            c.greeting();
            String atLimit = "USER " + "x".repeat(Pop3Limits.MAX_LINE - "USER ".length() - 2);
            assertThat((atLimit + "\r\n").getBytes(UTF_8)).hasSize(Pop3Limits.MAX_LINE);
            c.expect(atLimit, "+OK");
            assertThat(c.command(atLimit + "x")).isEqualTo("-ERR line too long, closing");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void aSaslResponseLineIsHeldToTheSameLimit() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir); Pop3Client c = Pop3Client.tls(server.pop3sPort())) {
            c.greeting();
            String atLimit = "A".repeat(Pop3Limits.MAX_LINE - 2);   // base64 of zero bytes: decodes, malformed for PLAIN
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.command(atLimit)).isEqualTo("-ERR cannot decode the response");
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.command(atLimit + "A")).isEqualTo("-ERR line too long, closing");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void theLineLimitHoldsRfc2449sCommandLengthAndAPlainResponseWithFullLengthFields() {
        // RFC 2449 §4: commands up to 255 octets; RFC 4616: PLAIN with two 255-octet fields, base64, in AUTH
        assertThat(Pop3Limits.MAX_LINE).isGreaterThanOrEqualTo(255);
        String plain = SaslPlain.encode("u".repeat(SaslPlain.MAX_FIELD), Secret.of("p".repeat(SaslPlain.MAX_FIELD)));
        assertThat(("AUTH PLAIN " + plain + "\r\n").length()).isLessThanOrEqualTo(Pop3Limits.MAX_LINE);
    }

    // --- bad commands ---

    @Test
    void badCommandsUpToTheLimitAreAnsweredAndTheNextClosesTheConnection() throws IOException {
        int max = 3;
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(max, 3));
             Pop3Client c = new Pop3Client(server.pop3Port())) {
            c.greeting();
            c.expect("CAPA", "+OK");
            c.body();
            assertThat(c.command("BOGUS")).isEqualTo("-ERR unknown command");
            assertThat(c.command("STAT")).isEqualTo("-ERR log in first");
            assertThat(c.command("RETR x")).startsWith("-ERR");
            c.expect("CAPA", "+OK");   // three errors tolerated
            c.body();
            assertThat(c.command("NOOP")).isEqualTo("-ERR too many errors, closing");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void badCommandsInTransactionCountTooAndTheConnectionClosesWithoutDeleting() throws IOException {
        int max = 2;
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(max, 3))) {
            server.deliver(USER, MESSAGE);
            try (Pop3Client c = new Pop3Client(server.pop3Port())) {
                c.login(USER, PASSWORD);
                c.expect("DELE 1", "+OK");
                c.expect("RETR", "-ERR");
                c.expect("STLS", "-ERR");
                c.expect("NOOP", "+OK");
                assertThat(c.command("TOP 1")).isEqualTo("-ERR too many errors, closing");
                assertThat(c.closed()).isTrue();
            }
            assertThat(server.inbox(USER)).as("no QUIT, no UPDATE").hasSize(1);
        }
    }

    @Test
    void withNoBadCommandsAllowedTheFirstErrorCloses() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(0, 3));
             Pop3Client c = new Pop3Client(server.pop3Port())) {
            c.greeting();
            c.expect("CAPA", "+OK");
            c.body();
            assertThat(c.command("LIST")).isEqualTo("-ERR too many errors, closing");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void aBadCommandIsAnsweredOnlyAfterTheConfiguredDelay() throws IOException {
        var delays = new Delays(Duration.ZERO, Duration.ofMillis(300));
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withDelays(delays));
             Pop3Client c = new Pop3Client(server.pop3Port())) {
            c.greeting();
            c.expect("CAPA", "+OK");
            c.body();
            long start = System.nanoTime();
            c.expect("XYZZY", "-ERR unknown command");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    // --- failed logins ---

    @Test
    void failedLoginsUpToTheLimitGetAuthAndTheNextClosesTheConnection() throws IOException {
        int max = 2;
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(10, max));
             Pop3Client c = Pop3Client.tls(server.pop3sPort())) {
            c.greeting();
            c.expect("USER " + USER, "+OK");
            assertThat(c.command("PASS wrong")).isEqualTo(WRONG);
            assertThat(c.command("AUTH PLAIN " + plain(USER, "wrong"))).isEqualTo(WRONG);   // two mechanisms, one count
            c.expect("USER " + USER, "+OK");
            assertThat(c.command("PASS wrong")).isEqualTo("-ERR [AUTH] too many failed logins, closing");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void theRightPasswordAfterFailuresBelowTheLimitLogsIn() throws IOException {
        int max = 2;
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(10, max));
             Pop3Client c = Pop3Client.tls(server.pop3sPort())) {
            c.greeting();
            for (int i = 0; i < max; i++) {
                c.expect("USER " + USER, "+OK");
                assertThat(c.command("PASS wrong")).isEqualTo(WRONG);
            }
            c.expect("USER " + USER, "+OK");
            c.expect("PASS " + PASSWORD, "+OK maildrop has 0 messages");
        }
    }

    @Test
    void anUnknownUserAndAWrongPasswordGetTheSameRepliesAndTheSameDelay() throws IOException {
        // RFC 1939 §7 lets USER say whether the mailbox exists; we do not, so a guesser learns nothing
        var delays = new Delays(Duration.ofMillis(200), Duration.ZERO);
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(10, 10).withDelays(delays));
             Pop3Client c = Pop3Client.tls(server.pop3sPort())) {
            c.greeting();
            List<String> userReplies = new ArrayList<>(), passReplies = new ArrayList<>();
            for (String user : List.of(USER, "nobody@example.org", "nobody@elsewhere.example", "not-an-address")) {
                userReplies.add(c.command("USER " + user));
                long start = System.nanoTime();
                passReplies.add(c.command("PASS " + (user.equals(USER) ? "wrong" : PASSWORD)));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(user).isGreaterThanOrEqualTo(Duration.ofMillis(200));
                long startAuth = System.nanoTime();
                passReplies.add(c.command("AUTH PLAIN " + plain(user, user.equals(USER) ? "wrong" : PASSWORD)));
                assertThat(Duration.ofNanos(System.nanoTime() - startAuth)).as(user).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            }
            assertThat(userReplies).containsOnly("+OK send your password");
            assertThat(passReplies).hasSize(8).containsOnly(WRONG);
        }
    }

    @Test
    void anAddressWithTooManyFailuresAcrossConnectionsIsRefusedEvenWithTheRightPasswordUntilTheWindowPasses() throws IOException {
        // DESIGN.md security defaults: failed logins counted per client address across connections and protocols
        TestClock clock = TestClock.at("2026-11-26T12:00:00Z");
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(100, 100), new AuthThrottle(clock))) {
            try (Pop3Client c = Pop3Client.tls(server.pop3sPort())) {
                c.greeting();
                for (int i = 0; i < AuthThrottle.MAX_FAILURES_PER_ADDRESS - 1; i++) {
                    // spread over accounts, known and unknown: the address is what counts
                    String user = i % 2 == 0 ? USER : "guess" + i + "@example.org";
                    c.expect("USER " + user, "+OK");
                    assertThat(c.command("PASS wrong")).isEqualTo(WRONG);
                }
            }
            try (Pop3Client c = Pop3Client.tls(server.pop3sPort())) {   // a new connection does not reset the count
                c.greeting();
                c.expect("USER " + USER, "+OK");
                c.expect("PASS " + PASSWORD, "+OK");   // one below the limit: still allowed
                c.expect("QUIT", "+OK");
            }
            try (Pop3Client c = Pop3Client.tls(server.pop3sPort())) {
                c.greeting();
                c.expect("USER " + Pop3TestServer.OTHER, "+OK");
                assertThat(c.command("PASS wrong")).isEqualTo(WRONG);   // the limit is reached with this one
            }
            try (Pop3Client c = Pop3Client.tls(server.pop3sPort())) {
                c.greeting();
                c.expect("USER " + USER, "+OK");
                assertThat(c.command("PASS " + PASSWORD)).startsWith("-ERR [SYS/TEMP] ");   // password not even checked
                assertThat(c.command("AUTH PLAIN " + plain(USER, PASSWORD))).startsWith("-ERR [SYS/TEMP] ");
                c.expect("CAPA", "+OK");   // the session goes on
                c.body();

                clock.advance(AuthThrottle.WINDOW);
                c.expect("USER " + USER, "+OK");
                c.expect("PASS " + PASSWORD, "+OK");
            }
        }
    }

    @Test
    void failedLoginsAreAlsoCountedPerAccountSoAGuesserSpreadOverAddressesIsSlowed() throws Exception {
        // AuthThrottle: past MAX_FAILURES_PER_ACCOUNT, each further failure on the account waits ACCOUNT_PENALTY
        AuthThrottle throttle = new AuthThrottle(TestClock.at("2026-11-26T12:00:00Z"));
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(100, 100), throttle);
             Pop3Client c = Pop3Client.tls(server.pop3sPort())) {
            c.greeting();
            for (int i = 0; i < AuthThrottle.MAX_FAILURES_PER_ACCOUNT; i++) {
                if (i % 2 == 0) {
                    c.expect("USER " + (i % 4 == 0 ? USER : USER.toUpperCase(Locale.ROOT)), "+OK");
                    assertThat(c.command("PASS wrong")).isEqualTo(WRONG);
                } else {
                    assertThat(c.command("AUTH PLAIN " + plain(USER, "wrong"))).isEqualTo(WRONG);
                }
            }
        }
        InetAddress elsewhere = InetAddress.getByName("192.0.2.9");
        assertThat(throttle.failed(elsewhere, Pop3TestServer.OTHER)).as("an account without failures").isZero();
        assertThat(throttle.failed(elsewhere, USER)).as("the POP3 failures counted for the account")
                .isEqualTo(AuthThrottle.ACCOUNT_PENALTY);
    }

    // --- autologout (RFC 1939 §3) ---

    @Test
    void theAutologoutTimerIsAtLeastTenMinutesByDefault() {
        // RFC 1939 §3: "such a timer MUST be of at least 10 minutes' duration"
        assertThat(Pop3Limits.AUTOLOGOUT).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
        assertThat(Pop3Settings.defaults("pop.example.org").autologout()).isEqualTo(Pop3Limits.AUTOLOGOUT);
        assertThat(Pop3Settings.from(Config.defaults(dir, false)).autologout()).isEqualTo(Pop3Limits.AUTOLOGOUT);
    }

    @Test
    void anIdleClientIsLoggedOutWithErrAndNothingMarkedDeletedIsDeleted() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withAutologout(Duration.ofMillis(500)))) {
            server.deliver(USER, MESSAGE);
            try (Pop3Client c = new Pop3Client(server.pop3Port())) {
                c.login(USER, PASSWORD);
                c.expect("DELE 1", "+OK");
                long start = System.nanoTime();
                assertThat(c.line()).isEqualTo("-ERR autologout: idle for too long, closing");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
                assertThat(c.closed()).isTrue();
            }
            assertThat(server.inbox(USER)).as("RFC 1939 §3: autologout does not enter UPDATE").hasSize(1);
            try (Pop3Client c = new Pop3Client(server.pop3Port())) {   // and the maildrop lock was given back
                c.login(USER, PASSWORD);
                assertThat(c.command("STAT")).startsWith("+OK 1 ");
                c.expect("QUIT", "+OK");
            }
        }
    }

    @Test
    void anIdleClientIsLoggedOutBeforeLoginAndInsideASaslExchange() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withAutologout(Duration.ofMillis(300)))) {
            try (Pop3Client c = new Pop3Client(server.pop3Port())) {
                c.greeting();
                assertThat(c.line()).isEqualTo("-ERR autologout: idle for too long, closing");
                assertThat(c.closed()).isTrue();
            }
            try (Pop3Client c = Pop3Client.tls(server.pop3sPort())) {
                c.greeting();
                assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
                assertThat(c.line()).isEqualTo("-ERR autologout: idle for too long, closing");
                assertThat(c.closed()).isTrue();
            }
        }
    }

    @Test
    void aClientThatNeverStartsTheTlsHandshakeIsClosedAtTheTimerWithoutAPlaintextReply() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withAutologout(Duration.ofMillis(300)));
             Pop3Client c = new Pop3Client(server.pop3Port())) {
            c.greeting();
            c.expect("STLS", "+OK");
            long start = System.nanoTime();
            // the client is supposed to be in a TLS handshake now: a plaintext -ERR would only be garbage to it
            assertThat(c.line()).as("nothing after +OK, then the close").isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aClientTricklingACommandLineIsLoggedOutAtTheTimer() throws Exception {
        // each byte comes well within the per-read timeout; the line as a whole does not (DeadlineInput)
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withAutologout(Duration.ofMillis(400)));
             Pop3Client c = new Pop3Client(server.pop3Port())) {
            c.greeting();
            long start = System.nanoTime();
            try {
                for (char ch : "USER a-long-trickled-name@example.org".toCharArray()) {
                    c.send(String.valueOf(ch));
                    Thread.sleep(150);
                }
            } catch (IOException closedByServer) {
                // expected once the server gave up
            }
            assertThat(c.line()).isEqualTo("-ERR autologout: idle for too long, closing");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(c.closed()).isTrue();
        }
    }

    // --- arguments out of range ---

    @Test
    void theLastMessageNumberIsAnsweredAndOnePastItAndZeroGetErr() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            server.deliver(USER, MESSAGE);
            server.deliver(USER, MESSAGE);
            try (Pop3Client c = new Pop3Client(server.pop3Port())) {
                c.login(USER, PASSWORD);
                c.expect("LIST 2", "+OK 2 ");
                c.expect("UIDL 2", "+OK 2 ");
                c.expect("RETR 2", "+OK");
                c.body();
                c.expect("TOP 2 0", "+OK");
                c.body();
                for (String cmd : List.of("LIST", "UIDL", "RETR", "DELE", "TOP")) {
                    String args = cmd.equals("TOP") ? " 0" : "";
                    assertThat(c.command(cmd + " 3" + args)).as(cmd + " 3").isEqualTo("-ERR no such message, only 2 in maildrop");
                    assertThat(c.command(cmd + " 2147483647" + args)).as(cmd + " MAX").isEqualTo("-ERR no such message, only 2 in maildrop");
                    assertThat(c.command(cmd + " 4294967298" + args)).as(cmd + " 2^32+2").isEqualTo("-ERR no such message, only 2 in maildrop");
                }
                for (String cmd : List.of("LIST 0", "UIDL 0", "RETR 0", "DELE 0", "TOP 0 0"))
                    assertThat(c.command(cmd)).as(cmd).isEqualTo("-ERR invalid message number");
                c.expect("DELE 2", "+OK");   // none of the refused numbers marked anything
                assertThat(c.command("STAT")).startsWith("+OK 1 ");
                c.expect("QUIT", "+OK");
            }
            assertThat(server.inbox(USER)).hasSize(1);
        }
    }

    @Test
    void messageNumbersThatNameNoMessageDoNotCountAsBadCommands() throws IOException {
        // a client with a stale idea of the maildrop is not misbehaving; only syntax and state errors count
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(0, 3))) {
            server.deliver(USER, MESSAGE);
            try (Pop3Client c = new Pop3Client(server.pop3Port())) {
                c.login(USER, PASSWORD);
                for (int i = 0; i < 5; i++) c.expect("RETR 2", "-ERR no such message");
                c.expect("DELE 1", "+OK");
                c.expect("DELE 1", "-ERR message 1 already deleted");
                c.expect("RSET", "+OK");
            }
        }
    }

    @Test
    void topWithALineCountAtOrPastTheBodyOrHugeReturnsTheWholeMessage() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            server.deliver(USER, MESSAGE);
            try (Pop3Client c = new Pop3Client(server.pop3Port())) {
                c.login(USER, PASSWORD);
                c.expect("RETR 1", "+OK");
                byte[] whole = c.rawBody();
                for (String count : List.of("3", "4", "2147483647", "99999999999999999999")) {
                    c.expect("TOP 1 " + count, "+OK");
                    assertThat(new String(c.rawBody(), UTF_8)).as("TOP 1 " + count).isEqualTo(new String(whole, UTF_8));
                }
                c.expect("TOP 1 2", "+OK");
                assertThat(new String(c.rawBody(), UTF_8)).as("one line short").endsWith("\r\n\r\nline 1\r\n..line 2\r\n.\r\n");
            }
        }
    }

    // --- connections ---

    @Test
    void connectionsPerAddressUpToTheCapAreGreetedAndTheNextGetsSysTempAndClose() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withConnectionLimits(10, 2));
             Pop3Client a = new Pop3Client(server.pop3Port()); Pop3Client b = Pop3Client.tls(server.pop3sPort())) {
            a.greeting();
            b.greeting();   // the cap holds across POP3 listeners
            try (Pop3Client c = new Pop3Client(server.pop3Port())) {
                assertThat(c.line()).isEqualTo("-ERR [SYS/TEMP] too many connections from your address");
                assertThat(c.closed()).isTrue();
            }
            a.expect("QUIT", "+OK");
            assertThat(a.closed()).isTrue();
            // the slot is given back right after the session's socket is closed: retry briefly for that race
            String greeting = "";
            for (int i = 0; i < 50 && !greeting.startsWith("+OK"); i++) {
                try (Pop3Client d = new Pop3Client(server.pop3Port())) {
                    greeting = String.valueOf(d.line());
                }
                if (!greeting.startsWith("+OK")) Thread.sleep(20);
            }
            assertThat(greeting).startsWith("+OK");
        }
    }

    static String plain(String user, String password) {
        return SaslPlain.encode(user, Secret.of(password));
    }
}
