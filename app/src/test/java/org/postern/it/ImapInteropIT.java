package org.postern.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with independent IMAP clients from Debian, against a Postern started by the launcher, over STARTTLS
 * with the certificate checked against the self-signed one the launcher generated:
 * <ul>
 *   <li>{@code mbsync} (isync) syncs the account both ways with a local Maildir: server mail comes down, a new
 *       server message comes down on the next run, a local flag and a local delete go up;</li>
 *   <li>{@code curl} lists the folders and fetches a message byte-exact;</li>
 *   <li>{@code neomutt}, driven in tmux, opens the INBOX and shows the message list.</li>
 * </ul>
 */
class ImapInteropIT {
    static final String USER = "bob@interop.test", PASSWORD = "bob-pw", FROM = "alice@interop.test";
    static final java.util.regex.Pattern UID_1 = java.util.regex.Pattern.compile("\\bUID 1[ )]");

    static String message(String subject, String body) {
        return "From: Alice <alice@interop.test>\r\nTo: Bob <bob@interop.test>\r\nSubject: " + subject + "\r\n"
                + "Message-ID: <imap-" + subject.replace(' ', '-') + "@interop.test>\r\n"
                + "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body;
    }

    /** A server with bob's account, listening for SMTP (to deliver test mail) and IMAP with STARTTLS. */
    record Server(PosternProcess process, Path config, Path cert, int smtp, int imap) implements AutoCloseable {
        static Server start(Path dir) throws Exception {
            int smtp = PosternProcess.freePort(), imap = PosternProcess.freePort();
            Path config = PosternProcess.writeConfig(dir, "mx.interop.test", """
                    smtp = ["127.0.0.1:%d"]
                    imap = ["127.0.0.1:%d"]
                    """.formatted(smtp, imap));
            PosternProcess.run("", "domain", "add", "interop.test", "--config", config.toString()).ok();
            PosternProcess.run(PASSWORD + "\n", "user", "add", USER, "--config", config.toString()).ok();
            PosternProcess p = PosternProcess.serve(config, imap);
            Path cert = dir.resolve("data/tls/cert.pem");
            assertThat(cert).as("the launcher's self-signed certificate").isRegularFile();
            return new Server(p, config, cert, smtp, imap);
        }

        void deliver(String subject, String body) throws IOException {
            SmtpDelivery.deliver(smtp, FROM, USER, message(subject, body));
        }

        /** `postern export` of bob's INBOX, split into messages (LF line ends). */
        List<String> stored(Path dir) throws Exception {
            Path mbox = dir.resolve("export-" + System.nanoTime() + ".mbox");
            PosternProcess.run("", "export", USER, "--mbox", mbox.toString(), "--config", config.toString()).ok();
            return MboxReader.messages(Files.readString(mbox, UTF_8));
        }

        @Override
        public void close() throws Exception {
            assertThat(process.stop()).isIn(0, 130, 143);
        }
    }

    @Test
    void mbsyncSyncsBothWaysWithALocalMaildir(@TempDir Path dir) throws Exception {
        try (Server server = Server.start(dir)) {
            server.deliver("one", "First message.\r\n");
            server.deliver("two", "Second message,\r\nwith two lines.\r\n");
            Path maildir = dir.resolve("mail");
            Files.createDirectories(maildir);
            Path rc = Files.writeString(dir.resolve("mbsyncrc"), """
                    IMAPAccount postern
                    Host localhost
                    Port %d
                    User %s
                    Pass %s
                    SSLType STARTTLS
                    SSLVersions TLSv1.2 TLSv1.3
                    CertificateFile %s

                    IMAPStore postern-remote
                    Account postern

                    MaildirStore postern-local
                    Path %s/
                    Inbox %s/INBOX
                    SubFolders Verbatim

                    Channel postern
                    Far :postern-remote:
                    Near :postern-local:
                    Patterns *
                    Create Both
                    Expunge Both
                    SyncState *
                    """.formatted(server.imap(), USER, PASSWORD, server.cert(), maildir, maildir));
            Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));

