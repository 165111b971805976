package org.postern.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interop with Debian's Postfix, both ways, with a Postfix instance of the test's own (config_directory,
 * queue_directory and data_directory in a temporary directory, smtpd on a free port of 127.0.0.1; the system's
 * Postfix is neither read nor touched):
 * <ul>
 * <li>Postern relays mail for b.test through its smarthost setting to Postfix, which delivers it into a Maildir
 *     with virtual(8);</li>
 * <li>Postern finds Postfix as b.test's MX through DNS (dnsmasq with an MX record, run by the test) and delivers
 *     there on port 25;</li>
 * <li>Postfix relays mail for a.test to Postern ({@code transport_maps}: {@code smtp:[127.0.0.1]:PORT}, over
 *     STARTTLS when Postern offers it), which puts it in alice's INBOX.</li>
 * </ul>
 * Postfix's master must be started as root: as another user the tests are skipped (a JUnit assumption says why).
 */
class PostfixInteropIT {
    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    /** How long mail may take through both servers; Postfix's queue manager picks new mail up at once. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** The uid virtual(8) writes bob's Maildir as: nobody, which exists on every Debian. */
    private static final int MAIL_UID = 65534;
    private static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");
    /**
     * Where Postfix also listens as b.test's MX: Postern delivers to MX hosts on port 25 (RFC 5321 §4.5.4.2), and
     * 127.0.0.0/8 is all loopback on Linux, so the test takes an address of its own there.
     */
    private static final String MX_ADDRESS = "127.0.0.25";

