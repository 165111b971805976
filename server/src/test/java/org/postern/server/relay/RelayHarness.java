package org.postern.server.relay;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.postern.server.config.Config;
import org.postern.server.delivery.DeliveryAgent;
import org.postern.server.delivery.IncomingBody;
import org.postern.server.delivery.Recipient;
import org.postern.server.directory.sqlite.SqliteDirectory;
import org.postern.server.queue.QueuedMessage;
import org.postern.server.store.AccountId;
import org.postern.server.store.Delivery;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.ReadTx;
import org.postern.server.store.UidSet;
import org.postern.server.store.sqlite.SqliteMailStore;
import org.postern.wire.Secret;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.address.Path.Mailbox;
import org.postern.wire.smtp.RcptParams;
import org.postern.wire.smtp.client.ClientSettings;
import org.postern.wire.smtp.client.FakeSmtpServer;
import org.postern.wire.testing.TestClock;

/**
 * A store, directory, delivery agent and relay for one local domain {@code a.test} (user alice), with a clock the
 * test moves and a DNS server the test fills. Mail is queued through the delivery agent, as SMTP would.
 */
final class RelayHarness implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    static final String ALICE = "alice@a.test";
    /** Short timeouts: a server that does not answer ends the attempt in a second. */
    static final ClientSettings CLIENT = new ClientSettings("mx.a.test", ClientSettings.Timeouts.all(Duration.ofSeconds(1)));

    final TestClock clock = new TestClock(T0);
    final SqliteMailStore store;
    final SqliteDirectory directory;
    final DeliveryAgent delivery;
    final TestDnsServer dns;
    final AccountId alice;
    /** b.test's MX when made by {@link #withRemoteMx}, else null; closed with the harness. */
    final FakeSmtpServer remote;
    RelaySettings settings;
    private Relay relay;

    RelayHarness(Path dir, int mxPort) throws IOException {
        this(dir, mxPort, null);
    }

    private RelayHarness(Path dir, int mxPort, FakeSmtpServer remote) throws IOException {
        this.remote = remote;
        store = SqliteMailStore.open(dir, clock);
        directory = SqliteDirectory.open(dir);
        directory.addDomain("a.test");
        alice = directory.addAccount(ALICE, Secret.of("x")).id();
        delivery = new DeliveryAgent(store, directory, clock, "mx.a.test");
        dns = TestDnsServer.start();
        settings = new RelaySettings("mx.a.test", Config.Queue.DEFAULTS, CLIENT, mxPort, Optional.empty());
    }

    /** A harness whose b.test has one MX, mx.b.test at 127.0.0.1: a scripted {@link #remote} the test drives. */
    static RelayHarness withRemoteMx(Path dir) throws IOException {
        FakeSmtpServer remote = FakeSmtpServer.start();
        try {
            RelayHarness h = new RelayHarness(dir, remote.address().getPort(), remote);
            h.dns.mx("b.test", "mx.b.test", "127.0.0.1");
            return h;
        } catch (IOException | RuntimeException e) {
            remote.close();
            throw e;
        }
    }

    Relay relay() {
        if (relay == null) relay = new Relay(settings, new Relay.Services(store, delivery,
                dns.resolver(OwnHosts.none()), clock, new SplittableRandom(1)));
        return relay;
    }

    /** Queues a message from {@code from} to the remote recipients, as a DATA transaction would. */
    long send(String from, String text, List<String> to) throws IOException {
        return send(from, text, to, RcptParams.NONE, Delivery.Options.NONE);
    }

    long send(String from, String text, List<String> to, RcptParams params, Delivery.Options options) throws IOException {
        IncomingBody.Received body;
        try (IncomingBody b = delivery.begin()) {
            b.out().write(text.getBytes(UTF_8));
            body = b.commit();
        }
        List<Recipient> rcpts = new ArrayList<>();
        for (String t : to) rcpts.add(new Recipient.Remote(EmailAddress.parse(t), params));
        org.postern.wire.address.Path sender = from.isEmpty() ? new org.postern.wire.address.Path.Null()
                : new Mailbox(EmailAddress.parse(from));
        delivery.deliver(new DeliveryAgent.Envelope(sender, rcpts, options),
                new DeliveryAgent.Trace("client.a.test", InetAddress.getLoopbackAddress(), "ESMTPSA", true), body);
        return queue().getLast().id();
    }

    List<QueuedMessage> queue() {
        return store.queue().list();
    }

    /** Claims what is due now and works it. */
    int run() {
        return relay().runOnce();
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    /** Moves the clock to the queue's next due time and runs. */
    int runNextDue() {
        store.queue().nextDue().ifPresent(t -> { if (t.isAfter(clock.instant())) clock.set(t); });
        return run();
    }

    /** Every message in alice's INBOX, as text. */
    List<String> inbox() throws IOException {
        var inbox = store.read(alice, (ReadTx tx) -> tx.mailbox(MailboxName.INBOX));
        if (inbox.isEmpty()) return List.of();   // created by the first delivery
        var box = inbox.get();
        List<MessageMeta> metas = store.read(alice, (ReadTx tx) -> tx.messages(box.id(), UidSet.ALL));
        List<String> out = new ArrayList<>();
        for (MessageMeta m : metas) {
            var content = store.read(alice, (ReadTx tx) -> tx.content(box.id(), m.uid())).orElseThrow();
            try (InputStream in = store.open(content)) {
                out.add(new String(in.readAllBytes(), UTF_8));
            }
        }
        return out;
    }

    static String message(String subject) {
        return "From: alice@a.test\r\nTo: bob@b.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject.hashCode()
                + "@a.test>\r\n\r\nHello Bob.\r\n";
    }

    @Override
    public void close() throws IOException {
        if (relay != null) relay.close();
        dns.close();
        store.close();
        directory.close();
        if (remote != null) remote.close();
    }

    /**
     * A port free on each of these loopback addresses: servers on different addresses share the MX port, as MX hosts
     * all listen on 25.
     */
    static int freePortOn(String... addresses) throws IOException {
        for (int tries = 0; tries < 20; tries++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(addresses[0]))) {
                port = probe.getLocalPort();
            }
            boolean free = true;
            for (String a : addresses) {
                try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(a))) {
                    free &= s.isBound();
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) return port;
        }
        throw new IOException("no common free port");
    }
}
