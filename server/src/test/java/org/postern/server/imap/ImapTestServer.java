package org.postern.server.imap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.postern.server.config.ListenerKind;
import org.postern.server.directory.sqlite.SqliteDirectory;
import org.postern.server.net.AuthThrottle;
import org.postern.server.net.Delays;
import org.postern.server.net.Listener;
import org.postern.server.pop3.Pop3Server;
import org.postern.server.pop3.Pop3Settings;
import org.postern.server.pop3.Pop3TestServer;
import org.postern.server.smtp.SmtpServer;
import org.postern.server.smtp.SmtpSettings;
import org.postern.server.smtp.TestTls;
import org.postern.server.store.AccountId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.UidSet;
import org.postern.server.store.sqlite.SqliteMailStore;
import org.postern.wire.Secret;

/**
 * IMAP (143 with STARTTLS, 993 implicit TLS), POP3 (110, plaintext login allowed, to show that a POP3 deletion
 * reaches IMAP sessions) and SMTP (MX, to deliver test mail the real way) on 127.0.0.1 port 0, on the real SQLite
 * store and directory in the test's directory. example.org has two users. Delays are zero.
 */
public final class ImapTestServer implements AutoCloseable {
    public static final String USER = "mjl@example.org", PASSWORD = "secret pass";
    public static final String OTHER = "other@example.org", OTHER_PASSWORD = "other-secret";

    public final SqliteMailStore store;
    public final SqliteDirectory directory;
    public final ImapServer imap;
    public final SmtpServer smtp;
    public final Pop3Server pop3;
    public final Listener imapPlain, imaps, mx, pop3Plain;

    private ImapTestServer(Path dir, ImapSettings settings, AuthThrottle throttle) throws IOException {
        store = SqliteMailStore.open(dir);
        directory = SqliteDirectory.open(dir);
        directory.addDomain("example.org");
        directory.addAccount(USER, Secret.of(PASSWORD));
        directory.addAccount(OTHER, Secret.of(OTHER_PASSWORD));
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        EnvelopeCache envelopes = new EnvelopeCache();   // shared by SMTP delivery and IMAP, as in PosternServer
        imap = new ImapServer(settings, new ImapServer.Services(store, directory, Optional.of(TestTls.server()), throttle,
                envelopes));
        imapPlain = imap.listen(ListenerKind.IMAP, any);
        imaps = imap.listen(ListenerKind.IMAPS, any);
        smtp = new SmtpServer(SmtpSettings.defaults("mx.example.org").withDelays(Delays.NONE),
                new SmtpServer.Services(store, directory, Optional.empty(), Clock.systemUTC(), throttle, envelopes));
        mx = smtp.listen(org.postern.server.smtp.ListenerKind.MX, any);
        pop3 = new Pop3Server(Pop3Settings.defaults("pop.example.org").withDelays(Delays.NONE).withAllowPlaintextAuth(true),
                new Pop3Server.Services(store, directory, Optional.empty(), throttle));
        pop3Plain = pop3.listen(ListenerKind.POP3, any);
    }

    /** Defaults, no delays, plaintext login refused (as in production). */
    public static ImapSettings settings() {
        return ImapSettings.defaults("imap.example.org").withDelays(Delays.NONE);
    }

    public static ImapTestServer start(Path dir) throws IOException {
        return new ImapTestServer(dir, settings(), new AuthThrottle(Clock.systemUTC()));
    }

    public static ImapTestServer start(Path dir, ImapSettings settings) throws IOException {
        return new ImapTestServer(dir, settings, new AuthThrottle(Clock.systemUTC()));
    }

    public static ImapTestServer start(Path dir, ImapSettings settings, AuthThrottle throttle) throws IOException {
        return new ImapTestServer(dir, settings, throttle);
    }

    /** Delivers {@code message} (CRLF line ends) to {@code rcpt} over SMTP, as Pop3TestServer does. */
    public String deliver(String rcpt, String message) throws IOException {
        return Pop3TestServer.deliverOver(mx.port(), rcpt, message);
    }

    public AccountId account(String address) {
        return directory.account(address).orElseThrow().id();
    }

    /** A mailbox's messages as the store has them now. */
    public List<MessageMeta> messages(String address, String mailbox) {
        return store.read(account(address), tx -> tx.mailbox(MailboxName.of(mailbox))
                .map(box -> tx.messages(box.id(), UidSet.ALL)).orElse(List.of()));
    }

    public int imapPort() {
        return imapPlain.port();
    }

    public int imapsPort() {
        return imaps.port();
    }

    @Override
    public void close() {
        imap.close();
        pop3.close();
        smtp.close();
        store.close();
        directory.close();
    }
}
