package org.postern.client.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.postern.client.net.Endpoint;
import org.postern.server.PosternServer;
import org.postern.server.config.Config;
import org.postern.server.config.ListenerKind;
import org.postern.server.net.Listener;
import org.postern.server.store.AccountId;
import org.postern.server.store.FlagUpdate;
import org.postern.server.store.Flags;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.ReadTx;
import org.postern.server.store.SpecialUse;
import org.postern.server.store.UidSet;
import org.postern.server.store.WriteTx;
import org.postern.server.tls.SelfSigned;
import org.postern.server.tls.TlsFiles;
import org.postern.wire.Secret;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.smtp.client.ClientSettings;
import org.postern.wire.smtp.client.Destination;
import org.postern.wire.smtp.client.Envelope;
import org.postern.wire.smtp.client.OutboundMessage;
import org.postern.wire.smtp.client.RecipientOutcome;
import org.postern.wire.smtp.client.RecipientResult;
import org.postern.wire.smtp.client.SmtpClient;
import org.postern.wire.smtp.client.TestCertificates;

/**
 * A whole Postern server for client tests: every listener (SMTP MX, submission with STARTTLS, submissions with
 * implicit TLS, POP3 + POP3S, IMAP + IMAPS) on 127.0.0.1 port 0, a real SQLite store in the test's directory, a
 * self-signed certificate for {@link #HOSTNAME}, {@code localhost} and 127.0.0.1 that {@link #trust()} trusts,
 * one domain ({@link #DOMAIN}) and one user ({@link #USER} / {@link #PASSWORD}). Plaintext login is refused,
 * as in production; {@link #startAllowingPlaintext} turns that off for tests of plaintext paths.
 *
 * <pre>{@code
 * try (TestPostern postern = TestPostern.start(dir)) {
 *     postern.deliver(TestPostern.USER, "Subject: hi\r\n\r\nHello.\r\n");
 *     try (ImapClient c = ImapClient.connect(postern.imap(), TestPostern.TIMEOUT)) { ... }
 * }
 * }</pre>
 *
 * <p>Mail arrives the real way ({@link #deliver}: SMTP to the MX listener); changes "made elsewhere" can be
 * made straight in the server's store ({@link #addFlags}, {@link #expunge}, {@link #createMailbox}) and are seen by
 * IMAP sessions as any other session's changes. The server's failed-login delay is the production one (2 s), so
 * tests should not log in wrongly more than they must.
 */
public final class TestPostern implements AutoCloseable {
    public static final String HOSTNAME = "mail.example.org";
    public static final String DOMAIN = "example.org";
    public static final String USER = "alice@example.org";
    public static final String PASSWORD = "alice secret \"pw\"";
    /** For client timeouts in tests: generous, since builds share a slow machine; never used in assertions. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** One RSA certificate per test JVM (RSA key generation takes a noticeable fraction of a second). */
    private static byte[] certPem, keyPem;

    private final PosternServer server;
    private final SSLContext trust;

    private TestPostern(PosternServer server, SSLContext trust) {
        this.server = server;
        this.trust = trust;
    }

    /** Starts a server in {@code dir} (its data directory), with {@link #USER} in {@link #DOMAIN}. */
    public static TestPostern start(Path dir) {
        return start(dir, false);
    }

    /** As {@link #start}, with login over connections without TLS allowed. */
    public static TestPostern startAllowingPlaintext(Path dir) {
        return start(dir, true);
    }

