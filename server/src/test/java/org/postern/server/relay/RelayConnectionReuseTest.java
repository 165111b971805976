package org.postern.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.server.relay.RelayHarness.ALICE;
import static org.postern.server.relay.RelayHarness.message;
import static org.postern.wire.smtp.client.FakeSmtpServer.reply;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.wire.smtp.client.FakeSmtpServer;

/**
 * Connections outlive the relay's batches: messages for one destination that become due one after another go
 * over one SMTP session (RSET between them, RFC 5321 §4.1.1.5), each delivered once, within the bounds of
 * {@link ConnectionCache}.
 */
class RelayConnectionReuseTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NONE_MORE = Duration.ofMillis(200);

    @TempDir
    Path dir;
    FakeSmtpServer remote;
    RelayHarness h;

    @BeforeEach
    void setUp() throws IOException {
        h = RelayHarness.withRemoteMx(dir);
        remote = h.remote;
    }

    @AfterEach
    void tearDown() throws IOException {
        h.close();
    }

    /** Each message its own batch, as when mail trickles in: one connection, each message delivered once. */
    @Test
    void fiveMessagesDueOneAfterAnotherGoOverOneConnection() throws Exception {
        for (int i = 0; i < 5; i++) {
            h.send(ALICE, message("m" + i), List.of("bob" + i + "@b.test"));
            assertThat(h.run()).isEqualTo(1);
        }

        assertThat(rcptsDelivered()).containsExactlyInAnyOrder(
                "RCPT TO:<bob0@b.test>", "RCPT TO:<bob1@b.test>", "RCPT TO:<bob2@b.test>", "RCPT TO:<bob3@b.test>",
                "RCPT TO:<bob4@b.test>");
        assertThat(remote.connectionCount()).isEqualTo(1);
        assertThat(remote.verbs()).filteredOn("RSET"::equals).hasSize(4);
        assertThat(remote.verbs()).doesNotContain("QUIT");   // still open, idle in the cache
        assertThat(h.queue()).isEmpty();

        h.relay().close();   // the relay's stop says goodbye to the idle session
        assertThat(remote.verbs()).endsWith("QUIT");
    }

    @Test
    void aTemporaryFailureOfOneTransactionLosesNoneOfTheOthers() throws Exception {
        remote.rcpt("bob2@b.test", reply(451, "4.2.0 try later"));
        for (int i = 0; i < 5; i++) {
            h.send(ALICE, message("m" + i), List.of("bob" + i + "@b.test"));
            h.run();
        }

        assertThat(rcptsDelivered()).containsExactlyInAnyOrder(
                "RCPT TO:<bob0@b.test>", "RCPT TO:<bob1@b.test>", "RCPT TO:<bob3@b.test>", "RCPT TO:<bob4@b.test>");
        assertThat(remote.connectionCount()).isEqualTo(1);
        assertThat(h.queue()).singleElement().satisfies(q -> assertThat(q.recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("bob2@b.test");
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.lastError()).contains("451 4.2.0 try later");
        }));
    }

    /** The server closed the idle session meanwhile (its own timeout): a new connection, not a deferral. */
    @Test
    void aCachedSessionTheServerClosedIsReplacedAndTheMessageStillGoesNow() throws Exception {
        remote.rset(FakeSmtpServer.CLOSE);
        h.send(ALICE, message("first"), List.of("bob@b.test"));
        h.run();
        h.send(ALICE, message("second"), List.of("carol@b.test"));
        h.run();

        assertThat(rcptsDelivered()).containsExactly("RCPT TO:<bob@b.test>", "RCPT TO:<carol@b.test>");
        assertThat(remote.connectionCount()).isEqualTo(2);
        assertThat(h.queue()).isEmpty();
    }

    /** The bound on transactions per connection, at the limit and one past it. */
    @Test
    void aConnectionCarriesAtMostMaxMessagesPerConnection() throws Exception {
        int max = ConnectionCache.MAX_MESSAGES_PER_CONNECTION;
        for (int i = 0; i < max; i++) {
            h.send(ALICE, message("m" + i), List.of("bob@b.test"));
            h.run();
        }
        assertThat(remote.connectionCount()).as("at the limit").isEqualTo(1);

        h.send(ALICE, message("one more"), List.of("bob@b.test"));
        h.run();

        assertThat(remote.connectionCount()).as("one past the limit").isEqualTo(2);
        assertThat(rcptsDelivered()).hasSize(max + 1);
        assertThat(h.queue()).isEmpty();
        assertThat(remote.verbs()).as("the full connection said goodbye").contains("QUIT");
    }

    /** Two domains on the same MX host are two destinations: neither takes the other's session. */
    @Test
    void sessionsAreKeptPerDestination() throws Exception {
        h.dns.mx("c.test", "mx.c.test", "127.0.0.1");
        h.send(ALICE, message("b1"), List.of("bob@b.test"));
        h.run();
        h.send(ALICE, message("c1"), List.of("carol@c.test"));
        h.run();
        h.send(ALICE, message("b2"), List.of("bob@b.test"));
        h.send(ALICE, message("c2"), List.of("carol@c.test"));
        h.run();

        assertThat(rcptsDelivered()).hasSize(4);
        assertThat(remote.connectionCount()).isEqualTo(2);
        assertThat(h.queue()).isEmpty();
    }

    /** With the relay's own loop running: mail queued one message at a time, each delivered exactly once. */
    @Test
    void theRunningRelayDeliversEachMessageOnceOverAtMostTheDestinationsConnectionLimit() throws Exception {
        h.relay().start();
        for (int i = 0; i < 5; i++) h.send(ALICE, message("m" + i), List.of("bob" + i + "@b.test"));

        List<String> rcpts = new ArrayList<>();
        for (int i = 0; i < 5; i++) rcpts.addAll(remote.takeTransaction(WAIT).orElseThrow().rcpts());
        assertThat(remote.takeTransaction(NONE_MORE)).isEmpty();
        assertThat(rcpts).containsExactlyInAnyOrder(
                "RCPT TO:<bob0@b.test>", "RCPT TO:<bob1@b.test>", "RCPT TO:<bob2@b.test>", "RCPT TO:<bob3@b.test>",
                "RCPT TO:<bob4@b.test>");
        assertThat(remote.connectionCount()).isBetween(1, DestinationRun.MAX_CONNECTIONS);
    }

    /** The running loop closes a session idle past {@link ConnectionCache#IDLE_CLOSE}, with QUIT. */
    @Test
    void theRunningRelayClosesAnIdleSession() throws Exception {
        h.relay().start();
        h.send(ALICE, message("one"), List.of("bob@b.test"));
        assertThat(remote.takeTransaction(WAIT)).isPresent();

        long end = System.nanoTime() + WAIT.plus(ConnectionCache.IDLE_CLOSE).toNanos();
        while (!remote.verbs().contains("QUIT") && System.nanoTime() < end) Thread.sleep(50);
        assertThat(remote.verbs()).endsWith("QUIT");
        assertThat(remote.connectionCount()).isEqualTo(1);
    }

    private List<String> rcptsDelivered() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (var t = remote.takeTransaction(NONE_MORE); t.isPresent(); t = remote.takeTransaction(NONE_MORE))
            out.addAll(t.get().rcpts());
        return out;
    }
}
