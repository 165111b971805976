package org.postern.server.smtp;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.server.delivery.FakeDirectory;
import org.postern.server.delivery.FakeMailStore;
import org.postern.server.delivery.RecordingMailStore;
import org.postern.server.directory.Account;
import org.postern.server.net.Delays;
import org.postern.server.net.Listener;
import org.postern.server.store.Delivery;
import org.postern.wire.Secret;

/**
 * An SMTP server on 127.0.0.1 port 0 with all three listeners, zero delays, and a directory holding
 * example.org with two users and an alias. Delays are zero; everything else is the defaults unless the
 * test says otherwise.
 */
final class TestServer implements AutoCloseable {
    static final String HOST = "mx.example.org";
    static final String USER = "mjl@example.org", PASSWORD = "secret";
    static final String OTHER = "other@example.org", OTHER_PASSWORD = "other-secret";
    /** Reaches both users and one external address. */
    static final String ALIAS = "team@example.org";
    static final String EXTERNAL = "friend@elsewhere.example";

    /** The store, wrapped so tests can see each Delivery and inject failures. */
    final RecordingMailStore store;
    final FakeDirectory directory;
    final SmtpServer smtp;
    final Listener mx, submission, submissions;

    private TestServer(Path dir, SmtpSettings settings, boolean tls) throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs"));
        store = new RecordingMailStore(new FakeMailStore(blobs));
        directory = new FakeDirectory();
        directory.addDomain("example.org");
        directory.addAccount(USER, Secret.of(PASSWORD));
        directory.addAccount(OTHER, Secret.of(OTHER_PASSWORD));
        directory.addAlias(ALIAS, List.of(USER, OTHER, EXTERNAL));
        directory.addAlias("postmaster@example.org", List.of(USER));
        smtp = new SmtpServer(settings, new SmtpServer.Services(store, directory,
                tls ? Optional.of(TestTls.server()) : Optional.empty(), Clock.systemUTC()));
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        mx = smtp.listen(ListenerKind.MX, any);
        submission = tls || settings.allowPlaintextAuth() ? smtp.listen(ListenerKind.SUBMISSION, any) : null;
        submissions = tls ? smtp.listen(ListenerKind.SUBMISSIONS, any) : null;
    }

    static SmtpSettings settings() {
        return SmtpSettings.defaults(HOST).withDelays(Delays.NONE);
    }

    static TestServer start(Path dir) throws IOException {
        return new TestServer(dir, settings(), true);
    }

    static TestServer start(Path dir, SmtpSettings settings) throws IOException {
        return new TestServer(dir, settings, true);
    }

    static TestServer withoutTls(Path dir, SmtpSettings settings) throws IOException {
        return new TestServer(dir, settings, false);
    }

    static SmtpSettings.Timeouts shortTimeouts(Duration d) {
        return new SmtpSettings.Timeouts(d, d);
    }

    RawClient mxClient() throws IOException {
        return new RawClient(mx.port());
    }

    RawClient submissionClient() throws IOException {
        return new RawClient(submission.port());
    }

    Account account(String address) {
        return directory.account(address).orElseThrow();
    }

    /** Every message delivered to the address's INBOX, as text (prefix and body). */
    List<String> inbox(String address) throws IOException {
        Account a = account(address);
        List<String> out = new ArrayList<>();
        for (Delivery d : store.deliveries) {
            if (!d.localAccounts().contains(a.id())) continue;
            out.add(text(d.local().prefix(), d));
        }
        return out;
    }

    /** Every outbound queue entry, as its envelope. */
    List<Delivery.Outbound> outbound() {
        return store.deliveries.stream().flatMap(d -> d.outbound().stream()).toList();
    }

    /** The outbound copies' full text (outbound prefix + body). */
    List<String> outboundText() throws IOException {
        List<String> out = new ArrayList<>();
        for (Delivery d : store.deliveries) {
            if (d.outbound().isPresent()) out.add(text(d.outbound().get().prefix(), d));
        }
        return out;
    }

    int deliveries() {
        return store.deliveries.size();
    }

    private String text(byte[] prefix, Delivery d) throws IOException {
        try (InputStream in = new SequenceInputStream(new ByteArrayInputStream(prefix), store.blobs().open(d.local().body()))) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    @Override
    public void close() {
        smtp.close();
        store.close();
        directory.close();
    }
}
