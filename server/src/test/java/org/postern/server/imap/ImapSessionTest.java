package org.postern.server.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conversations over real sockets for the commands of any state and the not-authenticated state (RFC 9051
 * §6.1-§6.2): greeting, CAPABILITY before and after TLS and login, STARTTLS, LOGIN, AUTHENTICATE PLAIN, ENABLE,
 * ID, NAMESPACE, NOOP, LOGOUT, and the state errors.
 */
class ImapSessionTest {
    static final String USER = ImapTestServer.USER, PASSWORD = ImapTestServer.PASSWORD;

    @TempDir
    Path dir;

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(UTF_8));
    }

    @Test
    void plaintextPortOffersStartTlsAndLoginDisabledThenAuthAfterTlsAndEverythingAfterLogin() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = new ImapClient(server.imapPort())) {
            assertThat(c.line()).isEqualTo("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS "
                    + "LOGINDISABLED] Postern IMAP server ready");
            assertThat(c.command("CAPABILITY")).containsExactly(
                    "* CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE STARTTLS LOGINDISABLED",
                    "a1 OK CAPABILITY completed");
            assertThat(c.tagged("LOGIN " + USER + " \"" + PASSWORD + "\""))
                    .isEqualTo("a2 NO [PRIVACYREQUIRED] plaintext login is disabled: use STARTTLS (or port 993) first");
            assertThat(c.tagged("AUTHENTICATE PLAIN " + plain(USER, PASSWORD)))
                    .isEqualTo("a3 NO [PRIVACYREQUIRED] plaintext login is disabled: use STARTTLS (or port 993) first");
            c.startTls();
            assertThat(c.command("CAPABILITY").getFirst())
                    .isEqualTo("* CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE AUTH=PLAIN");
            assertThat(c.tagged("LOGIN " + USER + " \"" + PASSWORD + "\""))
                    .startsWith("a6 OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE ")
                    .endsWith("] LOGIN completed");
            assertThat(c.command("CAPABILITY").getFirst()).isEqualTo("* CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID "
                    + "ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE "
                    + "CREATE-SPECIAL-USE ESEARCH SEARCHRES CONDSTORE QRESYNC BINARY APPENDLIMIT=52428800 STATUS=SIZE UTF8=ACCEPT QUOTA QUOTA=RES-STORAGE");
            assertThat(c.command("LOGOUT")).containsExactly("* BYE logging out", "a8 OK LOGOUT completed");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void implicitTlsPortOffersAuthAtOnceAndNoStartTls() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.tls(server.imapsPort())) {
            assertThat(c.line()).isEqualTo("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE AUTH=PLAIN] "
                    + "Postern IMAP server ready");
            assertThat(c.tagged("STARTTLS")).isEqualTo("a1 NO TLS is already active");
        }
    }

    @Test
    void plaintextLoginAllowedByTheOperatorOffersAuthWithoutTls() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir, ImapTestServer.settings().withAllowPlaintextAuth(true));
             ImapClient c = new ImapClient(server.imapPort())) {
            assertThat(c.line()).contains("STARTTLS AUTH=PLAIN]").doesNotContain("LOGINDISABLED");
            c.login(USER, PASSWORD);
        }
    }

    @Test
    void commandsPipelinedBehindStartTlsAreDiscarded() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = new ImapClient(server.imapPort())) {
            c.greeting();
            // RFC 9051 §6.2.1: whatever follows STARTTLS in the same packet must not be run after the handshake
            c.send("a1 STARTTLS\r\na2 LOGIN " + USER + " \"" + PASSWORD + "\"\r\n");
            assertThat(c.line()).isEqualTo("a1 OK begin TLS negotiation now");
            javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) org.postern.server.smtp.TestTls.clientFactory()
                    .createSocket(c.socket(), "127.0.0.1", c.socket().getPort(), true);
            s.startHandshake();
            s.getOutputStream().write("a3 NOOP\r\n".getBytes(UTF_8));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), UTF_8));
            assertThat(in.readLine()).isEqualTo("a3 OK done");   // no answer for a2: it was dropped
        }
    }

    @Test
    void authenticatePlainWithInitialResponseWithContinuationAndCancelled() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir)) {
            try (ImapClient c = ImapClient.tls(server.imapsPort()).greeting()) {
                assertThat(c.tagged("AUTHENTICATE PLAIN " + plain(USER, PASSWORD))).matches("a1 OK \\[CAPABILITY .*\\] AUTHENTICATE PLAIN completed");
            }
            try (ImapClient c = ImapClient.tls(server.imapsPort()).greeting()) {
                c.send("t1 AUTHENTICATE PLAIN\r\n");
                assertThat(c.line()).isEqualTo("+ ");
                c.send(plain(USER, PASSWORD) + "\r\n");
                assertThat(c.line()).matches("t1 OK \\[CAPABILITY .*\\] AUTHENTICATE PLAIN completed");
            }
            try (ImapClient c = ImapClient.tls(server.imapsPort()).greeting()) {
                c.send("t1 AUTHENTICATE PLAIN\r\n");
                assertThat(c.line()).isEqualTo("+ ");
                c.send("*\r\n");
                assertThat(c.line()).isEqualTo("t1 BAD authentication cancelled");
                c.send("t2 AUTHENTICATE PLAIN\r\n");
                assertThat(c.line()).isEqualTo("+ ");
                c.send("!!!\r\n");
                assertThat(c.line()).isEqualTo("t2 BAD cannot decode the SASL response");
                assertThat(c.tagged("AUTHENTICATE CRAM-MD5")).isEqualTo("a1 NO unsupported mechanism: use PLAIN");
                assertThat(c.tagged("NOOP")).isEqualTo("a2 OK done");
            }
        }
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswerAndTheFailureOnePastTheLimitCloses() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.tls(server.imapsPort()).greeting()) {
            String wrong = "NO [AUTHENTICATIONFAILED] invalid user name or password";
            assertThat(c.tagged("LOGIN " + USER + " wrong")).isEqualTo("a1 " + wrong);
            assertThat(c.tagged("LOGIN nobody@example.org wrong")).isEqualTo("a2 " + wrong);
            assertThat(c.tagged("AUTHENTICATE PLAIN " + plain(USER, "wrong"))).isEqualTo("a3 " + wrong);   // 3 = the limit
            assertThat(c.tagged("LOGIN " + USER + " wrong")).isEqualTo("a4 " + wrong);
            assertThat(c.line()).isEqualTo("* BYE too many failed logins, closing");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void commandsOfTheWrongStateAreBad() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.tls(server.imapsPort()).greeting()) {
            assertThat(c.tagged("SELECT INBOX")).isEqualTo("a1 BAD log in first");
            assertThat(c.tagged("FETCH 1 FLAGS")).isEqualTo("a2 BAD log in first");
            assertThat(c.tagged("ENABLE IMAP4rev2")).isEqualTo("a3 BAD log in first");
            c.login(USER, PASSWORD);
            assertThat(c.tagged("LOGIN " + USER + " x")).isEqualTo("a5 BAD already logged in");
            assertThat(c.tagged("AUTHENTICATE PLAIN")).isEqualTo("a6 BAD already logged in");
            assertThat(c.tagged("STARTTLS")).isEqualTo("a7 BAD already logged in");
            assertThat(c.tagged("FETCH 1 FLAGS")).isEqualTo("a8 BAD select a mailbox first");
            assertThat(c.tagged("CLOSE")).isEqualTo("a9 BAD select a mailbox first");
        }
    }

    @Test
    void enableIdNamespaceNoop() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            assertThat(c.command("ENABLE QRESYNC X-UNKNOWN UTF8=ACCEPT"))
                    .containsExactly("* ENABLED QRESYNC UTF8=ACCEPT", "a2 OK ENABLE completed");
            assertThat(c.command("ENABLE CONDSTORE QRESYNC IMAP4rev2"))
                    .containsExactly("* ENABLED IMAP4rev2", "a3 OK ENABLE completed");   // CONDSTORE came with QRESYNC
            assertThat(c.command("ID (\"name\" \"test\" \"version\" NIL)"))
                    .containsExactly("* ID (\"name\" \"Postern\" \"vendor\" \"Postern\")", "a4 OK ID completed");
            assertThat(c.command("NAMESPACE")).containsExactly("* NAMESPACE ((\"\" \"/\")) NIL NIL", "a5 OK NAMESPACE completed");
            assertThat(c.command("NOOP")).containsExactly("a6 OK done");
        }
    }

    @Test
    void idWorksBeforeLogin() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.tls(server.imapsPort()).greeting()) {
            assertThat(c.command("ID NIL")).containsExactly("* ID (\"name\" \"Postern\" \"vendor\" \"Postern\")", "a1 OK ID completed");
        }
    }

    @Test
    void aNonImapFirstLineGetsByeAndAClose() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.tls(server.imapsPort()).greeting()) {
            c.send("\r\n");
            assertThat(c.line()).isEqualTo("* BYE this is an IMAP server, closing");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void syntaxErrorsAreBadWithTheirTag() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            List<String> r = c.command("FROB");
            assertThat(r).containsExactly("a2 BAD unknown command");
            assertThat(c.tagged("NOOP")).isEqualTo("a3 OK done");
        }
    }
}
