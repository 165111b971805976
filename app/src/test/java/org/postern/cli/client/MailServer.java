package org.postern.cli.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.server.PosternServer;
import org.postern.server.config.Config;
import org.postern.server.config.ListenerKind;
import org.postern.server.net.Listener;
import org.postern.server.store.AccountId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.ReadTx;
import org.postern.server.store.UidSet;
import org.postern.server.tls.SelfSigned;
import org.postern.wire.Secret;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.smtp.client.ClientSettings;
import org.postern.wire.smtp.client.Destination;
import org.postern.wire.smtp.client.Envelope;
import org.postern.wire.smtp.client.OutboundMessage;
import org.postern.wire.smtp.client.RecipientOutcome;
import org.postern.wire.smtp.client.RecipientResult;
import org.postern.wire.smtp.client.SmtpClient;

/**
 * An in-process Postern for the client command tests: every listener on 127.0.0.1 port 0, a real SQLite store in
 * the test's directory, plaintext login allowed (the accounts in these tests say {@code security = "plaintext"}, so
 * no certificate trust is needed), domain {@link #DOMAIN} with users alice, bob and carol.
 */
final class MailServer implements AutoCloseable {
    static final String DOMAIN = "example.org";
    static final String ALICE = "alice@example.org", BOB = "bob@example.org", CAROL = "carol@example.org";
    static final String PASSWORD = "pw of \"alice\"", BOB_PASSWORD = "bob's pw";
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    final PosternServer server;

    private MailServer(PosternServer server) {
        this.server = server;
    }

    static MailServer start(Path dir) throws IOException {
        Config.Tls tls = Config.Tls.defaults(dir);
        Files.createDirectories(tls.certificate().getParent());
        SelfSigned.generate("mail.example.org", tls.certificate(), tls.key());
        Map<ListenerKind, List<InetSocketAddress>> listeners = new EnumMap<>(ListenerKind.class);
        for (ListenerKind k : ListenerKind.values()) listeners.put(k, List.of(new InetSocketAddress("127.0.0.1", 0)));
        Config config = Config.defaults(dir, false).withHostname("mail.example.org").withListeners(listeners).withTls(tls)
                .withSecurity(new Config.Security(true, List.of()));
        PosternServer server = PosternServer.start(config);
        server.directory().addDomain(DOMAIN);
        server.directory().addAccount(ALICE, Secret.of(PASSWORD));
        server.directory().addAccount(BOB, Secret.of(BOB_PASSWORD));
        server.directory().addAccount(CAROL, Secret.of("carol's pw"));
        return new MailServer(server);
    }

    int port(String listener) {
        for (Listener l : server.listeners()) if (l.name().equals(listener)) return l.port();
        throw new IllegalArgumentException("no listener " + listener);
    }

    /** Delivers {@code message} (CRLF lines, 7-bit) to {@code recipient} over SMTP to the MX listener. */
    void deliver(String recipient, String message) {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        OutboundMessage m = new OutboundMessage() {
            @Override public boolean eightBit() { return false; }
            @Override public boolean needsSmtpUtf8() { return false; }
            @Override public long size() { return bytes.length; }
            @Override public InputStream open() { return new ByteArrayInputStream(bytes); }
            @Override public InputStream openSevenBit() { return new ByteArrayInputStream(bytes); }
        };
        var settings = new ClientSettings("test.example.net", ClientSettings.Timeouts.all(TIMEOUT));
        try (SmtpClient c = SmtpClient.connect(Destination.mx("localhost", new InetSocketAddress("127.0.0.1", port("smtp-mx"))), settings)) {
            for (RecipientResult r : c.send(Envelope.of(new org.postern.wire.address.Path.Mailbox(EmailAddress.parse("carol@example.net")),
                    List.of(EmailAddress.parse(recipient))), m)) {
                if (!(r.outcome() instanceof RecipientOutcome.Delivered)) throw new IllegalStateException("not delivered: " + r.outcome());
            }
        }
    }

    AccountId account(String address) {
        return server.directory().account(address).orElseThrow().id();
    }

    List<MessageMeta> messages(String address, String mailbox) {
        return server.store().read(account(address), (ReadTx tx) -> tx.mailbox(MailboxName.of(mailbox))
                .map(box -> tx.messages(box.id(), UidSet.ALL)).orElse(List.of()));
    }

    /** The stored bytes of a message, as text. */
    String content(String address, String mailbox, long uid) {
        var box = server.store().read(account(address), (ReadTx tx) -> tx.mailbox(MailboxName.of(mailbox))).orElseThrow();
        var content = server.store().read(account(address), (ReadTx tx) -> tx.content(box.id(), uid)).orElseThrow();
        try (InputStream in = server.store().open(content)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<MessageMeta> bySubject(String address, String mailbox, String subject) {
        return messages(address, mailbox).stream().filter(m -> content(address, mailbox, m.uid()).contains("Subject: " + subject + "\r\n"))
                .findFirst();
    }

    @Override
    public void close() {
        server.close();
    }
}