    private static Path dir, conf, queue, mail, config;
    private static int postfixPort, mx;
    private static boolean postfixStarted;
    /** Whether Postfix listens on {@link #MX_ADDRESS}:25 (nothing else had that port). */
    private static boolean mxListener;
    private static PosternProcess postern;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(POSTFIX), "Postfix is not installed (" + POSTFIX + "): .ci/run installs it");
        assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
                "PostfixInteropIT needs root: Postfix's master (postfix start) refuses to run as another user");

        // not @TempDir: Postfix's daemons (user postfix) and virtual(8) (user nobody) must be able to enter it
        dir = Files.createTempDirectory("postern-postfix-it");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        conf = Files.createDirectories(dir.resolve("postfix"));
        queue = Files.createDirectories(dir.resolve("postfix-queue"));
        Path data = Files.createDirectories(dir.resolve("postfix-data"));
        mail = Files.createDirectories(dir.resolve("mail"));
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(data, users.lookupPrincipalByName("postfix"));
        Files.setAttribute(mail, "unix:uid", MAIL_UID);
        Files.setAttribute(mail, "unix:gid", MAIL_UID);

        postfixPort = PosternProcess.freePort();
        mx = PosternProcess.freePort();
        mxListener = free(MX_ADDRESS, 25);
        writePostfixConfig(data);
        postfix("check");
        postfix("start");
        postfixStarted = true;
        awaitPort(postfixPort, "Postfix's smtpd");

        Path posternDir = Files.createDirectories(dir.resolve("postern"));
        config = PosternProcess.writeConfig(posternDir, "mx.a.test", """
                smtp = ["127.0.0.1:%d"]

                [relay]
                smarthost = "127.0.0.1:%d"
                smarthost_require_tls = false

                [security]
                relay_networks = ["127.0.0.0/8"]
                """.formatted(mx, postfixPort));
        PosternProcess.run("", "domain", "add", "a.test", "--config", config.toString()).ok();
        PosternProcess.run("alice-pw\n", "user", "add", "alice@a.test", "--config", config.toString()).ok();
        postern = PosternProcess.serve(config, mx);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (postern != null) postern.stop();
        } finally {
            try {
                if (postfixStarted) stopPostfix();
            } finally {
                if (dir != null) deleteTree(dir);
            }
        }
    }

    @Test
    void postfixAsTheNextHopReceivesTheMailPosternRelays() throws Exception {
        int messages = 3;
        for (int i = 0; i < messages; i++) {
            SmtpDelivery.deliver(mx, "alice@a.test", "bob@b.test", "From: alice@a.test\r\nTo: bob@b.test\r\n"
                    + "Subject: to postfix " + i + "\r\nMessage-ID: <to-postfix-" + i + "@a.test>\r\n\r\nHello Bob, via Postfix.\r\n");
        }

        Path bobNew = mail.resolve("b.test/bob/new");
        List<String> delivered = await(() -> maildir(bobNew), l -> l.size() >= messages, "bob's Maildir to hold " + messages + " messages");
        assertThat(delivered).hasSize(messages);
        for (int i = 0; i < messages; i++) {
            String subject = "Subject: to postfix " + i;
            assertThat(delivered).as(subject).filteredOn(m -> m.contains(subject)).singleElement().satisfies(m -> assertThat(m)
                    .contains("Hello Bob, via Postfix.")
                    .containsPattern("Received: from mx\\.a\\.test \\(.*\\[127\\.0\\.0\\.1\\]\\)")   // Postfix's
                    .containsPattern("by mx\\.a\\.test")                                                  // Postern's
                    .contains("Return-Path: <alice@a.test>"));
        }
        await(() -> PosternProcess.run("", "queue", "list", "--config", config.toString()).output(),
                out -> out.contains("0 messages queued"), "Postern's queue to empty");
    }

    /**
     * Postfix as b.test's MX, found the way the Internet finds it: a second Postern without a smarthost asks a DNS
     * server (dnsmasq, run by the test) for b.test's MX record and delivers to that host on port 25.
     */
    @Test
    void postfixAsTheMxFoundThroughDnsReceivesWhatPosternRelays() throws Exception {
        assumeTrue(Files.isExecutable(DNSMASQ), "dnsmasq is not installed (" + DNSMASQ + "): .ci/run installs dnsmasq-base");
        assumeTrue(mxListener, MX_ADDRESS + ":25 is taken by another program, so Postfix cannot be b.test's MX there");
        int dnsPort = PosternProcess.freePort();
        Path dnsLog = dir.resolve("dnsmasq.log");
        Process dns = new ProcessBuilder(DNSMASQ.toString(), "--keep-in-foreground", "--conf-file=/dev/null",
                "--port=" + dnsPort, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--user=root", "--pid-file=", "--log-queries", "--log-facility=-",
                "--mx-host=b.test,mx.b.test,10", "--host-record=mx.b.test," + MX_ADDRESS)
                .redirectErrorStream(true).redirectOutput(dnsLog.toFile()).start();
        Path home = Files.createDirectories(dir.resolve("postern-mx"));
        int port = PosternProcess.freePort();
        Path cfg = PosternProcess.writeConfig(home, "mx.a.test", """
                smtp = ["127.0.0.1:%d"]

                [dns]
                servers = ["127.0.0.1:%d"]

                [security]
                relay_networks = ["127.0.0.0/8"]
                """.formatted(port, dnsPort));
        try (var server = PosternProcess.serve(cfg, port)) {
            SmtpDelivery.deliver(port, "alice@a.test", "carol@b.test", "From: alice@a.test\r\nTo: carol@b.test\r\n"
                    + "Subject: to the mx\r\nMessage-ID: <to-the-mx@a.test>\r\n\r\nHello Carol, via b.test's MX.\r\n");

            List<String> delivered;
            try {
                delivered = await(() -> maildir(mail.resolve("b.test/carol/new")), l -> !l.isEmpty(), "carol's Maildir");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- Postern (MX routing) log:\n" + server.output()
                        + "\n--- dnsmasq log:\n" + readOrEmpty(dnsLog), e);
            }
            assertThat(delivered).singleElement().satisfies(m -> assertThat(m)
                    .contains("Subject: to the mx", "Hello Carol, via b.test's MX.", "Return-Path: <alice@a.test>")
                    .containsPattern("by postfix\\.interop\\.test \\(Postfix\\)"));
            assertThat(readOrEmpty(dnsLog)).as("the MX came from DNS").contains("query[MX] b.test");
            assertThat(server.stop()).isIn(0, 130, 143);
        } finally {
            dns.destroy();
            dns.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void postfixRelaysIntoPosternAndTheMessageReachesTheInbox() throws Exception {
        SmtpDelivery.deliver(postfixPort, "bob@b.test", "alice@a.test", "From: bob@b.test\r\nTo: alice@a.test\r\n"
                + "Subject: from postfix\r\nMessage-ID: <from-postfix@b.test>\r\n\r\nHello Alice, via Postfix.\r\n");

        Path mbox = dir.resolve("alice.mbox");
        List<String> inbox = await(() -> {
            Files.deleteIfExists(mbox);
            PosternProcess.run("", "export", "alice@a.test", "--mbox", mbox.toString(), "--config", config.toString()).ok();
            return MboxReader.messages(Files.readString(mbox, UTF_8));
        }, l -> l.stream().anyMatch(m -> m.contains("Subject: from postfix")), "the message in alice's INBOX");

        assertThat(inbox).filteredOn(m -> m.contains("Subject: from postfix")).singleElement().satisfies(m -> assertThat(m)
                .startsWith("Return-Path: <bob@b.test>\n")
                .contains("Hello Alice, via Postfix.")
                .containsPattern("by mx\\.a\\.test[^;]* with ESMTPS")             // Postern's trace field: over STARTTLS
                .containsPattern("by postfix\\.interop\\.test \\(Postfix\\)"));   // Postfix's
    }

    // --- the Postfix instance ---

    private static void writePostfixConfig(Path data) throws IOException {
        Files.writeString(conf.resolve("vmailbox"), "bob@b.test b.test/bob/\ncarol@b.test b.test/carol/\n");
        // Postfix relays a.test to Postern; "[...]" means no MX lookup (transport(5))
        Files.writeString(conf.resolve("transport"), "a.test smtp:[127.0.0.1]:" + mx + "\n");
        Files.writeString(conf.resolve("main.cf"), """
                # PostfixInteropIT's own instance (not the system Postfix)
                compatibility_level = 3.6
                queue_directory = %1$s
                data_directory = %2$s
                maillog_file = %3$s/postfix.log
                maillog_file_prefixes = %3$s
                inet_interfaces = loopback-only
                inet_protocols = ipv4
                myhostname = postfix.interop.test
                mydomain = interop.test
                mydestination =
                mynetworks = 127.0.0.0/8
                relay_domains = a.test
                relayhost =
                transport_maps = texthash:%4$s/transport
                alias_maps =
                alias_database =
                local_recipient_maps =
                local_transport = error:local delivery disabled in the test instance
                virtual_mailbox_domains = b.test
                virtual_mailbox_base = %5$s
                virtual_mailbox_maps = texthash:%4$s/vmailbox
                virtual_uid_maps = static:%6$d
                virtual_gid_maps = static:%6$d
                virtual_minimum_uid = 100
                smtp_tls_security_level = may
                smtpd_banner = $myhostname ESMTP
                biff = no
                append_dot_mydomain = no
                """.formatted(queue, data, dir, conf, mail, MAIL_UID));
        // smtpd on the test's port only; no chroot, so nothing has to be copied into the queue directory
        Files.writeString(conf.resolve("master.cf"), """
                127.0.0.1:%d inet n - n - - smtpd
                pickup    unix  n       -       n       60      1       pickup
                cleanup   unix  n       -       n       -       0       cleanup
                qmgr      unix  n       -       n       300     1       qmgr
                tlsmgr    unix  -       -       n       1000?   1       tlsmgr
                rewrite   unix  -       -       n       -       -       trivial-rewrite
                bounce    unix  -       -       n       -       0       bounce
                defer     unix  -       -       n       -       0       bounce
                trace     unix  -       -       n       -       0       bounce
                verify    unix  -       -       n       -       1       verify
                flush     unix  n       -       n       1000?   0       flush
                proxymap  unix  -       -       n       -       -       proxymap
                proxywrite unix -       -       n       -       1       proxymap
                smtp      unix  -       -       n       -       -       smtp
                relay     unix  -       -       n       -       -       smtp
                showq     unix  n       -       n       -       -       showq
                error     unix  -       -       n       -       -       error
                retry     unix  -       -       n       -       -       error
                discard   unix  -       -       n       -       -       discard
                virtual   unix  -       n       n       -       -       virtual
                anvil     unix  -       -       n       -       1       anvil
                scache    unix  -       -       n       -       1       scache
                postlog   unix-dgram n  -       n       -       1       postlogd
                %s
                """.formatted(postfixPort, mxListener ? MX_ADDRESS + ":25 inet n - n - - smtpd" : ""));
    }

    /** Runs {@code postfix -c CONF COMMAND} and fails with its output when it fails. */
    private static void postfix(String command) throws Exception {
        Process p = new ProcessBuilder(POSTFIX.toString(), "-c", conf.toString(), command).redirectErrorStream(true)
                // detached from our pipe: the master daemon must not hold it open
                .redirectOutput(dir.resolve("postfix-" + command + ".out").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("postfix " + command + " did not finish within 60 s");
        }
        if (p.exitValue() != 0)
            throw new AssertionError("postfix " + command + " failed: " + Files.readString(dir.resolve("postfix-" + command + ".out"))
                    + "\n" + postfixLog());
    }

    /** {@code postfix stop}, then waits for the master to be gone (SIGKILL after 30 s), so no daemon outlives the test. */
    private static void stopPostfix() throws Exception {
        Path pidFile = queue.resolve("pid/master.pid");
        Long pid = Files.exists(pidFile) ? Long.valueOf(Files.readString(pidFile).strip()) : null;
        postfix("stop");
        if (pid == null) return;
        var master = ProcessHandle.of(pid);
        if (master.isEmpty()) return;
        try {
            master.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            master.get().destroyForcibly();
        }
    }

    private static String postfixLog() {
        try {
            Path log = dir.resolve("postfix.log");
            return Files.exists(log) ? Files.readString(log) : "(no Postfix log)";
        } catch (IOException e) {
            return "(Postfix log unreadable: " + e + ")";
        }
    }

    // --- helpers ---

    private static List<String> maildir(Path newDir) throws IOException {
        if (!Files.isDirectory(newDir)) return List.of();
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(newDir)) {
            for (Path f : files.sorted().toList()) out.add(Files.readString(f, UTF_8));
        }
        return out;
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls until {@code done} holds for what {@code probe} returns; fails with both servers' logs. */
    private static <T> T await(Probe<T> probe, java.util.function.Predicate<T> done, String what) throws Exception {
        Instant end = Instant.now().plus(PATIENCE);
        T value = probe.get();
        while (!done.test(value)) {
            if (Instant.now().isAfter(end))
                throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what + "; last seen: " + value
                        + "\n--- Postfix log:\n" + postfixLog() + "\n--- Postern log:\n" + postern.output());
            Thread.sleep(250);
            value = probe.get();
        }
        return value;
    }

    private static void awaitPort(int port, String what) throws Exception {
        if (!PosternProcess.awaitPort(port, PATIENCE, () -> true))
            throw new AssertionError(what + " did not listen on " + port + "\n" + postfixLog());
    }

    /** Whether a listener could bind {@code address:port} now. */
    private static boolean free(String address, int port) {
        try (var s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName(address))) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private static String readOrEmpty(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
