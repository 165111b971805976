package org.postern.server.pop3;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.server.config.ListenerKind;
import org.postern.server.directory.sqlite.SqliteDirectory;
import org.postern.server.net.AuthThrottle;
import org.postern.server.net.Delays;
import org.postern.server.net.Listener;
import org.postern.server.smtp.SmtpServer;
import org.postern.server.smtp.SmtpSettings;
import org.postern.server.smtp.TestTls;
import org.postern.server.store.AccountId;
import org.postern.server.store.Flags;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.UidSet;
import org.postern.server.store.sqlite.SqliteMailStore;
import org.postern.wire.Secret;

/**
 * POP3 (110 with STLS, 995 implicit TLS) and SMTP (MX, to deliver test mail the real way) on 127.0.0.1 port 0,
 * on the real SQLite store and directory in the test's directory. example.org has two users. Delays are zero.
 */
public final class Pop3TestServer implements AutoCloseable {
    public static final String USER = "mjl@example.org", PASSWORD = "secret pass";
    public static final String OTHER = "other@example.org", OTHER_PASSWORD = "other-secret";

    public final SqliteMailStore store;
    public final SqliteDirectory directory;
    public final Pop3Server pop3;
    public final SmtpServer smtp;
    public final Listener pop3Plain, pop3s, mx;
    private final AuthThrottle throttle;

    private Pop3TestServer(Path dir, Pop3Settings settings, AuthThrottle throttle) throws IOException {
        this.throttle = throttle;
        store = SqliteMailStore.open(dir);
        directory = SqliteDirectory.open(dir);
        directory.addDomain("example.org");
        directory.addAccount(USER, Secret.of(PASSWORD));
        directory.addAccount(OTHER, Secret.of(OTHER_PASSWORD));
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        pop3 = new Pop3Server(settings, new Pop3Server.Services(store, directory, Optional.of(TestTls.server()), throttle));
        pop3Plain = pop3.listen(ListenerKind.POP3, any);
        pop3s = pop3.listen(ListenerKind.POP3S, any);
        smtp = new SmtpServer(SmtpSettings.defaults("mx.example.org").withDelays(Delays.NONE),
                new SmtpServer.Services(store, directory, Optional.empty(), Clock.systemUTC(), throttle));
        mx = smtp.listen(org.postern.server.smtp.ListenerKind.MX, any);
    }

    /** Defaults, no delays, plaintext login refused (as in production). */
    public static Pop3Settings settings() {
        return Pop3Settings.defaults("pop.example.org").withDelays(Delays.NONE);
    }

    public static Pop3TestServer start(Path dir) throws IOException {
        return new Pop3TestServer(dir, settings(), new AuthThrottle(Clock.systemUTC()));
    }

    public static Pop3TestServer start(Path dir, Pop3Settings settings) throws IOException {
        return new Pop3TestServer(dir, settings, new AuthThrottle(Clock.systemUTC()));
    }

    public static Pop3TestServer start(Path dir, Pop3Settings settings, AuthThrottle throttle) throws IOException {
        return new Pop3TestServer(dir, settings, throttle);
    }

    /**
     * Delivers {@code message} (CRLF line ends, no final "."-line; dot-stuffed here) to {@code rcpt} over SMTP
     * and returns the 250 reply. The stored message is this text behind Return-Path and Received.
     */
    public String deliver(String rcpt, String message) throws IOException {
        return deliverOver(mx.port(), rcpt, message);
    }

    /** {@link #deliver} to the SMTP server on {@code port} (the IMAP tests share it). */
    public static String deliverOver(int port, String rcpt, String message) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            read(in, "220");
            StringBuilder data = new StringBuilder();
            for (String line : message.split("\r\n", -1)) data.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
            if (message.endsWith("\r\n")) data.setLength(data.length() - 2);   // split gave a last empty line
            out.write(("HELO test.example\r\nMAIL FROM:<sender@test.example>\r\nRCPT TO:<" + rcpt + ">\r\nDATA\r\n").getBytes(UTF_8));
            out.flush();
            read(in, "250");
            read(in, "250");
            read(in, "250");
            read(in, "354");
            out.write((data + ".\r\nQUIT\r\n").getBytes(UTF_8));
            out.flush();
            return read(in, "250");
        }
    }

    private static String read(InputStream in, String code) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') b.append((char) c);
        String line = b.toString().strip();
        if (!line.startsWith(code)) throw new IOException("expected " + code + ", got: " + line);
        return line;
    }

    public AccountId account(String address) {
        return directory.account(address).orElseThrow().id();
    }

    /** The INBOX as the store (an IMAP session) sees it now. */
    public List<MessageMeta> inbox(String address) {
        return store.read(account(address), tx -> tx.mailbox(MailboxName.INBOX)
                .map(box -> tx.messages(box.id(), UidSet.ALL)).orElse(List.of()));
    }

    /** The stored bytes of every INBOX message (prefix and body), oldest first. */
    public List<String> inboxTexts(String address) throws IOException {
        AccountId id = account(address);
        List<String> out = new ArrayList<>();
        for (MessageMeta m : inbox(address)) {
            var content = store.read(id, tx -> tx.content(m.mailbox(), m.uid())).orElseThrow();
            try (InputStream in = store.open(content)) {
                out.add(new String(in.readAllBytes(), UTF_8));
            }
        }
        return out;
    }

    public boolean seen(MessageMeta m) {
        return m.flags().has(Flags.SEEN);
    }

    public int pop3Port() {
        return pop3Plain.port();
    }

    public int pop3sPort() {
        return pop3s.port();
    }

    @Override
    public void close() {
        pop3.close();
        smtp.close();
        store.close();
        directory.close();
    }
}
