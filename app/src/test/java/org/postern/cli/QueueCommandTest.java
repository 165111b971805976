package org.postern.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.delivery.DeliveryAgent;
import org.postern.server.delivery.IncomingBody;
import org.postern.server.delivery.Recipient;
import org.postern.server.directory.sqlite.SqliteDirectory;
import org.postern.server.store.sqlite.SqliteMailStore;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.address.Path.Mailbox;

/** {@code postern queue …} against a real store with queued messages. */
class QueueCommandTest {
    @TempDir
    Path dir;
    CliRunner cli;
    Path data;

    @BeforeEach
    void setUp() {
        data = dir.resolve("data");
        cli = new CliRunner(data, SqliteMailStore::open);
    }

    /** Queues one message from alice@a.test to the remote recipients, as SMTP would; returns its id. */
    private long queue(String... to) throws IOException {
        try (SqliteMailStore store = SqliteMailStore.open(data, Clock.fixed(Instant.now().minusSeconds(7200), ZoneOffset.UTC));
             SqliteDirectory directory = SqliteDirectory.open(data)) {
            var agent = new DeliveryAgent(store, directory, Clock.systemUTC(), "mx.a.test");
            IncomingBody.Received body;
            try (IncomingBody b = agent.begin()) {
                b.out().write("From: alice@a.test\r\nSubject: waiting\r\n\r\nhello\r\n".getBytes(UTF_8));
                body = b.commit();
            }
            List<Recipient> rcpts = java.util.Arrays.stream(to).map(t -> (Recipient) new Recipient.Remote(EmailAddress.parse(t))).toList();
            agent.deliver(new DeliveryAgent.Envelope(new Mailbox(EmailAddress.parse("alice@a.test")), rcpts),
                    new DeliveryAgent.Trace("client.a.test", InetAddress.getLoopbackAddress(), "ESMTP", false), body);
            store.queue().recordFailure(store.queue().list().getLast().recipients().getFirst().id(), Optional.of("mx.b.test"),
                    "4.7.1", "451 4.7.1 greylisted");
            return store.queue().list().getLast().id();
        }
    }

    private CliRunner.Result ok(String... args) {
        CliRunner.Result r = cli.run("", args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    @Test
    void listShowsEachEntryWithItsRecipientsAttemptsNextAttemptAndLastError() throws IOException {
        long id = queue("bob@b.test", "carol@c.test");

        List<String> lines = ok("queue", "list").outLines();

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith(id + "  2h  <alice@a.test>  ").contains("attempts 0", "next ");
        assertThat(lines.get(1)).isEqualTo("    bob@b.test  attempts 1  last error: mx.b.test: 451 4.7.1 greylisted");
        assertThat(lines.get(2)).isEqualTo("    carol@c.test  attempts 0");
        assertThat(lines.get(3)).isEqualTo("1 message queued");
    }

    @Test
    void showPrintsTheDetailsAndTheHeader() throws IOException {
        long id = queue("bob@b.test");

        String out = ok("queue", "show", Long.toString(id)).out();

        assertThat(out).contains("id: " + id, "from: <alice@a.test>", "recipient: bob@b.test", "remote host: mx.b.test",
                "last error: 451 4.7.1 greylisted", "Received: from client.a.test", "Subject: waiting").doesNotContain("hello");
    }

    @Test
    void retryBounceAndRemoveChangeTheEntry() throws IOException {
        long id = queue("bob@b.test");
        long other = queue("dave@d.test");

        assertThat(ok("queue", "retry").outLines()).containsExactly("retrying " + id + " now", "retrying " + other + " now");
        assertThat(ok("queue", "bounce", Long.toString(id)).out()).isEqualTo("bouncing " + id + "\n");
        assertThat(ok("queue", "list").out()).contains("(bounce requested)");
        assertThat(ok("queue", "remove", Long.toString(other)).out()).isEqualTo("removed " + other + "\n");
        assertThat(ok("queue", "list").outLines()).last().isEqualTo("1 message queued");

        CliRunner.Result r = cli.run("", "queue", "remove", "999");
        assertThat(r.exit()).isEqualTo(Main.FAILED);
        assertThat(r.err()).isEqualTo("postern: no queue entry 999\n");
    }

    @Test
    void anEmptyQueueSaysSo() {
        assertThat(ok("queue", "list").out()).isEqualTo("0 messages queued\n");
    }
}
