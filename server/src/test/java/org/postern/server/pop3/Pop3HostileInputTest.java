package org.postern.server.pop3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.smtp.TestTls;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.UidSet;
import org.postern.wire.Secret;
import org.postern.wire.sasl.SaslPlain;

/**
 * Input from clients that want something else than their mail (STYLE.md "Hostile-input tests"). Every byte
 * the server sends in these tests is kept, and after each test none of it may look like a Java exception, a
 * stack frame or a store error: internals stay in the log.
 */
class Pop3HostileInputTest {
    static final String USER = Pop3TestServer.USER, PASSWORD = Pop3TestServer.PASSWORD;
    static final String MESSAGE = "From: a@test.example\r\nSubject: hostile\r\n\r\nfirst line\r\n.dotted\r\n";
    static final List<String> LEAKS = List.of("Exception", "exception", "at org.", "at java.", "java.", "javax.",
            "org.postern", "SQLITE", "sqlite", "Caused by", "\tat ", "NullPointer", "null");

    @TempDir
    Path dir;

    /** Everything every server sent to every client of the test. */
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @AfterEach
    void nothingTheServerSentLooksLikeAnInternalError() {
        String all = received.toString(UTF_8);
        assertThat(all).as("the test received something").isNotEmpty();
        for (String leak : LEAKS) assertThat(all).as("server output contains \"" + leak + "\"").doesNotContain(leak);
    }

    // --- not POP3 at all ---

