package org.postern.server.smtp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.net.PythonScript;

/** Python's smtplib as a second independent client (skipped when python3 is not on the PATH). */
class PythonSmtplibTest {
    static final String SCRIPT = """
            import smtplib, ssl, sys
            from email.message import EmailMessage
            port, cafile = int(sys.argv[1]), sys.argv[2]
            ctx = ssl.create_default_context(cafile=cafile)
            msg = EmailMessage()
            msg["From"] = "mjl@example.org"
            msg["To"] = "other@example.org"
            msg["Subject"] = "from python"
            msg.set_content("Hello from smtplib\\n.leading dot\\n")
            with smtplib.SMTP("127.0.0.1", port, local_hostname="py.example", timeout=20) as s:
                s.ehlo()
                s.starttls(context=ctx)
                s.ehlo()
                assert "auth" in s.esmtp_features and "pipelining" in s.esmtp_features, s.esmtp_features
                s.login("mjl@example.org", "secret")
                refused = s.send_message(msg)
                assert not refused, refused
                s.mail("mjl@example.org")
                code, _ = s.rcpt("nobody@example.org")
                print("unknown-rcpt", code)
                s.rset()
            print("sent")
            """;

    @Test
    void pythonSmtplibSubmitsOverStartTlsWithLogin(@TempDir Path dir) throws Exception {
        assumeTrue(PythonScript.available("smtplib, ssl"), "python3 not on PATH");
        Path script = Files.writeString(dir.resolve("send.py"), SCRIPT);
        Path ca = Files.writeString(dir.resolve("ca.pem"), TestTls.certificatePem());
        try (TestServer server = TestServer.start(dir)) {
            Process p = new ProcessBuilder("python3", script.toString(), String.valueOf(server.submission.port()), ca.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("unknown-rcpt 550").contains("sent");
            String stored = server.inbox(TestServer.OTHER).getFirst();
            assertThat(stored).contains("Received: from py.example ([127.0.0.1])").contains(" with ESMTPSA id ")
                    .contains("Subject: from python").contains("\r\nHello from smtplib\r\n.leading dot\r\n");
        }
    }

}