    private static TestPostern start(Path dir, boolean allowPlaintextAuth) {
        try {
            Config.Tls tls = Config.Tls.defaults(dir);
            writeCertificate(tls);
            Map<ListenerKind, List<InetSocketAddress>> listeners = new EnumMap<>(ListenerKind.class);
            for (ListenerKind k : ListenerKind.values()) listeners.put(k, List.of(new InetSocketAddress("127.0.0.1", 0)));
            Config config = Config.defaults(dir, false).withHostname(HOSTNAME).withListeners(listeners).withTls(tls)
                    .withSecurity(new Config.Security(allowPlaintextAuth, List.of()));
            PosternServer server = PosternServer.start(config);
            try {
                // a restart on the same data directory finds them there already
                if (!server.directory().isLocalDomain(DOMAIN)) server.directory().addDomain(DOMAIN);
                if (server.directory().account(USER).isEmpty()) server.directory().addAccount(USER, Secret.of(PASSWORD));
                return new TestPostern(server, TestCertificates.trusting(TlsFiles.certificates(tls.certificate()).toArray(X509Certificate[]::new)));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void writeCertificate(Config.Tls tls) throws IOException {
        if (certPem == null) {
            Path tmp = Files.createTempDirectory("postern-test-cert");
            Path cert = tmp.resolve("cert.pem"), key = tmp.resolve("key.pem");
            SelfSigned.generate(HOSTNAME, cert, key);
            certPem = Files.readAllBytes(cert);
            keyPem = Files.readAllBytes(key);
            Files.delete(cert);
            Files.delete(key);
            Files.delete(tmp);
        }
        Files.createDirectories(tls.certificate().getParent());
        Files.write(tls.certificate(), certPem);
        Files.write(tls.key(), keyPem);
    }

    // ---- endpoints (host 127.0.0.1, which the certificate names)

    /** IMAP on the STARTTLS port. */
    public Endpoint imap() {
        return endpoint("imap", Endpoint.Security.STARTTLS);
    }

    /** IMAP over implicit TLS (993-style). */
    public Endpoint imaps() {
        return endpoint("imaps", Endpoint.Security.IMPLICIT_TLS);
    }

    public Endpoint pop3() {
        return endpoint("pop3", Endpoint.Security.STARTTLS);
    }

    public Endpoint pop3s() {
        return endpoint("pop3s", Endpoint.Security.IMPLICIT_TLS);
    }

    /** Submission, 587-style: STARTTLS, then AUTH. */
    public Endpoint submission() {
        return endpoint("smtp-submission", Endpoint.Security.STARTTLS);
    }

    /** Submission over implicit TLS, 465-style (RFC 8314). */
    public Endpoint submissions() {
        return endpoint("smtp-submissions", Endpoint.Security.IMPLICIT_TLS);
    }

    /**
     * The listener named {@code listener} ("imap", "imaps", "pop3", "pop3s", "smtp-mx", "smtp-submission",
     * "smtp-submissions") with any security, e.g. PLAINTEXT on the IMAP port, or a trust that does not trust us.
     */
    public Endpoint endpoint(String listener, Endpoint.Security security) {
        return new Endpoint("127.0.0.1", port(listener), security, Optional.of(trust));
    }

    public int port(String listener) {
        List<String> names = new ArrayList<>();
        for (Listener l : server.listeners()) {
            if (l.name().equals(listener)) return l.port();
            names.add(l.name());
        }
        throw new IllegalArgumentException("no listener " + listener + " (there are " + names + ")");
    }

    /** A client context that trusts exactly this server's certificate. */
    public SSLContext trust() {
        return trust;
    }

    public PosternServer server() {
        return server;
    }

    // ---- accounts and mail

    /** Adds an account in {@link #DOMAIN} (or another domain added with {@link #addDomain}). */
    public void addUser(String address, String password) {
        server.directory().addAccount(address, Secret.of(password));
    }

    public void addDomain(String domain) {
        server.directory().addDomain(domain);
    }

    public AccountId account(String address) {
        return server.directory().account(address).orElseThrow(() -> new IllegalArgumentException("no account " + address)).id();
    }

    /**
     * Delivers {@code message} (CRLF line ends, header and body) to {@code recipient} over SMTP to the MX listener,
     * from {@code sender@example.net}; returns when the server has accepted it (it is then in the INBOX).
     */
    public void deliver(String recipient, String message) {
        byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        OutboundMessage m = new OutboundMessage() {
            @Override public boolean eightBit() { return false; }
            @Override public boolean needsSmtpUtf8() { return false; }
            @Override public long size() { return bytes.length; }
            @Override public InputStream open() { return new ByteArrayInputStream(bytes); }
            @Override public InputStream openSevenBit() { return new ByteArrayInputStream(bytes); }
        };
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] < 0) throw new IllegalArgumentException("deliver() takes 7-bit messages only");
        }
        deliver(recipient, m);
    }

