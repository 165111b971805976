package org.postern.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.PosternServer;
import org.postern.server.config.Config;
import org.postern.server.config.ListenerKind;
import org.postern.server.tls.SelfSigned;
import org.postern.wire.Secret;

/**
 * The mail client against Dovecot, an independent IMAP server: {@code ./postern client} (the real launcher, its
 * own process) syncs a Dovecot INBOX down, pushes a flag and a delete made offline, appends its sent mail to
 * Dovecot's Sent folder, and picks up changes made on Dovecot by another client (Angus Mail). Dovecot runs from a
 * temporary directory with its own configuration, as the user running the tests, on 127.0.0.1 and a free port,
 * plaintext login allowed (loopback only), one passwd-file user. Mail goes out through an in-process Postern
 * (submission), since Dovecot has no SMTP.
 */
class DovecotInteropIT {
    static final Path DOVECOT = Path.of("/usr/sbin/dovecot");
    static final String USER = "alice@example.org", PASSWORD = "alice dovecot pw";
    /** The uid Dovecot gives the mail user when the tests run as root: Dovecot refuses mail access as root. */
    static final int NOBODY = 65534;

    /** A Dovecot master in the foreground (-F): its process is ours to stop. */
    record Dovecot(Process master, Path dir, int port) implements AutoCloseable {
        static Dovecot start(Path dir) throws Exception {
            boolean root = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
            // As root the mail user is another user (nobody), which must reach its Maildir: through our test
            // directory and the temporary directory JUnit made for it (0700 both).
            if (root) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Path run = Files.createDirectories(dir.resolve("run")), state = Files.createDirectories(dir.resolve("state"));
            Path mail = Files.createDirectories(dir.resolve("mail"));
            String user = System.getProperty("user.name");
            int mailUid = root ? NOBODY : (int) new com.sun.security.auth.module.UnixSystem().getUid();
            int mailGid = root ? NOBODY : (int) new com.sun.security.auth.module.UnixSystem().getGid();
            if (root) Files.setAttribute(mail, "unix:uid", NOBODY);
            if (root) Files.setAttribute(mail, "unix:gid", NOBODY);
            Files.writeString(dir.resolve("users"), USER + ":{PLAIN}" + PASSWORD + ":" + mailUid + ":" + mailGid + "::"
                    + mail.resolve("alice") + "::\n");
            int port = PosternProcess.freePort();
            // As root, Dovecot's login processes must run as an unprivileged user (its default, dovenull) and the
            // mail user must not be root; auth reads the passwd-file in our directory, so it runs as us. As another
            // user, every service runs as that user (Dovecot cannot switch users then).
            String services = root ? """
                    service auth {
                      user = root
                    }
                    service auth-worker {
                      user = root
                    }
                    """ : """
                    default_login_user = %1$s
                    default_internal_user = %1$s
                    default_internal_group = %2$s
                    service anvil {
                      chroot =
                    }
                    service imap-login {
                      chroot =
                    }
                    service auth {
                      user = %1$s
                    }
                    service auth-worker {
                      user = %1$s
                    }
                    """.formatted(user, Files.getAttribute(dir, "posix:group").toString());
            Path conf = dir.resolve("dovecot.conf");
            Files.writeString(conf, """
                    # DovecotInteropIT: a private Dovecot, not the system one
                    base_dir = %s
                    state_dir = %s
                    log_path = %s
                    protocols = imap
                    listen = 127.0.0.1
                    ssl = no
                    # plaintext login on loopback only: the listener is 127.0.0.1
                    disable_plaintext_auth = no
                    auth_mechanisms = plain login
                    first_valid_uid = 1
                    mail_location = maildir:~/Maildir
                    passdb {
                      driver = passwd-file
                      args = scheme=PLAIN username_format=%%u %s
                    }
                    userdb {
                      driver = passwd-file
                      args = username_format=%%u %s
                    }
                    service imap-login {
                      inet_listener imap {
                        address = 127.0.0.1
                        port = %d
                      }
                      inet_listener imaps {
                        port = 0
                      }
                    }
                    %s
                    """.formatted(run, state, dir.resolve("dovecot.log"), dir.resolve("users"), dir.resolve("users"), port, services));
            Process p = new ProcessBuilder(DOVECOT.toString(), "-F", "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dovecot.out").toFile()).start();
            Dovecot d = new Dovecot(p, dir, port);
            if (PosternProcess.awaitPort(port, Duration.ofSeconds(30), p::isAlive)) return d;
            if (!p.isAlive()) throw new AssertionError("dovecot exited " + p.exitValue() + ":\n" + d.log());
            d.close();
            throw new AssertionError("dovecot did not listen on " + port + " within 30 s:\n" + d.log());
        }

