package org.postern.server.smtp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input from clients that want something else than sending mail (STYLE.md "Hostile-input tests"). */
class SmtpHostileInputTest {
    /** mox TestSmuggle: none of these ends DATA, so the "second message" is never a message. */
    @Test
    void smugglingSequencesNeverCreateASecondMessage(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            for (String smuggle : List.of("\r\n.\n", "\n.\r\n", "\r.\r\n", "\n.\n")) {
                c.expect("MAIL FROM:<a@elsewhere.example>", "250");
                c.expect("RCPT TO:<mjl@example.org>", "250");
                c.expect("DATA", "354");
                c.send("Subject: first\r\n\r\nfirst" + smuggle
                        + "MAIL FROM:<admin@example.org>\r\nRCPT TO:<other@example.org>\r\nDATA\r\n"
                        + "Subject: smuggled\r\n\r\nsecond\r\n.\r\n");
                // exactly one reply for the whole thing: the message is refused, nothing else was executed
                assertThat(c.reply().last()).as(smuggle.replace("\r", "\\r").replace("\n", "\\n")).startsWith("550 5.6.0");
            }
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            c.expect("DATA", "354");
            c.expect("Subject: honest\r\n\r\nhello\r\n.", "250 2.0.0");
            assertThat(server.deliveries()).isEqualTo(1);
            assertThat(server.inbox(TestServer.USER)).singleElement().asString().contains("Subject: honest").doesNotContain("smuggled");
            assertThat(server.inbox(TestServer.OTHER)).isEmpty();
        }
    }

    @Test
    void plaintextSentBehindStartTlsIsDiscarded(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            // CVE-2011-0411: commands injected in the same packet as STARTTLS must not run inside TLS
            c.send("STARTTLS\r\nMAIL FROM:<evil@elsewhere.example>\r\nRCPT TO:<mjl@example.org>\r\n");
            assertThat(c.reply().last()).startsWith("220 2.0.0");
            c.startTls();
            RawClient.Reply ehlo = c.command("EHLO client.example");
            assertThat(ehlo.lines().getFirst()).isEqualTo("250-" + TestServer.HOST);   // nothing answered before it
            assertThat(ehlo.text()).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            c.expect("RCPT TO:<mjl@example.org>", "503 5.5.1");   // the injected MAIL did not happen
            c.expect("STARTTLS", "503 5.5.1");
        }
    }

    @Test
    void tlsClientHelloOnThePlainPortIsClosedWithoutAnswer(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); Socket s = new Socket("127.0.0.1", server.mx.port())) {
            s.setSoTimeout(5000);
            byte[] hello = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03};
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            String all = new String(s.getInputStream().readAllBytes(), UTF_8);
            assertThat(all).startsWith("220 ").hasLineCount(1);
        }
    }

    @Test
    void injectedStoreFailureGets451WithoutLeakingAnythingAndDeletesTheBlob(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            server.store.failDeliver = true;
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            c.expect("DATA", "354");
            RawClient.Reply r = c.command("Subject: x\r\n\r\nbody\r\n.");
            assertThat(r.last()).isEqualTo("451 4.3.0 internal error, message not accepted, try again later");
            assertThat(server.store.blobs().committed).hasSize(1);
            assertThat(server.store.blobs().live()).as("no blob left behind").isEmpty();

            server.store.failDeliver = false;
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            server.store.blobs().failBegin = true;
            c.expect("DATA", "451 4.3.0 internal error");        // before 354: nothing to read
            server.store.blobs().failBegin = false;
            server.store.blobs().failWrites = true;
            c.expect("DATA", "354");
            c.expect("Subject: x\r\n\r\nbody\r\n.", "451 4.3.0");   // read to the end, then refused
            server.store.blobs().failWrites = false;
            c.expect("NOOP", "250");
            c.line("QUIT");
            String rest = c.rest();
            for (String leak : List.of("injected", "Exception", "secret", "at org.", "disk", "device"))
                assertThat(r.text() + rest).doesNotContain(leak);
            assertThat(server.deliveries()).isZero();
        }
    }

    @Test
    void bdatStoreFailureStillConsumesTheChunk(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            server.store.blobs().failBegin = true;
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            c.send("BDAT 12 LAST\r\nNOOP\r\nNOOP\r\n");
            assertThat(c.reply().last()).startsWith("451 4.3.0");
            c.expect("QUIT", "221");   // the NOOPs inside the chunk were not taken as commands
        }
    }

    /** Past IncomingBody's 64 KiB write buffer, so a failing store write happens while the message is arriving. */
    private static final String FILLER = ("x".repeat(98) + "\r\n").repeat(800);
    private static final String SMUGGLED = "MAIL FROM:<evil@elsewhere.example>\r\nRCPT TO:<other@example.org>\r\nDATA\r\n"
            + "Subject: smuggled\r\n\r\nx\r\n.\r\n";

    @Test
    void storeBugWhileDataIsArrivingGets421AndACloseSoTheRestIsNeverReadAsCommands(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            c.expect("DATA", "354");
            server.store.blobs().failWritesUnchecked = true;
            c.send("Subject: big\r\n\r\n" + FILLER + SMUGGLED + "hello\r\n.\r\n" + SMUGGLED);
            assertThat(c.reply().last()).isEqualTo("421 4.3.0 mx.example.org internal error, closing");
            String rest = c.rest();
            assertThat(rest).isEmpty();
            server.store.blobs().failWritesUnchecked = false;
            assertThat(server.deliveries()).isZero();
            assertThat(server.inbox(TestServer.OTHER)).isEmpty();
        }
    }

    @Test
    void storeBugWhileABdatChunkIsArrivingGets421AndACloseSoTheRestIsNeverReadAsCommands(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            server.store.blobs().failWritesUnchecked = true;
            String chunk = "Subject: big\r\n\r\n" + FILLER + SMUGGLED;
            c.send("BDAT " + chunk.length() + " LAST\r\n" + chunk);
            assertThat(c.reply().last()).isEqualTo("421 4.3.0 mx.example.org internal error, closing");
            assertThat(c.rest()).isEmpty();
            server.store.blobs().failWritesUnchecked = false;
            assertThat(server.deliveries()).isZero();
            for (int i = 0; i < 100 && server.store.blobs().discarded.get() == 0; i++) sleep(20);
            assertThat(server.store.blobs().discarded.get()).as("the partial body is discarded").isEqualTo(1);
        }
    }

    @Test
    void rsetInTheMiddleOfBdatDiscardsTheBodyAndEndsTheTransaction(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            c.send("BDAT 15\r\nSubject: part\r\n");
            assertThat(c.reply().last()).startsWith("250 2.0.0 15 octets");
            c.expect("RSET", "250 2.0.0");
            assertThat(server.store.blobs().discarded.get()).isEqualTo(1);
            c.send("BDAT 6 LAST\r\nx\r\ny\r\n");
            assertThat(c.reply().last()).startsWith("503 5.5.1");   // the chunk was read and refused
            c.expect("NOOP", "250");
            assertThat(server.deliveries()).isZero();
        }
    }

    @Test
    void nothingPipelinedBehindQuitIsExecuted(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            c.send("QUIT\r\nMAIL FROM:<a@elsewhere.example>\r\nRCPT TO:<mjl@example.org>\r\nNOOP\r\n");
            assertThat(c.reply().last()).startsWith("221 2.0.0");
            assertThat(c.rest()).isEmpty();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void controlCharactersInCommandsAreRefused(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<a@elsewhere.example>\rRCPT TO:<x@example.org>", "500 5.5.2");
            c.expect("NOOP\0", "500 5.5.2");
            c.send(new byte[] {'E', 'H', 'L', 'O', ' ', (byte) 0xff, '\r', '\n'});
            assertThat(c.reply().last()).startsWith("500 5.5.2");
        }
    }

    @Test
    void eofInTheMiddleOfDataStoresNothing(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            try (RawClient c = server.mxClient()) {
                c.hello();
                c.expect("MAIL FROM:<a@elsewhere.example>", "250");
                c.expect("RCPT TO:<mjl@example.org>", "250");
                c.expect("DATA", "354");
                c.send("Subject: cut\r\n\r\nhalf a mess");
            }
            for (int i = 0; i < 100 && server.store.blobs().discarded.get() == 0; i++) Thread.sleep(20);
            assertThat(server.store.blobs().discarded.get()).isEqualTo(1);
            assertThat(server.deliveries()).isZero();
        }
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), UTF_8);
    }
}