    @Test
    void aTlsClientHelloOnThePlaintextPortIsClosedWithNothingButTheGreeting() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir); Client c = Client.plain(server.pop3Port(), received)) {
            c.sendBytes(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03});
            assertThat(c.rest()).startsWith("+OK ").hasLineCount(1);
        }
    }

    @Test
    void anHttpRequestOrAnotherProtocolAsTheFirstLineGetsErrAndClose() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            for (String first : List.of(
                    "GET / HTTP/1.1\r\nHost: pop.example.org\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n",
                    "POST /login HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
                    "EHLO client.example\r\nMAIL FROM:<a@b.example>\r\n",
                    "a1 LOGIN mjl secret\r\na2 SELECT INBOX\r\n")) {
                try (Client c = Client.plain(server.pop3Port(), received)) {
                    c.greeting();
                    c.send(first);
                    assertThat(c.rest()).as(first).isEqualTo("-ERR this is a POP3 server, closing\r\n");
                }
            }
        }
    }

    @Test
    void anUnknownCommandAfterTheFirstIsAnErrorAndTheSessionGoesOn() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir); Client c = Client.plain(server.pop3Port(), received)) {
            c.greeting();
            c.expect("CAPA", "+OK");
            c.body();
            assertThat(c.command("GET / HTTP/1.1")).isEqualTo("-ERR unknown command");
            c.expect("CAPA", "+OK");
        }
    }

    @Test
    void aLineFarPastTheLimitGetsErrAndACloseWithoutTheRestBeingRead() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir); Client c = Client.plain(server.pop3Port(), received)) {
            c.greeting();
            c.send("NOOP " + "x".repeat(64 * 1024) + "\r\nQUIT\r\n");
            assertThat(c.rest()).isEqualTo("-ERR line too long, closing\r\n");
        }
    }

    @Test
    void controlCharactersAndInvalidUtf8AreRefusedAndTheSessionGoesOn() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir); Client c = Client.plain(server.pop3Port(), received)) {
            c.greeting();
            c.expect("CAPA", "+OK");
            c.body();
            assertThat(c.command("STAT\0")).isEqualTo("-ERR control characters in command");
            assertThat(c.command("USER mjl\rDELE 1")).isEqualTo("-ERR control characters in command");
            c.sendBytes(new byte[] {'U', 'S', 'E', 'R', ' ', (byte) 0xff, (byte) 0xfe, '\r', '\n'});
            assertThat(c.line()).isEqualTo("-ERR control characters in command");
            c.expect("QUIT", "+OK");
            assertThat(c.closed()).isTrue();
        }
    }

    // --- STLS ---

    @Test
    void commandsPipelinedBehindStlsAreDiscardedNotRunInsideTls() throws IOException {
        // RFC 2595 §4 and CVE-2011-0411: what came in plaintext with STLS must not count as sent over TLS
        try (Pop3TestServer server = Pop3TestServer.start(dir); Client c = Client.plain(server.pop3Port(), received)) {
            c.greeting();
            c.send("STLS\r\nUSER " + USER + "\r\nPASS " + PASSWORD + "\r\nSTAT\r\n");
            assertThat(c.line()).isEqualTo("+OK begin TLS negotiation");
            c.startTls();
            assertThat(c.command("CAPA")).as("nothing answered before it").isEqualTo("+OK capability list follows");
            assertThat(c.body()).contains("USER", "SASL PLAIN").doesNotContain("STLS");
            assertThat(c.command("STAT")).isEqualTo("-ERR log in first");
            assertThat(c.command("PASS " + PASSWORD)).as("the injected USER was dropped").isEqualTo("-ERR send USER first");
        }
    }

    @Test
    void stlsIsRefusedAfterLoginAndOnceTlsIsActive() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            try (Client c = Client.plain(server.pop3Port(), received)) {
                c.login(USER, PASSWORD);
                assertThat(c.command("STLS")).isEqualTo("-ERR STLS is only allowed before login");
                c.expect("NOOP", "+OK");   // still the TLS session, still logged in
                c.expect("QUIT", "+OK");
            }
            try (Client c = Client.tls(server.pop3sPort(), received)) {
                c.greeting();
                assertThat(c.command("STLS")).isEqualTo("-ERR TLS already active");
                c.stlsOffered(false);
            }
            try (Client c = Client.plain(server.pop3Port(), received)) {
                c.greeting();
                c.stls();
                assertThat(c.command("STLS")).isEqualTo("-ERR TLS already active");
            }
        }
    }

    // --- pipelining ---

    @Test
    void aPipelinedBatchGetsEveryReplyInOrder() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            server.deliver(USER, MESSAGE);
            server.deliver(USER, MESSAGE);
            try (Client c = Client.plain(server.pop3Port(), received)) {
                c.login(USER, PASSWORD);
                c.send("STAT\r\nLIST\r\nUIDL\r\nNOOP\r\nRETR 2\r\nBOGUS\r\nDELE 1\r\nTOP 2 0\r\nLIST 1\r\nQUIT\r\n");
                assertThat(c.line()).startsWith("+OK 2 ");
                assertThat(c.line()).startsWith("+OK 2 messages");
                assertThat(c.body()).hasSize(2).first().asString().startsWith("1 ");
                assertThat(c.line()).startsWith("+OK");
                assertThat(c.body()).hasSize(2).last().asString().startsWith("2 ");
                assertThat(c.line()).isEqualTo("+OK");
                assertThat(c.line()).endsWith(" octets");
                assertThat(c.body()).contains("first line", "..dotted");
                assertThat(c.line()).isEqualTo("-ERR unknown command");
                assertThat(c.line()).isEqualTo("+OK message 1 deleted");
                assertThat(c.line()).isEqualTo("+OK top of message follows");
                assertThat(c.body()).last().isEqualTo("");
                assertThat(c.line()).isEqualTo("-ERR message 1 already deleted");
                assertThat(c.line()).isEqualTo("+OK bye, 1 messages deleted");
                assertThat(c.closed()).isTrue();
            }
            assertThat(server.inbox(USER)).hasSize(1);
        }
    }

    @Test
    void nothingPipelinedBehindQuitIsExecuted() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            server.deliver(USER, MESSAGE);
            try (Client c = Client.plain(server.pop3Port(), received)) {
                c.login(USER, PASSWORD);
                c.send("QUIT\r\nDELE 1\r\nQUIT\r\n");
                assertThat(c.rest()).isEqualTo("+OK bye, 0 messages deleted\r\n");
            }
            assertThat(server.inbox(USER)).hasSize(1);
        }
    }

    // --- AUTH PLAIN (RFC 5034) ---

    @Test
    void authPlainWithAnInitialResponseLogsIn() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir); Client c = Client.tls(server.pop3sPort(), received)) {
            c.greeting();
            assertThat(c.command("AUTH PLAIN " + plain("", USER, PASSWORD))).startsWith("+OK maildrop has 0 messages");
            c.expect("STAT", "+OK 0 0");
        }
    }

    @Test
    void authPlainThroughAnEmptyChallengeLogsIn() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir); Client c = Client.tls(server.pop3sPort(), received)) {
            c.greeting();
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            c.expect(plain("", USER, PASSWORD), "+OK maildrop has");
        }
    }

    @Test
    void authPlainWithTheUsersOwnNameAsAuthorizationIdentityLogsIn() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir); Client c = Client.tls(server.pop3sPort(), received)) {
            c.greeting();
            c.expect("AUTH PLAIN " + plain(USER, USER, PASSWORD), "+OK maildrop has");
        }
    }

    @Test
    void authPlainForAnotherUserIsAnAuthenticationFailureEvenWithTheRightPassword() throws IOException {
        // RFC 4616 §2 leaves proxy authorization to the server: we never let one user act as another
        try (Pop3TestServer server = Pop3TestServer.start(dir); Client c = Client.tls(server.pop3sPort(), received)) {
            c.greeting();
            assertThat(c.command("AUTH PLAIN " + plain(Pop3TestServer.OTHER, USER, PASSWORD)))
                    .isEqualTo("-ERR [AUTH] invalid user name or password");
            c.expect("AUTH PLAIN " + plain("", USER, PASSWORD), "+OK");
        }
    }

    @Test
    void authPlainCancelledWithAStarIsErrAndTheSessionGoesOn() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(0, 0));
             Client c = Client.tls(server.pop3sPort(), received)) {
            c.greeting();
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.command("*")).isEqualTo("-ERR authentication cancelled");   // RFC 5034 §4
            assertThat(c.command("AUTH PLAIN *")).isEqualTo("-ERR authentication cancelled");
            // no error and no failed login was counted, though the limits are zero
            c.expect("AUTH PLAIN " + plain("", USER, PASSWORD), "+OK");
        }
    }

    @Test
    void authPlainResponsesThatDoNotDecodeGetErrAndTheSessionGoesOn() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(20, 3));
             Client c = Client.tls(server.pop3sPort(), received)) {
            c.greeting();
            String cannot = "-ERR cannot decode the response";
            assertThat(c.command("AUTH PLAIN =")).as("empty initial response").isEqualTo(cannot);
            assertThat(c.command("AUTH PLAIN !!!notbase64")).isEqualTo(cannot);
            assertThat(c.command("AUTH PLAIN " + b64("no nul bytes"))).isEqualTo(cannot);
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0"))).as("empty password").isEqualTo(cannot);
            assertThat(c.command("AUTH PLAIN " + b64("\0\0" + PASSWORD))).as("empty user").isEqualTo(cannot);
            assertThat(c.command("AUTH PLAIN " + b64("a\0b\0c\0d"))).as("three NULs").isEqualTo(cannot);
            assertThat(c.command("AUTH PLAIN " + plain("", "u".repeat(SaslPlain.MAX_FIELD + 1), "p"))).isEqualTo(cannot);
            assertThat(c.command("AUTH PLAIN " + Base64.getEncoder().encodeToString(new byte[] {0, 'a', 0, (byte) 0xff})))
                    .as("not UTF-8").isEqualTo(cannot);
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.command("%%%")).isEqualTo(cannot);
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.command("")).as("an empty continuation").isEqualTo(cannot);
            c.expect("AUTH PLAIN " + plain("", USER, PASSWORD), "+OK");
        }
    }

    @Test
    void authListsPlainAndRefusesOtherMechanisms() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir); Client c = Client.tls(server.pop3sPort(), received)) {
            c.greeting();
            c.expect("AUTH", "+OK");
            assertThat(c.body()).containsExactly("PLAIN");
            for (String mech : List.of("CRAM-MD5", "LOGIN", "GSSAPI", "XOAUTH2 dG9rZW4=", "SCRAM-SHA-256"))
                assertThat(c.command("AUTH " + mech)).isEqualTo("-ERR unsupported mechanism: use PLAIN");
        }
    }

    @Test
    void apopIsRefusedAndTheGreetingOffersNoTimestampForIt() throws IOException {
        // RFC 1939 §7: a server that offers APOP puts a timestamp in its greeting; we offer none
        try (Pop3TestServer server = Pop3TestServer.start(dir); Client c = Client.tls(server.pop3sPort(), received)) {
            String greeting = c.line();
            assertThat(greeting).startsWith("+OK").doesNotContain("<");
            assertThat(c.command("APOP " + USER + " c4c9334bac560ecc979e58001b3e22fb")).startsWith("-ERR APOP is not offered");
            c.expect("USER " + USER, "+OK");
            c.expect("PASS " + PASSWORD, "+OK");
        }
    }

    // --- state ---

    @Test
    void transactionCommandsBeforeLoginAreRefused() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(20, 3))) {
            server.deliver(USER, MESSAGE);
            try (Client c = Client.tls(server.pop3sPort(), received)) {
                c.greeting();
                for (String cmd : List.of("STAT", "LIST", "LIST 1", "UIDL", "UIDL 1", "RETR 1", "TOP 1 0", "DELE 1", "RSET", "NOOP"))
                    assertThat(c.command(cmd)).as(cmd).isEqualTo("-ERR log in first");
                assertThat(c.command("PASS " + PASSWORD)).isEqualTo("-ERR send USER first");
                assertThat(c.command("QUIT")).isEqualTo("+OK bye");
            }
            assertThat(server.inbox(USER)).hasSize(1);
        }
    }

    @Test
    void loginCommandsAfterLoginAreRefused() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir); Client c = Client.tls(server.pop3sPort(), received)) {
            c.greeting();
            c.expect("USER " + USER, "+OK");
            c.expect("PASS " + PASSWORD, "+OK");
            for (String cmd : List.of("USER " + Pop3TestServer.OTHER, "PASS " + Pop3TestServer.OTHER_PASSWORD,
                    "AUTH PLAIN " + plain("", Pop3TestServer.OTHER, Pop3TestServer.OTHER_PASSWORD), "APOP a b"))
                assertThat(c.command(cmd)).as(cmd).isEqualTo("-ERR already logged in");
            c.expect("STAT", "+OK 0 0");
        }
    }

    @Test
    void aMessageExpungedByAnotherSessionAfterLoginGetsErrAndTheSessionGoesOn() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            for (int i = 0; i < 3; i++) server.deliver(USER, MESSAGE);
            List<MessageMeta> before = server.inbox(USER);
            try (Client c = Client.plain(server.pop3Port(), received)) {
                c.login(USER, PASSWORD);
                // as an IMAP session would: EXPUNGE message 2 behind the POP3 session's back
                MessageMeta second = before.get(1);
                server.store.write(server.account(USER), tx -> tx.expunge(second.mailbox(), UidSet.of(second.uid())));

                assertThat(c.command("RETR 2")).isEqualTo("-ERR message 2 was removed by another session");
                assertThat(c.command("TOP 2 0")).isEqualTo("-ERR message 2 was removed by another session");
                c.expect("RETR 1", "+OK");
                assertThat(c.body()).contains("..dotted");
                c.expect("LIST 2", "+OK 2 ");   // RFC 1939 §5: the numbering of the session stays
                c.expect("DELE 2", "+OK");
                c.expect("DELE 3", "+OK");
                assertThat(c.command("QUIT")).startsWith("+OK bye");
                assertThat(c.closed()).isTrue();
            }
            assertThat(server.inbox(USER)).extracting(MessageMeta::uid).containsExactly(before.get(0).uid());
        }
    }

    @Test
    void anInboxRenamedByImapDuringTheSessionLeavesTheMovedMessagesAlone() throws IOException {
        // RFC 9051 §6.3.9: RENAME INBOX moves its messages to the new mailbox; POP3's DELE must not follow them
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            server.deliver(USER, MESSAGE);
            try (Client c = Client.plain(server.pop3Port(), received)) {
                c.login(USER, PASSWORD);
                server.store.write(server.account(USER), tx -> {
                    tx.renameMailbox(tx.mailbox(MailboxName.INBOX).orElseThrow().id(), MailboxName.of("Old mail"));
                    return null;
                });
                assertThat(c.command("RETR 1")).isEqualTo("-ERR message 1 was removed by another session");
                c.expect("DELE 1", "+OK");
                assertThat(c.command("QUIT")).startsWith("+OK bye");
            }
            var moved = server.store.read(server.account(USER), tx -> tx.messages(
                    tx.mailbox(MailboxName.of("Old mail")).orElseThrow().id(), UidSet.ALL));
            assertThat(moved).hasSize(1);
            assertThat(server.inbox(USER)).isEmpty();
        }
    }

    @Test
    void aStoreThatFailsMidSessionGetsSysTempWithoutDetailAndQuitSaysNothingWasRemoved() throws IOException {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            server.deliver(USER, MESSAGE);
            try (Client c = Client.plain(server.pop3Port(), received)) {
                c.login(USER, PASSWORD);
                c.expect("DELE 1", "+OK");
                server.store.close();   // every store call fails from here on
                c.expect("RSET", "+OK");
                assertThat(c.command("RETR 1")).isEqualTo("-ERR [SYS/TEMP] temporary server failure, try again later");
                c.expect("DELE 1", "+OK");
                c.expect("NOOP", "+OK");   // the session goes on
                // RFC 1939 §6: "-ERR some deleted messages not removed"
                assertThat(c.command("QUIT")).isEqualTo("-ERR [SYS/TEMP] some deleted messages not removed, try again later");
                assertThat(c.closed()).isTrue();
            }
        }
    }

    // --- robustness ---

    @Test
    void randomLinesInTransactionEachGetOneCleanReplyAndTheSessionSurvives() throws IOException {
        String[] keywords = {"STAT", "LIST", "UIDL", "RETR", "DELE", "TOP", "NOOP", "RSET", "USER", "PASS", "AUTH",
                "APOP", "STLS", "XYZ", "", "CAPA"};
        String alphabet = "0123456789 -+x.=*é\0\t\u2028\uFFFD\r";
        Random random = new Random(1939);
        try (Pop3TestServer server = Pop3TestServer.start(dir, Pop3TestServer.settings().withLimits(100_000, 3));
             Client c = Client.plain(server.pop3Port(), received)) {
            c.login(USER, PASSWORD);   // an empty maildrop: no number names a message
            for (int i = 0; i < 300; i++) {
                String keyword = keywords[random.nextInt(keywords.length)];
                if (random.nextBoolean()) keyword = keyword.toLowerCase(Locale.ROOT);
                StringBuilder line = new StringBuilder(keyword);
                for (int n = random.nextInt(12); n > 0; n--) line.append(alphabet.charAt(random.nextInt(alphabet.length())));
                if (line.toString().endsWith("\r")) line.setLength(line.length() - 1);   // would end the line early
                String reply = c.command(line.toString());
                assertThat(reply).as(line.toString()).matches("(\\+OK|-ERR)( .*)?");
                if (reply.matches("\\+OK (.* follows|[0-9]+ messages \\(.*)")) c.body();   // CAPA, UIDL, LIST
            }
            c.expect("NOOP", "+OK");
            c.expect("QUIT", "+OK");
        }
    }

    @Test
    void aSecondConnectionIsUndisturbedWhileAnotherMisbehaves() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            server.deliver(Pop3TestServer.OTHER, MESSAGE);
            try (Client good = Client.tls(server.pop3sPort(), received)) {
                good.greeting();
                good.expect("USER " + Pop3TestServer.OTHER, "+OK");
                good.expect("PASS " + Pop3TestServer.OTHER_PASSWORD, "+OK maildrop has 1 messages");

                try (Client bad = Client.plain(server.pop3Port(), received)) {
                    bad.greeting();
                    bad.expect("CAPA", "+OK");
                    bad.body();
                    bad.send("STAT\r\nRETR 1\r\nRSET\0\r\n");
                    good.expect("STAT", "+OK 1 ");          // interleaved with the bad client's errors
                    for (int i = 0; i < 3; i++) assertThat(bad.line()).startsWith("-ERR");
                    bad.stls();
                    bad.expect("USER " + USER, "+OK");
                    bad.expect("PASS wrong", "-ERR [AUTH]");
                    good.expect("RETR 1", "+OK");
                    assertThat(good.body()).contains("..dotted");
                    bad.send("NOOP " + "x".repeat(10_000) + "\r\n");
                    assertThat(bad.line()).isEqualTo("-ERR line too long, closing");
                    assertThat(bad.closed()).isTrue();
                }
                try (Client http = Client.plain(server.pop3Port(), received)) {
                    http.greeting();
                    http.send("GET / HTTP/1.0\r\n\r\n");
                    assertThat(http.rest()).startsWith("-ERR");
                }
                good.expect("UIDL 1", "+OK 1 ");
                good.expect("DELE 1", "+OK");
                good.expect("QUIT", "+OK bye, 1 messages deleted");
            }
            assertThat(server.inbox(Pop3TestServer.OTHER)).isEmpty();
        }
    }

    static String plain(String authzid, String user, String password) {
        return b64(authzid + "\0" + user + "\0" + password);
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(UTF_8));
    }

    /**
     * A raw POP3 client that copies every byte it receives to the test's record. Unlike {@link Pop3Client} it can
     * start TLS without sending STLS (to send something behind it first) and read to the end of the stream.
     */
    static final class Client implements AutoCloseable {
        private final ByteArrayOutputStream record;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        private Client(Socket s, ByteArrayOutputStream record) throws IOException {
            this.record = record;
            attach(s);
        }

        static Client plain(int port, ByteArrayOutputStream record) throws IOException {
            return new Client(new Socket("127.0.0.1", port), record);
        }

        static Client tls(int port, ByteArrayOutputStream record) throws IOException {
            SSLSocket s = (SSLSocket) TestTls.clientFactory().createSocket("127.0.0.1", port);
            s.startHandshake();
            return new Client(s, record);
        }

        private void attach(Socket s) throws IOException {
            socket = s;
            socket.setSoTimeout(10_000);
            in = s.getInputStream();
            out = s.getOutputStream();
        }

        void send(String s) throws IOException {
            sendBytes(s.getBytes(UTF_8));
        }

        void sendBytes(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }

        private int read() throws IOException {
            int c = in.read();
            if (c >= 0) {
                synchronized (record) {
                    record.write(c);
                }
            }
            return c;
        }

        /** One line without its CRLF, or null at end of stream. */
        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                int c = read();
                if (c < 0) return b.size() == 0 ? null : b.toString(UTF_8);
                if (c == '\n') {
                    byte[] a = b.toByteArray();
                    return new String(a, 0, a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length, UTF_8);
                }
                b.write(c);
            }
        }

        String command(String command) throws IOException {
            send(command + "\r\n");
            String l = line();
            if (l == null) throw new IOException("connection closed after " + command);
            return l;
        }

        String expect(String command, String prefix) throws IOException {
            String r = command(command);
            assertThat(r).as(command).startsWith(prefix);
            return r;
        }

        /** A multi-line body up to the "." line, still dot-stuffed. */
        List<String> body() throws IOException {
            List<String> lines = new ArrayList<>();
            for (String l = line(); !".".equals(l); l = line()) {
                if (l == null) throw new IOException("connection closed inside a multi-line reply: " + lines);
                lines.add(l);
            }
            return lines;
        }

        /** Everything up to the end of the stream (the server closing), as text. */
        String rest() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try {
                for (int c = read(); c >= 0; c = read()) b.write(c);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server did not close; so far: " + b.toString(UTF_8));
            }
            return b.toString(UTF_8);
        }

        void greeting() throws IOException {
            assertThat(line()).startsWith("+OK");
        }

        /** The TLS handshake on this connection (after the server's +OK to STLS). */
        void startTls() throws IOException {
            SSLSocket s = (SSLSocket) TestTls.clientFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
            s.startHandshake();
            attach(s);
        }

        void stls() throws IOException {
            assertThat(command("STLS")).isEqualTo("+OK begin TLS negotiation");
            startTls();
        }

        void stlsOffered(boolean offered) throws IOException {
            expect("CAPA", "+OK");
            List<String> capa = body();
            if (offered) assertThat(capa).contains("STLS");
            else assertThat(capa).doesNotContain("STLS");
        }

        void login(String user, String password) throws IOException {
            greeting();
            stls();
            expect("USER " + user, "+OK");
            expect("PASS " + password, "+OK");
        }

        /** True when the server closed the connection (end of stream within 5 s). */
        boolean closed() throws IOException {
            try {
                socket.setSoTimeout(5_000);
                return read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
