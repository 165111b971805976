package org.postern.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with an independent POP3 client: Debian's fetchmail downloads from a Postern started by the launcher,
 * over STLS with the certificate checked against the self-signed one the launcher generated, into an mbox
 * through an MDA. Run 1 keeps the mail (UIDL, idfile), run 2 finds nothing new, run 3 fetches all and deletes.
 *
 * <p>fetchmail hands the MDA each message with LF line ends (its default "stripcr" with an MDA) and inserts its
 * own Received header after the first line; everything else must be exactly what Postern stored.
 */
class FetchmailInteropIT {
    static final String USER = "bob@interop.test", PASSWORD = "bob-pw";
    static final Pattern FETCHMAIL_RECEIVED = Pattern.compile(
            "Received: from localhost \\[127\\.0\\.0\\.1\\]\n\tby .* with POP3 \\(fetchmail-[^)]+\\)\n\tfor .*\n");

    /** An mboxrd MDA: a From_ line, ">From " quoting, a blank line after each message; $1 is the mbox. */
    static final String MDA = """
            #!/bin/sh
            { printf 'From MAILER-DAEMON Thu Jan  1 00:00:00 1970\\n'; sed -e 's/^\\(>*From \\)/>\\1/'; printf '\\n'; } >> "$1"
            """;

    static final String BODY1 = String.join("\r\n",
            "Hello Bob,",
            ".a line starting with a dot",
            "..two dots",
            ".",
            "From the start of a line (mbox quotes this)",
            ">From already quoted once",
            "Grüße, 日本語",
            "trailing spaces   ",
            "x".repeat(900),
            "",
            "-- ",
            "alice") + "\r\n";