        String log() {
            try {
                String out = Files.exists(dir.resolve("dovecot.out")) ? Files.readString(dir.resolve("dovecot.out")) : "";
                return out + (Files.exists(dir.resolve("dovecot.log")) ? Files.readString(dir.resolve("dovecot.log")) : "");
            } catch (IOException e) {
                return "(log unreadable: " + e + ")";
            }
        }

        /** An independent IMAP client (Angus Mail) logged in to this Dovecot. */
        Store angus() throws Exception {
            Properties props = new Properties();
            props.put("mail.imap.host", "127.0.0.1");
            props.put("mail.imap.port", Integer.toString(port));
            Store store = Session.getInstance(props).getStore("imap");
            store.connect(USER, PASSWORD);
            return store;
        }

        @Override
        public void close() throws InterruptedException {
            master.destroy();   // SIGTERM: the master stops its children
            if (!master.waitFor(30, TimeUnit.SECONDS)) master.destroyForcibly();
        }
    }

    static MimeMessage message(String subject, String body) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream((
                "From: Carol <carol@example.net>\r\nTo: alice@example.org\r\nSubject: " + subject + "\r\n"
                        + "Message-ID: <dc-" + subject.replace(' ', '-') + "@example.net>\r\n"
                        + "Date: Fri, 4 Dec 2026 10:00:00 +0000\r\n\r\n" + body + "\r\n").getBytes(UTF_8)));
    }

    /** {@code ./postern client ARGS} as its own process with the client home in {@code home}. */
    static PosternProcess.Result client(Path home, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PosternProcess.LAUNCHER.toString(), "client"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("POSTERN_CLIENT_HOME", home.toString());
        pb.environment().put("COLUMNS", "150");
        // the first sync records the client's startup cache: this test's, not the build's (see StartupCacheIT)
        pb.environment().put("POSTERN_AOT_CACHE", home.resolveSibling("postern-client.aot").toString());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new PosternProcess.Result(p.exitValue(), out);
    }

    /** The local ids of {@code folder}'s messages by subject, from {@code list --json} (a JSON reader is python3's). */
    static Map<String, Long> ids(Path home, String folder) throws Exception {
        String json = client(home, "", "list", folder, "--json").ok().output();
        Process py = new ProcessBuilder("python3", "-c",
                "import json,sys\nfor m in json.load(sys.stdin): print(str(m['id']) + '\\t' + m['subject'])").start();
        py.getOutputStream().write(json.getBytes(UTF_8));
        py.getOutputStream().close();
        String out = new String(py.getInputStream().readAllBytes(), UTF_8);
        assertThat(py.waitFor()).as("python3 json.load of:\n" + json).isZero();
        Map<String, Long> ids = new java.util.HashMap<>();
        for (String line : out.split("\n")) {
            if (line.isEmpty()) continue;
            String[] f = line.split("\t", 2);
            ids.put(f[1], Long.parseLong(f[0]));
        }
        return ids;
    }

    /** A Postern for submission only (Dovecot has no SMTP), plaintext login allowed, alice with the same password. */
    static PosternServer submission(Path dir) throws IOException {
        Config.Tls tls = Config.Tls.defaults(dir);
        Files.createDirectories(tls.certificate().getParent());
        SelfSigned.generate("mail.example.org", tls.certificate(), tls.key());
        Map<ListenerKind, List<InetSocketAddress>> listeners = new EnumMap<>(ListenerKind.class);
        for (ListenerKind k : ListenerKind.values()) listeners.put(k, List.of(new InetSocketAddress("127.0.0.1", 0)));
        PosternServer s = PosternServer.start(Config.defaults(dir, false).withHostname("mail.example.org")
                .withListeners(listeners).withTls(tls).withSecurity(new Config.Security(true, List.of())));
        s.directory().addDomain("example.org");
        s.directory().addAccount(USER, Secret.of(PASSWORD));
        s.directory().addAccount("bob@example.org", Secret.of("bob pw"));
        return s;
    }

    static int port(PosternServer s, String listener) {
        return s.listeners().stream().filter(l -> l.name().equals(listener)).findFirst().orElseThrow().port();
    }

    @Test
    void clientSyncsFlagsDeletesAndAppendsAgainstDovecot(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(DOVECOT), "Dovecot is not installed (" + DOVECOT + "): apt-get install dovecot-imapd");
        Path home = dir.resolve("client");
        try (Dovecot dovecot = Dovecot.start(Files.createDirectories(dir.resolve("dovecot")));
             PosternServer smtp = submission(dir.resolve("postern"))) {
            try {
                scenario(dovecot, smtp, home, dir);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- dovecot log:\n" + dovecot.log(), e);
            }
        }
    }

    private static void scenario(Dovecot dovecot, PosternServer smtp, Path home, Path dir) throws Exception {
        try (Store s = dovecot.angus()) {
            Folder inbox = s.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            inbox.appendMessages(new Message[] {message("one", "first"), message("two", "second"), message("three", "third")});
            inbox.close();
        }
        Path pw = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        client(home, "", "account", "add", "dc", "--address", USER, "--host", "127.0.0.1", "--port",
                Integer.toString(dovecot.port()), "--security", "plaintext", "--smtp-port",
                Integer.toString(port(smtp, "smtp-submission")), "--password-file", pw.toString()).ok();

        assertThat(client(home, "", "sync").ok().output()).as(dovecot.log()).contains("dc: ", " 3 new");
        Map<String, Long> ids = ids(home, "INBOX");
        assertThat(ids).containsOnlyKeys("one", "two", "three");

        // offline: a flag, a delete, and a message sent (filed by APPEND into Dovecot's Sent)
        client(home, "", "flag", ids.get("one").toString(), "+flagged").ok();
        client(home, "", "delete", ids.get("two").toString()).ok();
        assertThat(client(home, "to Bob\n", "send", "--queue", "--to", "bob@example.org", "--subject", "appended").ok().output())
                .contains("queued in the outbox");
        assertThat(client(home, "", "sync").ok().output()).as(dovecot.log()).contains("outbox: 1 sent");

        try (Store s = dovecot.angus()) {
            Folder inbox = s.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Map<String, Flags> flags = new java.util.HashMap<>();
            for (Message m : inbox.getMessages()) flags.put(m.getSubject(), m.getFlags());
            assertThat(flags).containsOnlyKeys("one", "three");
            assertThat(flags.get("one").contains(Flags.Flag.FLAGGED)).isTrue();
            assertThat(flags.get("three").contains(Flags.Flag.FLAGGED)).isFalse();
            inbox.close();
            Folder sent = s.getFolder("Sent");
            sent.open(Folder.READ_ONLY);
            assertThat(List.of(sent.getMessages())).extracting(Message::getSubject).containsExactly("appended");
            sent.close();

            // changes made on Dovecot by another client: a new message, a flag
            inbox.open(Folder.READ_WRITE);
            for (Message m : inbox.getMessages()) if (m.getSubject().equals("three")) m.setFlag(Flags.Flag.SEEN, true);
            inbox.appendMessages(new Message[] {message("four", "fourth")});
            inbox.close();
        }
        client(home, "", "sync").ok();
        assertThat(ids(home, "INBOX")).containsOnlyKeys("one", "three", "four");
        String list = client(home, "", "list", "--json").ok().output();
        assertThat(list).contains("\"four\"");
        String three = client(home, "", "read", ids(home, "INBOX").get("three").toString(), "--json", "--keep-unread").ok().output();
        assertThat(three).contains("\\\\Seen");
        assertThat(smtpDelivered(smtp)).isEqualTo(1);
    }

    /** Messages in bob's INBOX at the submission server: the one sent. */
    static int smtpDelivered(PosternServer s) {
        var bob = s.directory().account("bob@example.org").orElseThrow().id();
        return s.store().read(bob, (org.postern.server.store.ReadTx tx) -> tx.mailbox(org.postern.server.store.MailboxName.of("INBOX"))
                .map(box -> tx.messages(box.id(), org.postern.server.store.UidSet.ALL).size()).orElse(0));
    }
}
