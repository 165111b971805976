package org.postern.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WriteDeadlineTest {
    private static final byte[] CHUNK = new byte[64 * 1024];

    @Test
    void aWriteToAPeerThatStopsReadingFailsOnceItHasBlockedPastTheTimeout() throws Exception {
        try (ServerSocket listen = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(listen.getLocalSocketAddress());
            try (Socket server = listen.accept()) {
                OutputStream out = new WriteDeadline(server.getOutputStream(), server, Duration.ofMillis(300));
                long start = System.nanoTime();
                assertThatThrownBy(() -> {
                    while (true) out.write(CHUNK);   // the client never reads: the window fills, then write blocks
                }).isInstanceOf(IOException.class);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(took).isLessThan(Duration.ofMillis(300).plus(WriteDeadline.SWEEP).plusSeconds(3));
                assertThat(server.isClosed()).isTrue();
            }
        }
    }

    @Test
    void writesThatKeepMovingAreNeverCutOffEvenWhenTheirTotalTimeIsLongerThanTheTimeout() throws Exception {
        try (ServerSocket listen = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket()) {
            // small buffers: a blocked write waits for a few KiB to drain, not for a loopback-sized megabyte
            client.setReceiveBufferSize(16 * 1024);
            client.connect(listen.getLocalSocketAddress());
            try (Socket server = listen.accept()) {
                server.setSendBufferSize(16 * 1024);
                Thread reader = Thread.ofPlatform().start(() -> {
                    try (InputStream in = client.getInputStream()) {
                        byte[] b = new byte[8192];
                        while (in.read(b) >= 0) Thread.sleep(2);   // slow but steady
                    } catch (IOException | InterruptedException ignored) {
                        // the test ends by closing
                    }
                });
                OutputStream out = new WriteDeadline(server.getOutputStream(), server, Duration.ofMillis(500));
                long end = System.nanoTime() + Duration.ofMillis(500).plus(WriteDeadline.SWEEP).plusMillis(700).toNanos();
                long written = 0;
                while (System.nanoTime() < end) {
                    out.write(CHUNK, 0, 8192);
                    written += 8192;
                }
                assertThat(server.isClosed()).isFalse();
                assertThat(written).isGreaterThan(0);
                server.close();
                reader.join(5_000);
            }
        }
    }
}
