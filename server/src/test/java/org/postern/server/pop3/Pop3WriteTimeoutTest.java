package org.postern.server.pop3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pop3WriteTimeoutTest {
    @TempDir
    Path dir;

    @Test
    void aClientThatAsksForABigMessageAndStopsReadingIsCutOffAndItsMaildropLockIsReleased() throws Exception {
        Pop3Settings settings = Pop3TestServer.settings().withAllowPlaintextAuth(true).withAutologout(Duration.ofMillis(500));
        try (Pop3TestServer server = Pop3TestServer.start(dir, settings)) {
            String line = "x".repeat(998) + "\r\n";
            server.deliver(Pop3TestServer.USER, "Subject: big\r\n\r\n" + line.repeat(16 * 1024));   // 16 MiB

            try (Socket stuck = new Socket()) {
                stuck.setReceiveBufferSize(4096);
                stuck.connect(new InetSocketAddress("127.0.0.1", server.pop3Port()));
                OutputStream out = stuck.getOutputStream();
                out.write(("USER " + Pop3TestServer.USER + "\r\nPASS " + Pop3TestServer.PASSWORD + "\r\nRETR 1\r\n").getBytes(UTF_8));
                out.flush();
                InputStream in = stuck.getInputStream();
                byte[] greeting = new byte[64];
                assertThat(in.read(greeting)).isPositive();   // then it never reads again

                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                String reply = "";
                while (System.nanoTime() < deadline) {
                    try (Pop3Client next = new Pop3Client(server.pop3Port())) {
                        next.greeting();
                        next.expect("USER " + Pop3TestServer.USER, "+OK");
                        reply = next.command("PASS " + Pop3TestServer.PASSWORD);
                        if (reply.startsWith("+OK")) {
                            next.expect("QUIT", "+OK");
                            break;
                        }
                    }
                    Thread.sleep(200);
                }
                assertThat(reply).as("a new session gets the maildrop once the stuck one was cut off").startsWith("+OK");
                assertThat(server.inbox(Pop3TestServer.USER)).as("nothing deleted").hasSize(1);
            }
        }
    }
}
