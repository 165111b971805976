package org.postern.server.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that asks for a lot and stops reading is cut off by the write deadline, and its slot is freed. */
class ImapWriteTimeoutTest {
    @TempDir
    Path dir;

    @Test
    void aClientThatStopsReadingIsDisconnectedAfterTheWriteTimeout() throws Exception {
        ImapSettings settings = ImapTestServer.settings().withAllowPlaintextAuth(true)
                .withTimeouts(Duration.ofMinutes(30), Duration.ofMinutes(1), Duration.ofMillis(500));
        try (ImapTestServer server = ImapTestServer.start(dir, settings)) {
            for (int i = 0; i < 20; i++) {
                server.deliver(ImapTestServer.USER, "Subject: " + "s".repeat(900) + "\r\nFrom: a@b.example\r\n\r\nbody\r\n");
            }
            try (Socket stuck = new Socket()) {
                stuck.setReceiveBufferSize(4096);
                stuck.connect(new InetSocketAddress("127.0.0.1", server.imapPort()));
                OutputStream out = stuck.getOutputStream();
                StringBuilder commands = new StringBuilder("a LOGIN " + ImapTestServer.USER + " \"" + ImapTestServer.PASSWORD
                        + "\"\r\nb SELECT INBOX\r\n");
                for (int i = 0; i < 500; i++) commands.append("f").append(i).append(" FETCH 1:* (ENVELOPE)\r\n");   // ~10 MB of answers
                try {
                    out.write(commands.toString().getBytes(UTF_8));
                    out.flush();
                } catch (IOException cutOffWhileSending) {
                    // the server may close before it has read every command: that is the outcome we want too
                }
                InputStream in = stuck.getInputStream();
                assertThat(in.read(new byte[64])).isPositive();   // the greeting; then it never reads again
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (server.imapPlain.openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(100);
                assertThat(server.imapPlain.openConnections()).as("the stuck connection was closed").isZero();
            }
        }
    }
}
