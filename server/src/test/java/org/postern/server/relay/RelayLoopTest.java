package org.postern.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.server.relay.RelayHarness.ALICE;
import static org.postern.server.relay.RelayHarness.message;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.wire.smtp.client.ClientSettings;
import org.postern.wire.smtp.client.FakeSmtpServer;

/** The relay's own loop: new mail wakes it, and a destination that hangs does not hold up the others. */
class RelayLoopTest {
    @TempDir
    Path dir;

    @Test
    void aHangingDestinationDoesNotHoldUpMailForOthers() throws Exception {
        int port = RelayHarness.freePortOn("127.0.0.6", "127.0.0.7");
        // the servers close before the relay, so its stop does not wait for the hang
        try (var h = new RelayHarness(dir, port);
             var hanging = FakeSmtpServer.start(new InetSocketAddress(InetAddress.getByName("127.0.0.6"), port));
             var fast = FakeSmtpServer.start(new InetSocketAddress(InetAddress.getByName("127.0.0.7"), port))) {
            hanging.greeting(FakeSmtpServer.STALL);
            h.settings = h.settings.withClient(new ClientSettings("mx.a.test", ClientSettings.Timeouts.all(Duration.ofSeconds(10))));
            h.dns.mx("slow.test", "mx.slow.test", "127.0.0.6").mx("b.test", "mx.b.test", "127.0.0.7");
            h.relay().start();

            h.send(ALICE, message("to the slow one"), List.of("x@slow.test"));
            Thread.sleep(300);   // the first is in progress, hanging
            long start = System.nanoTime();
            h.send(ALICE, message("to the fast one"), List.of("bob@b.test"));

            assertThat(fast.takeTransaction(Duration.ofSeconds(5))).isPresent();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("woken by the new entry, not after the hang")
                    .isLessThan(Duration.ofSeconds(3));
            assertThat(hanging.connectionCount()).isEqualTo(1);
        }
    }
}
