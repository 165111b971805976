package org.postern.server.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.config.Config;
import org.postern.wire.imap.ImapLimits;

/** Each IMAP limit at N and at N + 1 (STYLE.md "Tests"): a clear BAD or NO, and BYE and a close where the limit says so. */
class ImapLimitsTest {
    static final String USER = ImapTestServer.USER, PASSWORD = ImapTestServer.PASSWORD;

    @TempDir
    Path dir;

    /** {@code tag NOOP} padded with trailing spaces (which the parser allows) to exactly {@code length} bytes. */
    private static String noopOf(String tag, int length) {
        String s = tag + " NOOP";
        return s + " ".repeat(length - s.length());
    }

    @Test
    void lineLimitBeforeLoginIsSixteenKibAtTheLimitAndOneMoreGetsByeAndClose() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.tls(server.imapsPort()).greeting()) {
            int n = ImapLimits.MAX_LINE_BYTES_UNAUTHENTICATED;
            c.send(noopOf("t1", n) + "\r\n");
            assertThat(c.line()).isEqualTo("t1 OK done");
            c.send(noopOf("t2", n + 1) + "\r\n");
            assertThat(c.line()).isEqualTo("* BYE line longer than " + n + " bytes, closing");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void lineLimitAfterLoginIsSixtyFourKib() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            int n = ImapLimits.MAX_LINE_BYTES;
            c.send(noopOf("t1", n) + "\r\n");
            assertThat(c.line()).isEqualTo("t1 OK done");
            c.send(noopOf("t2", n + 1) + "\r\n");
            assertThat(c.line()).isEqualTo("* BYE line longer than " + n + " bytes, closing");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void literalLimitBeforeLoginSynchronizingIsBadTooBigAndTheSessionGoesOn() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.tls(server.imapsPort()).greeting()) {
            long n = ImapLimits.MAX_LITERAL_UNAUTHENTICATED;
            c.send("t1 LOGIN {" + n + "}\r\n");
            assertThat(c.line()).isEqualTo("+ Ready");
            c.send("u".repeat((int) n) + " wrong\r\n");
            assertThat(c.line()).isEqualTo("t1 NO [AUTHENTICATIONFAILED] invalid user name or password");
            c.send("t2 LOGIN {" + (n + 1) + "}\r\n");
            assertThat(c.line()).isEqualTo("t2 BAD [TOOBIG] literal larger than " + n + " bytes");
            assertThat(c.tagged("NOOP")).isEqualTo("a1 OK done");
        }
    }

    @Test
    void nonSynchronizingLiteralOverTheLimitEndsTheConnection() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.tls(server.imapsPort()).greeting()) {
            long n = ImapLimits.MAX_LITERAL_UNAUTHENTICATED;
            c.send("t1 LOGIN {" + n + "+}\r\n" + "u".repeat((int) n) + " wrong\r\n");
            assertThat(c.line()).isEqualTo("t1 NO [AUTHENTICATIONFAILED] invalid user name or password");
            c.send("t2 LOGIN {" + (n + 1) + "+}\r\n");
            assertThat(c.line()).isEqualTo("* BYE [TOOBIG] literal larger than " + n + " bytes, closing");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void literalLimitAfterLoginIsHundredKib() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            long n = ImapLimits.MAX_LITERAL;
            c.send("t1 STATUS {" + n + "+}\r\n" + "x".repeat((int) n) + " (MESSAGES)\r\n");
            assertThat(c.line()).startsWith("t1 NO ");   // a name that long is refused, but the literal was read
            c.send("t2 STATUS {" + (n + 1) + "}\r\n");
            assertThat(c.line()).isEqualTo("t2 BAD [TOOBIG] literal larger than " + n + " bytes");
            assertThat(c.tagged("NOOP")).isEqualTo("a2 OK done");
        }
    }

    @Test
    void badCommandsInARowUpToTheLimitAreAnsweredAndOneMoreGetsBye() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.tls(server.imapsPort()).greeting()) {
            int max = ImapTestServer.settings().maxBadCommands();
            for (int i = 1; i <= max; i++) assertThat(c.tagged("FROB")).isEqualTo("a" + i + " BAD unknown command");
            // a good command resets the count: another run of max BADs is still answered
            assertThat(c.tagged("NOOP")).isEqualTo("a" + (max + 1) + " OK done");
            for (int i = 1; i <= max; i++) assertThat(c.tagged("FROB")).isEqualTo("a" + (max + 1 + i) + " BAD unknown command");
            c.send("x FROB\r\n");
            assertThat(c.line()).isEqualTo("* BYE too many bad commands, closing");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void appendOverTheMessageLimitIsRefusedBeforeTheBytesOrClosedWhenTheyAreComing() throws IOException {
        long max = 64 * 1024;
        try (ImapTestServer server = ImapTestServer.start(dir, ImapTestServer.settings().withLimits(10, 3, max));
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            assertThat(c.command("CAPABILITY").getFirst()).contains(" APPENDLIMIT=" + max + " ");
            String body = "Subject: big\r\n\r\n" + "x".repeat((int) max - 18) + "\r\n";
            assertThat(body.length()).isEqualTo(max);
            c.send("t1 APPEND INBOX {" + max + "}\r\n");
            assertThat(c.line()).isEqualTo("+ Ready");
            c.send(body + "\r\n");
            assertThat(c.line()).matches("t1 OK \\[APPENDUID \\d+ 1] APPEND completed");
            c.send("t2 APPEND INBOX {" + (max + 1) + "}\r\n");
            assertThat(c.line()).isEqualTo("t2 NO [TOOBIG] message larger than the APPENDLIMIT of " + max + " bytes");
            c.send("t3 APPEND INBOX {" + (max + 1) + "+}\r\n");
            assertThat(c.line()).isEqualTo("* BYE [TOOBIG] message larger than the APPENDLIMIT of " + max + " bytes, closing");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void theLoginTimeoutEndsASilentConnectionBeforeLoginWithBye() throws IOException {
        // RFC 9051 §5.4 allows a shorter timer before login: a long autologout, so the BYE is the login timeout's
        ImapSettings quick = ImapTestServer.settings().withTimeouts(Duration.ofMinutes(5), Duration.ofMillis(300), Duration.ofSeconds(5));
        try (ImapTestServer server = ImapTestServer.start(dir, quick); ImapClient c = ImapClient.tls(server.imapsPort()).greeting()) {
            assertThat(c.line()).isEqualTo("* BYE autologout: idle for too long");
            assertThat(c.closed()).isTrue();
        }
    }

    // --- autologout once logged in (RFC 9051 §5.4) ---

    @Test
    void theAutologoutTimerIsAtLeastThirtyMinutesByDefault() {
        // RFC 9051 §5.4: "the duration of that timer MUST be at least 30 minutes"
        assertThat(ImapServerLimits.AUTOLOGOUT).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
        assertThat(ImapSettings.defaults("imap.example.org").autologout()).isEqualTo(ImapServerLimits.AUTOLOGOUT);
        assertThat(ImapSettings.from(Config.defaults(dir, false)).autologout()).isEqualTo(ImapServerLimits.AUTOLOGOUT);
    }

    /** A short autologout and a long login timeout, so a BYE can only come from the autologout. */
    private static ImapSettings autologoutOf(Duration autologout) {
        return ImapTestServer.settings().withTimeouts(autologout, Duration.ofMinutes(5), Duration.ofSeconds(10));
    }

    @Test
    void aQuietLoggedInSessionIsLoggedOutAndABusyOneIsNot() throws Exception {
        Duration autologout = Duration.ofMillis(1500);   // 15 times the busy session's pause: a stalled CI thread is not a logout
        try (ImapTestServer server = ImapTestServer.start(dir, autologoutOf(autologout));
             ImapClient quiet = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient busy = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient notLoggedIn = ImapClient.tls(server.imapsPort()).greeting()) {
            quiet.ok("SELECT INBOX");
            busy.ok("SELECT INBOX");
            // the busy session sends a command every 100 ms, for two autologouts in all
            long end = System.nanoTime() + autologout.multipliedBy(2).toNanos();
            while (System.nanoTime() < end) {
                assertThat(busy.command("NOOP").getLast()).matches("a\\d+ OK done");
                Thread.sleep(100);
            }
            assertThat(quiet.line()).isEqualTo("* BYE autologout: idle for too long");
            assertThat(quiet.closed()).isTrue();
            assertThat(busy.command("NOOP").getLast()).matches("a\\d+ OK done");
            // before login the (long) login timeout applies, not the autologout
            assertThat(notLoggedIn.tagged("NOOP")).isEqualTo("a1 OK done");
        }
    }

    @Test
    void autologoutEndsAnIdleCommandWithBye() throws IOException {
        // RFC 9051 §5.4 and RFC 2177 §3: the timer runs during IDLE too (clients re-issue IDLE every 29 minutes)
        try (ImapTestServer server = ImapTestServer.start(dir, autologoutOf(Duration.ofMillis(400)));
             ImapClient selected = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient unselected = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            selected.ok("SELECT INBOX");
            for (ImapClient c : List.of(selected, unselected)) {
                c.send("t1 IDLE\r\n");
                assertThat(c.line()).isEqualTo("+ idling");
            }
            for (ImapClient c : List.of(selected, unselected)) {
                assertThat(c.line()).isEqualTo("* BYE autologout: idle for too long");
                assertThat(c.closed()).isTrue();
            }
        }
    }

    // --- client data written back: never a line of its own (RFC 9051 §4.3 literals, §7 responses) ---

    /** What a hostile client hides in its data, hoping the server writes it back raw. */
    private static final String FORGED = "x\r\n* OK [ALERT] forged\r\nt9 OK forged";

    /** {@code s} as a non-synchronizing literal (RFC 7888). */
    private static String literal(String s) {
        return "{" + s.getBytes(UTF_8).length + "+}\r\n" + s;
    }

    /**
     * Every response up to the tagged one, literals read by their announced length as a client reads them:
     * each starts as a response to this command does, so none is a line the client's data made, and none is
     * the forged text (in any case: HEADER.FIELDS names come back upper case).
     */
    private static List<String> noForgedLine(List<String> responses) {
        String tag = responses.getLast().substring(0, responses.getLast().indexOf(' '));
        for (String r : responses) {
            assertThat(r).as("response %s", responses).matches("(?s)(\\* |\\+ |" + Pattern.quote(tag) + " ).*");
            assertThat(r.toLowerCase(Locale.ROOT)).as("response %s", responses)
                    .doesNotStartWith("* ok [alert] forged").doesNotStartWith("t9 ok forged");
        }
        return responses;
    }

    @Test
    void aCrlfInsideALiteralMailboxNameIsRefusedAndNeverWrittenBack() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            String name = literal(FORGED);
            // modified UTF-7 names (IMAP4rev1), then UTF-8 names (RFC 6855 §3: no control characters either way)
            for (boolean utf8 : new boolean[] {false, true}) {
                if (utf8) c.ok("ENABLE UTF8=ACCEPT");
                for (String command : List.of("CREATE " + name, "RENAME " + name + " Elsewhere", "RENAME INBOX " + name,
                        "STATUS " + name + " (MESSAGES)", "GETQUOTAROOT " + name, "SUBSCRIBE " + name, "SELECT " + name)) {
                    List<String> r = noForgedLine(c.command(command));
                    assertThat(r).as(command).hasSize(1);
                    assertThat(r.getLast()).as(command).matches("a\\d+ NO .*");
                }
                // a pattern is not a name: matching nothing is as good as refusing it
                List<String> list = noForgedLine(c.command("LIST \"\" " + name));
                assertThat(list).hasSize(1);
                assertThat(list.getLast()).matches("a\\d+ (OK|NO) .*");
            }
            assertThat(noForgedLine(c.command("LIST \"\" *"))).noneMatch(l -> l.contains("forged"));
            assertThat(noForgedLine(c.command("LSUB \"\" *"))).noneMatch(l -> l.contains("forged"));
        }
    }

    @Test
    void aMailboxNameWithQuotesBackslashesAndABraceComesBackQuotedAndIntact() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            // "{3}" at the end: written as an atom, it would announce a literal; quoted, it is text
            String wire = ImapClient.quote("odd \"q\" \\b ]{3}");
            c.ok("CREATE " + wire);
            assertThat(noForgedLine(c.command("LIST \"\" odd*")))
                    .containsExactly("* LIST (\\HasNoChildren) \"/\" " + wire, "a3 OK LIST completed");
            assertThat(noForgedLine(c.command("STATUS " + wire + " (MESSAGES)")))
                    .containsExactly("* STATUS " + wire + " (MESSAGES 0)", "a4 OK STATUS completed");
            assertThat(noForgedLine(c.command("GETQUOTAROOT " + wire))).first().isEqualTo("* QUOTAROOT " + wire);
        }
    }

    @Test
    void headerFieldNamesSentAsLiteralsComeBackAsLiterals() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 1);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            // RFC 9051 §9: header-fld-name is an astring, and the response names the fields it was asked for
            String upper = FORGED.toUpperCase(Locale.ROOT);
            for (String item : List.of("BODY.PEEK[HEADER.FIELDS (", "BODY.PEEK[HEADER.FIELDS.NOT (SUBJECT ")) {
                List<String> r = noForgedLine(c.command("FETCH 1 (" + item + literal(FORGED) + ")])"));
                assertThat(r).hasSize(2);
                assertThat(r.getFirst()).startsWith("* 1 FETCH (BODY[HEADER.FIELDS")
                        .contains("{" + upper.length() + "}\r\n" + upper + ")]");
                assertThat(r.getLast()).matches("a\\d+ OK FETCH completed");
            }
        }
    }

    @Test
    void headerValuesWithLineBreaksComeBackOnlyInsideLiterals() throws IOException {
        // RFC 2231 §4: percent-encoded parameter values decode to any bytes, CR and LF included
        String encoded = "utf-8''x%0D%0A%2A%20OK%20%5BALERT%5D%20forged%0D%0At9%20OK%20forged";
        String message = "From: Mallory <mallory@test.example>\r\n"
                + "To: mjl@example.org\r\n"
                + "Subject: x\r\n * OK [ALERT] forged\r\n t9 OK forged\r\n"
                + "Content-Type: text/plain; charset=us-ascii;\r\n name*=" + encoded + "\r\n"
                + "Content-Disposition: attachment; filename*=" + encoded + "\r\n"
                + "Content-Description: x\r\n * OK [ALERT] forged\r\n"
                + "\r\n"
                + FORGED + "\r\n";
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.send("ap APPEND INBOX " + literal(message) + "\r\n");
            assertThat(c.line()).startsWith("ap OK [APPENDUID ");
            c.ok("SELECT INBOX");
            for (String items : List.of("ENVELOPE", "BODYSTRUCTURE", "BODY", "BODY.PEEK[HEADER.FIELDS (SUBJECT)]", "BODY.PEEK[TEXT]")) {
                List<String> r = noForgedLine(c.command("FETCH 1 (" + items + ")"));
                assertThat(r).as(items).hasSize(2);
                assertThat(r.getFirst()).as(items).startsWith("* 1 FETCH (");
                assertThat(r.getLast()).as(items).matches("a\\d+ OK FETCH completed");
            }
            // the decoded parameter values arrive whole, as literals
            String structure = c.command("FETCH 1 (BODYSTRUCTURE)").getFirst();
            String decoded = "{" + FORGED.length() + "}\r\n" + FORGED;
            assertThat(structure).contains("\"NAME\" " + decoded).contains("\"FILENAME\" " + decoded);
        }
    }

    @Test
    void idFieldsAndASearchCharsetSentAsLiteralsAreNotWrittenBack() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 1);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            assertThat(noForgedLine(c.command("ID (\"name\" " + literal(FORGED) + " " + literal(FORGED) + " \"x\")")))
                    .containsExactly("* ID (\"name\" \"Postern\" \"vendor\" \"Postern\")", "a2 OK ID completed");
            c.ok("SELECT INBOX");
            assertThat(noForgedLine(c.command("SEARCH CHARSET " + literal(FORGED) + " ALL")))
                    .containsExactly("a4 NO [BADCHARSET (UTF-8 US-ASCII)] unsupported charset");
            // client data in a search key's value and in a syntax error's place
            assertThat(noForgedLine(c.command("SEARCH HEADER " + literal(FORGED) + " " + literal(FORGED))))
                    .containsExactly("* SEARCH", "a5 OK SEARCH completed");
            List<String> bad = noForgedLine(c.command("SEARCH " + literal(FORGED)));
            assertThat(bad).hasSize(1);
            assertThat(bad.getLast()).startsWith("a6 BAD ");
        }
    }

    @Test
    void aTlsHandshakeOnThePlaintextPortIsClosedWithoutAnswer() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = new ImapClient(server.imapPort())) {
            c.greeting();
            c.send(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5});
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void hostileBytesGetBadNotACrash() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.send("t1 SELECT \"IN\0BOX\"\r\n");
            assertThat(c.line()).startsWith("t1 BAD ");
            c.send("t2 FETCH 1:4294967296 FLAGS\r\n");
            assertThat(c.line()).startsWith("t2 BAD ");
            c.send("t3 LOGIN {99999999999999999999}\r\n");
            assertThat(c.line()).startsWith("t3 BAD ");
            c.send("t4 SEARCH " + "NOT ".repeat(ImapLimits.MAX_SEARCH_DEPTH + 1) + "ALL\r\n");
            assertThat(c.line()).startsWith("t4 BAD ");
            c.send(new byte[] {'t', '5', ' ', (byte) 0xff, (byte) 0xfe, '\r', '\n'});
            assertThat(c.line()).startsWith("t5 BAD ");
            assertThat(c.tagged("NOOP")).isEqualTo("a2 OK done");
        }
    }
}