            Run first = mbsync(dir, rc);
            assertThat(first.exit).as(first.output).isZero();
            Path inbox = maildir.resolve("INBOX");
            assertThat(local(inbox)).as("both messages came down").hasSize(2);
            List<String> stored = server.stored(dir);
            assertThat(local(inbox).stream().map(ImapInteropIT::read).map(ImapInteropIT::withoutTuid).sorted().toList())
                    .as("the local copies are the stored messages").isEqualTo(stored.stream().sorted().toList());
            assertThat(maildir.resolve("Sent")).as("the other folders came down too").isDirectory();

            server.deliver("three", "Third, delivered after the first sync.\r\n");
            Run second = mbsync(dir, rc);
            assertThat(second.exit).as(second.output).isZero();
            assertThat(local(inbox)).as("the new server message came down").hasSize(3);

            // Locally: flag "one" (Maildir info ":2,F" in cur/), delete "two".
            Path one = find(inbox, "Subject: one"), two = find(inbox, "Subject: two");
            String base = one.getFileName().toString().replaceFirst(":2,.*$", "");
            String flags = one.getFileName().toString().contains(":2,") ? one.getFileName().toString().replaceFirst("^.*:2,", "") : "";
            Files.move(one, inbox.resolve("cur").resolve(base + ":2," + sortFlags(flags + "F")));
            Files.delete(two);
            Run third = mbsync(dir, rc);
            assertThat(third.exit).as(third.output).isZero();

