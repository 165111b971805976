package org.postern.server.relay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.wire.smtp.client.FakeSmtpServer.reply;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.PosternServer;
import org.postern.server.config.Cidr;
import org.postern.server.config.Config;
import org.postern.server.config.ListenerKind;
import org.postern.server.store.AccountId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.ReadTx;
import org.postern.server.store.UidSet;
import org.postern.wire.Secret;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.address.Path.Mailbox;
import org.postern.wire.smtp.client.ClientSettings;
import org.postern.wire.smtp.client.Destination;
import org.postern.wire.smtp.client.Envelope;
import org.postern.wire.smtp.client.FakeSmtpServer;
import org.postern.wire.smtp.client.RecipientOutcome;
import org.postern.wire.smtp.client.SmtpClient;
import org.postern.wire.smtp.client.TestMessage;

/**
 * Whole servers, real time: two Postern instances on two loopback addresses deliver to each other through MX
 * records of a DNS server the test runs; and one Postern with second-scale queue settings retries, warns and
 * bounces on its own.
 */
class RelayEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final ClientSettings QUICK = new ClientSettings("client.test", ClientSettings.Timeouts.all(Duration.ofSeconds(2)));

    @TempDir
    Path dir;

    @Test
    void aliceAtATestSendsToBobAtBTestThroughTheMxRecordAndBobReadsItOverPop3() throws Exception {
        int port = RelayHarness.freePortOn("127.0.0.2", "127.0.0.3");
        try (var dns = TestDnsServer.start()) {
            dns.mx("a.test", "mx.a.test", "127.0.0.2").mx("b.test", "mx.b.test", "127.0.0.3");
            try (PosternServer a = server(dir.resolve("a"), "mx.a.test", "127.0.0.2", port, dns, List.of());
                 PosternServer b = server(dir.resolve("b"), "mx.b.test", "127.0.0.3", port, dns, List.of())) {
                a.directory().addDomain("a.test");
                a.directory().addAccount("alice@a.test", Secret.of("alice-pw"));
                b.directory().addDomain("b.test");
                b.directory().addAccount("bob@b.test", Secret.of("bob-pw"));

                // alice's program hands the message to her server (127.0.0.1 may relay, see server())
                submit(new InetSocketAddress("127.0.0.2", port), "alice@a.test", "bob@b.test",
                        "From: alice@a.test\r\nTo: bob@b.test\r\nSubject: across\r\n\r\nHello Bob, from A.\r\n");

                waitFor(() -> !inbox(b, "bob@b.test").isEmpty());
                String received = pop3Retr(new InetSocketAddress("127.0.0.3", pop3Port(b)), "bob@b.test", "bob-pw");
                assertThat(received).contains("Subject: across", "Hello Bob, from A.", "by mx.a.test", "by mx.b.test");
                waitFor(() -> a.store().queue().list().isEmpty());
            }
        }
    }

    @Test
    void secondScaleSettingsShowRetryDelayNoticeAndBounceInRealTime() throws Exception {
        try (var dns = TestDnsServer.start(); var remote = FakeSmtpServer.start()) {
            dns.mx("b.test", "mx.b.test", "127.0.0.1");
            remote.rcpt("bob@b.test", reply(451, "4.2.0 mailbox busy"));
            remote.rcpt("carol@b.test", reply(451, "4.7.1 greylisted"));
            int port = RelayHarness.freePortOn("127.0.0.2");
            Config config = config(dir, "mx.a.test", "127.0.0.2", port, dns, List.of())
                    .withQueue(new Config.Queue(List.of(Duration.ofSeconds(1)), Duration.ofSeconds(2), Duration.ofSeconds(5)));
            RelaySettings relay = RelaySettings.from(config).withMxPort(remote.address().getPort()).withClient(QUICK);
            try (PosternServer a = PosternServer.start(config, relay, Clock.systemUTC())) {
                a.directory().addDomain("a.test");
                a.directory().addAccount("alice@a.test", Secret.of("pw"));
                submit(new InetSocketAddress("127.0.0.2", port), "alice@a.test", List.of("bob@b.test", "carol@b.test"),
                        "From: alice@a.test\r\nSubject: in time\r\n\r\nHi.\r\n");

                waitFor(() -> remote.connectionCount() >= 1);
                remote.rcpt("carol@b.test", reply(250, "2.1.5 ok now"));    // greylisting over: the retry delivers
                var delivered = remote.takeTransaction(PATIENCE).orElseThrow();
                assertThat(delivered.rcpts()).contains("RCPT TO:<carol@b.test>");

                waitFor(() -> inbox(a, "alice@a.test").size() >= 2);
                List<String> notices = inbox(a, "alice@a.test");
                assertThat(notices.get(0)).contains("Action: delayed", "Final-Recipient: rfc822; bob@b.test");
                assertThat(notices.get(1)).contains("Action: failed", "Final-Recipient: rfc822; bob@b.test",
                        "451 4.2.0 mailbox busy").doesNotContain("carol@b.test");
                waitFor(() -> a.store().queue().list().isEmpty());
                // one MAIL per attempt (the attempts may share a connection: ConnectionCache)
                assertThat(remote.verbs()).filteredOn("MAIL"::equals).hasSizeGreaterThanOrEqualTo(3);
            }
        }
    }

    // --- servers ---

    private static Config config(Path dir, String hostname, String address, int port, TestDnsServer dns, List<String> x) {
        Map<ListenerKind, List<InetSocketAddress>> listeners = new EnumMap<>(ListenerKind.class);
        for (ListenerKind k : ListenerKind.values()) listeners.put(k, List.of());
        listeners.put(ListenerKind.SMTP, List.of(new InetSocketAddress(address, port)));
        listeners.put(ListenerKind.POP3, List.of(new InetSocketAddress(address, 0)));
        return Config.defaults(dir, false).withHostname(hostname).withListeners(listeners)
                .withDns(new Config.Dns(List.of(dns.address())))
                .withSecurity(new Config.Security(true, List.of(Cidr.parse("127.0.0.1"))));
    }

    private static PosternServer server(Path dir, String hostname, String address, int port, TestDnsServer dns,
                                        List<String> unused) {
        Config config = config(dir, hostname, address, port, dns, unused);
        return PosternServer.start(config, RelaySettings.from(config).withMxPort(port).withClient(QUICK), Clock.systemUTC());
    }

    private static int pop3Port(PosternServer s) {
        return s.listeners().stream().filter(l -> l.name().equals("pop3")).findFirst().orElseThrow().address().getPort();
    }

    private static void submit(InetSocketAddress server, String from, String to, String text) {
        submit(server, from, List.of(to), text);
    }

    private static void submit(InetSocketAddress server, String from, List<String> to, String text) {
        try (SmtpClient c = SmtpClient.connect(Destination.mx("mx", server), QUICK)) {
            var results = c.send(Envelope.of(new Mailbox(EmailAddress.parse(from)), to.stream().map(EmailAddress::parse).toList()),
                    TestMessage.ascii(text));
            assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isInstanceOf(RecipientOutcome.Delivered.class));
        }
    }

    private static List<String> inbox(PosternServer s, String address) {
        AccountId id = s.directory().account(address).orElseThrow().id();
        var box = s.store().read(id, (ReadTx tx) -> tx.mailbox(MailboxName.INBOX));
        if (box.isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (MessageMeta m : s.store().read(id, (ReadTx tx) -> tx.messages(box.get().id(), UidSet.ALL))) {
            var content = s.store().read(id, (ReadTx tx) -> tx.content(box.get().id(), m.uid())).orElseThrow();
            try (var in = s.store().open(content)) {
                out.add(new String(in.readAllBytes(), UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out;
    }

    /** USER, PASS, RETR 1 over a plain POP3 connection (plaintext login is allowed in these configs). */
    private static String pop3Retr(InetSocketAddress server, String user, String password) throws IOException {
        try (Socket s = new Socket(server.getAddress(), server.getPort())) {
            s.setSoTimeout(5000);
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("+OK");
            for (String cmd : List.of("USER " + user, "PASS " + password, "RETR 1")) {
                out.write((cmd + "\r\n").getBytes(UTF_8));
                out.flush();
                assertThat(in.readLine()).as(cmd).startsWith("+OK");
            }
            StringBuilder message = new StringBuilder();
            for (String line; !(line = in.readLine()).equals("."); ) message.append(line).append("\n");
            out.write("QUIT\r\n".getBytes(UTF_8));
            return message.toString();
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) throw new AssertionError("condition not met within " + PATIENCE);
            Thread.sleep(50);
        }
    }
}