    /** Delivers a message (any size: it is streamed) to {@code recipient} over SMTP. */
    public void deliver(String recipient, OutboundMessage message) {
        var settings = new ClientSettings("client-test.example.net", ClientSettings.Timeouts.all(TIMEOUT));
        try (SmtpClient c = SmtpClient.connect(Destination.mx("localhost",
                new InetSocketAddress("127.0.0.1", port("smtp-mx"))), settings)) {
            List<RecipientResult> results = c.send(Envelope.of(
                    new org.postern.wire.address.Path.Mailbox(EmailAddress.parse("sender@example.net")),
                    List.of(EmailAddress.parse(recipient))), message);
            for (RecipientResult r : results) {
                if (!(r.outcome() instanceof RecipientOutcome.Delivered))
                    throw new IllegalStateException("delivery to " + recipient + " failed: " + r.outcome());
            }
        }
    }

    /** The messages of {@code address}'s {@code mailbox} as the store has them now (empty if no such mailbox). */
    public List<MessageMeta> messages(String address, String mailbox) {
        return server.store().read(account(address), (ReadTx tx) -> tx.mailbox(MailboxName.of(mailbox))
                .map(box -> tx.messages(box.id(), UidSet.ALL)).orElse(List.of()));
    }

    /** The mailbox as the store has it now (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ). */
    public Optional<Mailbox> mailbox(String address, String mailbox) {
        return server.store().read(account(address), (ReadTx tx) -> tx.mailbox(MailboxName.of(mailbox)));
    }

    /** A stored message's bytes (as IMAP BODY[] gives them): for tests that compare content. */
    public byte[] content(String address, String mailbox, long uid) {
        AccountId id = account(address);
        Mailbox box = mailbox(address, mailbox).orElseThrow();
        var content = server.store().read(id, (ReadTx tx) -> tx.content(box.id(), uid)).orElseThrow(
                () -> new IllegalArgumentException("no message " + uid + " in " + mailbox));
        try (InputStream in = server.store().open(content)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a mailbox in the store, as another client would. */
    public void createMailbox(String address, String mailbox, Set<SpecialUse> use) {
        server.store().write(account(address), (WriteTx tx) -> tx.createMailbox(MailboxName.of(mailbox), use));
    }

    /** Adds flags to messages in the store, as another session would (a change with a new MODSEQ). */
    public void addFlags(String address, String mailbox, long uid, String... flags) {
        changeFlags(address, mailbox, uid, FlagUpdate.Mode.ADD, flags);
    }

    public void removeFlags(String address, String mailbox, long uid, String... flags) {
        changeFlags(address, mailbox, uid, FlagUpdate.Mode.REMOVE, flags);
    }

    private void changeFlags(String address, String mailbox, long uid, FlagUpdate.Mode mode, String... flags) {
        Mailbox box = mailbox(address, mailbox).orElseThrow();
        server.store().write(account(address), (WriteTx tx) -> tx.setFlags(box.id(), UidSet.of(uid),
                new FlagUpdate(mode, Flags.of(flags)), java.util.OptionalLong.empty()));
    }

    /** Expunges messages in the store, as another session would. */
    public void expunge(String address, String mailbox, long... uids) {
        Mailbox box = mailbox(address, mailbox).orElseThrow();
        server.store().write(account(address), (WriteTx tx) -> tx.expunge(box.id(), UidSet.of(uids)));
    }

    /** A message of about {@code size} octets (lines of 76 characters), generated as it is read, never in memory. */
    public static OutboundMessage largeMessage(String subject, long size) {
        byte[] header = ("From: sender@example.net\r\nTo: " + USER + "\r\nSubject: " + subject + "\r\n\r\n").getBytes(US_ASCII);
        long lines = Math.max(1, (size - header.length) / 78);
        long total = header.length + lines * 78;
        return new OutboundMessage() {
            @Override public boolean eightBit() { return false; }
            @Override public boolean needsSmtpUtf8() { return false; }
            @Override public long size() { return total; }
            @Override public InputStream openSevenBit() { return open(); }
            @Override public InputStream open() {
                return new InputStream() {
                    long pos;

                    @Override
                    public int read() {
                        if (pos >= total) return -1;
                        long p = pos++;
                        if (p < header.length) return header[(int) p];
                        long inLine = (p - header.length) % 78;
                        if (inLine == 76) return '\r';
                        if (inLine == 77) return '\n';
                        return 'a' + (int) (((p - header.length) / 78 + inLine) % 26);
                    }
                };
            }
        };
    }

    @Override
    public void close() {
        server.close();
    }
}