    static byte[] attachment() {
        byte[] b = new byte[256 * 4 + 5];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i < 256 ? i : i * 31 + 7);
        return b;
    }

    static final String BODY2 = "This is a MIME message.\r\n"
            + "--=-b0undary-=\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "\r\n"
            + "See the attachment.\r\n"
            + ".\r\n"
            + "--=-b0undary-=\r\n"
            + "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
            + "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "\r\n"
            + Base64.getMimeEncoder(76, "\r\n".getBytes(UTF_8)).encodeToString(attachment()) + "\r\n"
            + "--=-b0undary-=--\r\n";

    static final String BODY3 = "Short and plain.\r\n. \r\n.. \r\nbye\r\n";

    static final List<String> HEADERS = List.of(
            header("one", "text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit"),
            header("two", "multipart/mixed; boundary=\"=-b0undary-=\""),
            header("three", "text/plain; charset=us-ascii"));
    static final List<String> BODIES = List.of(BODY1, BODY2, BODY3);

    static String header(String subject, String contentType) {
        return "From: Alice <alice@interop.test>\r\nTo: Bob <bob@interop.test>\r\nSubject: " + subject + "\r\n"
                + "Message-ID: <fetchmail-" + subject + "@interop.test>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: " + contentType + "\r\n";
    }

    @Test
    void fetchmailDownloadsOverStlsKeepingThenByUidlFindsNothingNewThenDeletesAndEveryMessageArrivesByteExact(@TempDir Path dir)
            throws Exception {
        int smtp = PosternProcess.freePort(), pop3 = PosternProcess.freePort();
        Path config = PosternProcess.writeConfig(dir, "mx.interop.test", """
                smtp = ["127.0.0.1:%d"]
                pop3 = ["127.0.0.1:%d"]
                """.formatted(smtp, pop3));
        PosternProcess.run("", "domain", "add", "interop.test", "--config", config.toString()).ok();
        PosternProcess.run(PASSWORD + "\n", "user", "add", USER, "--config", config.toString()).ok();

        try (var server = PosternProcess.serve(config, pop3)) {
            Path cert = dir.resolve("data/tls/cert.pem");
            assertThat(cert).as("the launcher's self-signed certificate").isRegularFile();
            for (int i = 0; i < 3; i++) SmtpDelivery.deliver(smtp, "alice@interop.test", USER, HEADERS.get(i) + "\r\n" + BODIES.get(i));

            Path mda = Files.writeString(dir.resolve("mda.sh"), MDA);
            Files.setPosixFilePermissions(mda, PosixFilePermissions.fromString("rwx------"));
            Path rc = Files.writeString(dir.resolve("fetchmailrc"), """
                    set no syslog
                    poll localhost with proto POP3 port %d timeout 30
                      user "%s" there with password "%s"
                      options sslproto "TLS1.2+" sslcertck sslcertfile "%s"
                    """.formatted(pop3, USER, PASSWORD, cert));
            Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));   // fetchmail insists
            Path idfile = dir.resolve("fetchids");

            // Run 1: keep, track by UIDL
            Path mbox1 = dir.resolve("run1.mbox");
            Fetch run1 = fetchmail(dir, rc, idfile, mda, mbox1, "--keep", "--uidl");
            assertThat(run1.exit).as(run1.transcript).isZero();
            assertThat(run1.transcript).contains("POP3> STLS").contains("upgrade to TLS succeeded")
                    .doesNotContain("certificate verification error");
            List<String> stored = export(config, dir.resolve("before.mbox"));
            assertThat(stored).hasSize(3);
            List<String> fetched1 = MboxReader.messages(Files.readString(mbox1, UTF_8));
            checkFetched(fetched1, stored);
            assertThat(Files.readAllLines(idfile)).as("fetchmail's idfile: one UIDL per kept message")
                    .filteredOn(l -> l.matches("\\Q" + USER + "@localhost\\E [0-9]+\\.[0-9]+")).hasSize(3);

            // Run 2: keep again; every UIDL is known, so nothing is fetched (fetchmail exits 1: no mail)
            Path mbox2 = dir.resolve("run2.mbox");
            Fetch run2 = fetchmail(dir, rc, idfile, mda, mbox2, "--keep", "--uidl");
            assertThat(run2.exit).as(run2.transcript).isEqualTo(1);
            assertThat(run2.transcript).contains("3 messages (3 seen)").doesNotContain("POP3> RETR").doesNotContain("POP3> TOP");
            assertThat(mbox2).doesNotExist();
            assertThat(export(config, dir.resolve("between.mbox"))).as("--keep left the mail on the server").isEqualTo(stored);

            // Run 3: fetch all (with RETR) and delete
            Path mbox3 = dir.resolve("run3.mbox");
            Fetch run3 = fetchmail(dir, rc, idfile, mda, mbox3, "--nokeep", "--all", "--uidl");
            assertThat(run3.exit).as(run3.transcript).isZero();
            assertThat(run3.transcript).contains("POP3> RETR 1", "POP3> DELE 1", "POP3> DELE 2", "POP3> DELE 3")
                    .contains("+OK bye, 3 messages deleted");
            checkFetched(MboxReader.messages(Files.readString(mbox3, UTF_8)), stored);
            assertThat(export(config, dir.resolve("after.mbox"))).as("the server's INBOX after the deleting run").isEmpty();

            assertThat(server.stop()).isIn(0, 130, 143);
        }
    }

    /**
     * Each fetched message is the stored one (as exported) with fetchmail's Received header inserted after the
     * Return-Path line; its body is the body sent; the attachment decodes to the bytes sent.
     */
    private static void checkFetched(List<String> fetched, List<String> stored) throws Exception {
        assertThat(fetched).hasSize(3);
        for (int i = 0; i < 3; i++) {
            String f = fetched.get(i);
            Matcher m = FETCHMAIL_RECEIVED.matcher(f);
            assertThat(m.find()).as("fetchmail's Received header in:\n%s", f).isTrue();
            String withoutFetchmail = f.substring(0, m.start()) + f.substring(m.end());
            assertThat(withoutFetchmail).as("message %d as stored", i + 1).isEqualTo(stored.get(i));
            int split = f.indexOf("\n\n");
            assertThat(f.substring(split + 2)).as("body %d as sent", i + 1).isEqualTo(lf(BODIES.get(i)));
            assertThat(f.substring(0, split + 1)).as("header %d ends with the lines sent", i + 1)
                    .startsWith("Return-Path: <alice@interop.test>\n").endsWith(lf(HEADERS.get(i)));
        }
        MimeMessage two = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(fetched.get(1).getBytes(UTF_8)));
        MimeMultipart mp = (MimeMultipart) two.getContent();
        assertThat(mp.getCount()).isEqualTo(2);
        MimeBodyPart att = (MimeBodyPart) mp.getBodyPart(1);
        assertThat(att.getFileName()).isEqualTo("data.bin");
        try (InputStream in = att.getInputStream()) {
            assertThat(in.readAllBytes()).as("the attachment after base64 decoding").isEqualTo(attachment());
        }
    }

    private static String lf(String crlf) {
        return crlf.replace("\r\n", "\n");
    }

    record Fetch(int exit, String transcript) {}

    /** fetchmail, verbose, in the foreground, with HOME in the test directory (no ~/.fetchmailrc, ~/.fetchids). */
    private static Fetch fetchmail(Path dir, Path rc, Path idfile, Path mda, Path mbox, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("fetchmail", "--verbose", "--nosyslog", "--fetchmailrc", rc.toString(),
                "--idfile", idfile.toString(), "--mda", "'" + mda + "' '" + mbox + "'"));
        cmd.addAll(List.of(options));
        Path out = dir.resolve("fetchmail-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("LC_ALL", "C");
        // as root, fetchmail runs the MDA as $FETCHMAILUSER: the user running this test
        pb.environment().put("FETCHMAILUSER", System.getProperty("user.name"));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run fetchmail (apt-get install fetchmail; .ci/run installs it): " + e.getMessage(), e);
        }
        p.getOutputStream().close();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("fetchmail did not finish within 90 s:\n" + Files.readString(out));
        }
        return new Fetch(p.exitValue(), Files.readString(out));
    }

    /** `postern export` of bob's INBOX as mboxrd, split into messages (LF line ends). */
    private static List<String> export(Path config, Path mbox) throws Exception {
        PosternProcess.run("", "export", USER, "--mbox", mbox.toString(), "--config", config.toString()).ok();
        return MboxReader.messages(Files.readString(mbox, UTF_8));
    }
}