            List<String> after = server.stored(dir);
            assertThat(after).as("the local delete went up").hasSize(2)
                    .noneMatch(m -> m.contains("Subject: two")).anyMatch(m -> m.contains("Subject: one"));
            String flagsOnServer = curl(dir, server, "imap://localhost:" + server.imap() + "/INBOX",
                    "-X", "UID FETCH 1:* (FLAGS)").output;
            assertThat(flagsOnServer.lines().filter(l -> l.startsWith("* ") && UID_1.matcher(l).find()).toList())
                    .as("the local flag went up:\n%s", flagsOnServer).singleElement().asString().contains("\\Flagged");
        }
    }

    @Test
    void curlListsTheFoldersAndFetchesAMessageByteExact(@TempDir Path dir) throws Exception {
        try (Server server = Server.start(dir)) {
            server.deliver("for curl", "Fetched by curl.\r\n.a line with a dot\r\n");
            Run list = curl(dir, server, "imap://localhost:" + server.imap() + "/");
            assertThat(list.exit).as(list.output).isZero();
            assertThat(list.output.lines().toList()).as(list.output)
                    .anyMatch(l -> l.startsWith("* LIST (") && l.endsWith(" INBOX"))
                    .anyMatch(l -> l.startsWith("* LIST (") && l.contains("\\Sent") && l.endsWith(" Sent"));
            Run fetch = curl(dir, server, "imap://localhost:" + server.imap() + "/INBOX;UID=1");
            assertThat(fetch.exit).as(fetch.output).isZero();
            assertThat(fetch.output.replace("\r\n", "\n")).isEqualTo(server.stored(dir).getFirst());
        }
    }

    /**
     * The admin command sets a quota on a running server's account, and an independent client sees it at once:
     * curl's GETQUOTAROOT shows it (RFC 9208 §4.3, in KiB), an upload over it is refused, and after
     * {@code quota ... none} the same upload is stored.
     */
    @Test
    void aQuotaSetByTheAdminCommandHoldsAtOnceOnTheRunningServer(@TempDir Path dir) throws Exception {
        try (Server server = Server.start(dir)) {
            server.deliver("before the quota", "x".repeat(3000) + "\r\n");
            String inbox = "imap://localhost:" + server.imap() + "/INBOX";
            Run before = curl(dir, server, inbox, "-X", "GETQUOTAROOT INBOX");
            assertThat(before.exit).as(before.output).isZero();
            assertThat(before.output).as(before.output).contains("* QUOTAROOT INBOX").doesNotContain("* QUOTA ");

            PosternProcess.run("", "user", "quota", USER, "8KiB", "--config", server.config().toString()).ok();
            Run set = curl(dir, server, inbox, "-X", "GETQUOTAROOT INBOX");
            assertThat(set.exit).as(set.output).isZero();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\* QUOTA \"\" \\(STORAGE (\\d+) 8\\)").matcher(set.output);
            assertThat(m.find()).as(set.output).isTrue();
            assertThat(Long.parseLong(m.group(1))).as("KiB used by the 3 KB message").isBetween(3L, 5L);

            Path big = Files.writeString(dir.resolve("big.eml"), message("over the quota", "y".repeat(6000) + "\r\n"));
            Run refused = curl(dir, server, inbox, "-T", big.toString());
            assertThat(refused.exit).as("curl's APPEND over the quota: %s", refused.output).isNotZero();
            assertThat(server.stored(dir)).hasSize(1);

            PosternProcess.run("", "user", "quota", USER, "none", "--config", server.config().toString()).ok();
            Run stored = curl(dir, server, inbox, "-T", big.toString());
            assertThat(stored.exit).as(stored.output).isZero();
            assertThat(server.stored(dir)).hasSize(2).last().asString().contains("Subject: over the quota");
        }
    }

    @Test
    void neomuttOpensTheInboxOverImapAndShowsTheMessageList(@TempDir Path dir) throws Exception {
        try (Server server = Server.start(dir)) {
            server.deliver("Lunch on Friday", "Shall we?\r\n");
            server.deliver("Quarterly report", "Attached soon.\r\n");
            Path muttrc = Files.writeString(dir.resolve("muttrc"), """
                    set imap_user="%s"
                    set imap_pass="%s"
                    set folder="imap://localhost:%d/"
                    set spoolfile="+INBOX"
                    set ssl_starttls=yes
                    set ssl_force_tls=yes
                    set certificate_file="%s"
                    set header_cache=""
                    set message_cachedir=""
                    set sort=date
                    set index_format="%%4C %%-20.20L %%s"
                    """.formatted(USER, PASSWORD, server.imap(), server.cert()));
            Path sock = dir.resolve("tmux.sock");
            List<String> tmux = List.of("tmux", "-S", sock.toString());
            try {
                exec(dir, concat(tmux, "new-session", "-d", "-x", "160", "-y", "40", "-s", "mutt",
                        "neomutt -n -F '" + muttrc + "'"));
                String screen = "";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline) {
                    screen = exec(dir, concat(tmux, "capture-pane", "-p", "-t", "mutt")).output;
                    if (screen.contains("Lunch on Friday") && screen.contains("Quarterly report")) break;
                    Thread.sleep(250);
                }
                assertThat(screen).as("neomutt's screen").contains("Lunch on Friday", "Quarterly report")
                        .contains("Alice");
            } finally {
                exec(dir, concat(tmux, "kill-server"));
            }
        }
    }

    // --- helpers ---

    record Run(int exit, String output) {}

    private static Run mbsync(Path dir, Path rc) throws Exception {
        return exec(dir, List.of("mbsync", "--verbose", "-c", rc.toString(), "-a"));
    }

    private static Run curl(Path dir, Server server, String url, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--ssl-reqd", "--cacert", server.cert().toString(),
                "--user", USER + ":" + PASSWORD, url));
        cmd.addAll(List.of(more));
        return exec(dir, cmd);
    }

    private static Run exec(Path dir, List<String> cmd) throws Exception {
        Path out = dir.resolve(cmd.getFirst() + "-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().put("TERM", "xterm");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd.getFirst() + " (apt-get install isync curl neomutt tmux; "
                    + ".ci/run installs them): " + e.getMessage(), e);
        }
        p.getOutputStream().close();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd.getFirst() + " did not finish within 90 s:\n" + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out, UTF_8));
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }

    /** The messages of a Maildir folder (new/ and cur/). */
    private static List<Path> local(Path folder) throws IOException {
        List<Path> all = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path d = folder.resolve(sub);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                s.filter(Files::isRegularFile).forEach(all::add);
            }
        }
        return all;
    }

    private static Path find(Path folder, String text) throws IOException {
        for (Path p : local(folder)) if (read(p).contains(text)) return p;
        throw new AssertionError("no message with '" + text + "' in " + folder);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** mbsync adds its own tracking header (X-TUID) to the messages it stores locally. */
    private static String withoutTuid(String message) {
        return message.replaceFirst("(?m)^X-TUID: [^\n]*\n", "");
    }

    /** Maildir info flags are kept in ASCII order (D F P R S T). */
    private static String sortFlags(String flags) {
        return flags.chars().distinct().sorted().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
