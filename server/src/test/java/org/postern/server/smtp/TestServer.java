package org.postern.server.smtp;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.server.net.AuthThrottle;
import org.postern.server.delivery.RecordingMailStore;
import org.postern.server.directory.Account;
import org.postern.server.directory.sqlite.SqliteDirectory;
import org.postern.server.net.Delays;
import org.postern.server.net.Listener;
import org.postern.server.queue.QueuedMessage;
import org.postern.server.store.AccountId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageContent;
import org.postern.server.store.UidSet;
import org.postern.server.store.sqlite.SqliteMailStore;
import org.postern.wire.Secret;

/**
 * An SMTP server on 127.0.0.1 port 0 with all three listeners, on the real SQLite store and directory in the
 * test's directory (the store wrapped to record deliveries and inject failures); the directory holds
 * example.org, two users, an alias and postmaster. Delays are zero; everything else is the defaults unless the test says otherwise.
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
    final SqliteDirectory directory;
    final SmtpServer smtp;
    final Listener mx, submission, submissions;

    private TestServer(Path dir, SmtpSettings settings, boolean tls) throws IOException {
        store = new RecordingMailStore(SqliteMailStore.open(dir));
        directory = SqliteDirectory.open(dir);
        directory.addDomain("example.org");
        directory.addAccount(USER, Secret.of(PASSWORD));
        directory.addAccount(OTHER, Secret.of(OTHER_PASSWORD));
        directory.addAlias(ALIAS, List.of(USER, OTHER, EXTERNAL));
        directory.addAlias("postmaster@example.org", List.of(USER));
        smtp = new SmtpServer(settings, new SmtpServer.Services(store, directory,
                tls ? Optional.of(TestTls.server()) : Optional.empty(), Clock.systemUTC(), new AuthThrottle(Clock.systemUTC())));
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

    /** Every message in the address's INBOX, read back from the store (prefix and body), oldest first. */
    List<String> inbox(String address) throws IOException {
        AccountId id = account(address).id();
        List<MessageContent> contents = store.read(id, tx -> tx.mailbox(MailboxName.INBOX)
                .map(box -> tx.messages(box.id(), UidSet.ALL).stream().map(m -> tx.content(box.id(), m.uid()).orElseThrow()).toList())
                .orElse(List.of()));
        List<String> out = new ArrayList<>();
        for (MessageContent c : contents) {
            try (InputStream in = store.open(c)) {
                out.add(new String(in.readAllBytes(), UTF_8));
            }
        }
        return out;
    }

    /** One outbound queue entry as the relay will see it. */
    record Queued(String envelopeFrom, List<String> recipients, String text) {}

    /** The outbound queue, read back from the store. */
    List<Queued> outbound() throws IOException {
        List<Queued> out = new ArrayList<>();
        for (QueuedMessage q : store.queue().list()) {
            try (InputStream in = new SequenceInputStream(new ByteArrayInputStream(q.prefix()), store.blobs().open(q.body()))) {
                out.add(new Queued(q.envelopeFrom(), q.recipients().stream().map(QueuedMessage.Recipient::address).toList(),
                        new String(in.readAllBytes(), UTF_8)));
            }
        }
        return out;
    }

    /** The outbound copies' full text (outbound prefix + body). */
    List<String> outboundText() throws IOException {
        return outbound().stream().map(Queued::text).toList();
    }

    /** Messages accepted (one Delivery per 250 after DATA/BDAT). */
    int deliveries() {
        return store.deliveries.size();
    }

    @Override
    public void close() {
        smtp.close();
        store.close();
        directory.close();
    }
}
