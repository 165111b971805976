package org.postern.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.wire.smtp.client.FakeSmtpServer;

/**
 * The queue survives SIGKILL: messages for another domain are acknowledged while the remote server is down,
 * the Postern process is killed, the remote comes back, and after a restart every message is delivered to it,
 * each exactly once (the remote never acknowledged anything before the kill).
 */
class RelayCrashIT {
    static final int MESSAGES = 20;

    @Test
    void queuedMailSurvivesSigkillAndIsDeliveredOnceWhenTheRemoteComesBack(@TempDir Path dir) throws Exception {
        int mx = PosternProcess.freePort();
        int remotePort = PosternProcess.freePort();   // nothing listens there yet: the remote is down
        Path config = PosternProcess.writeConfig(dir, "mx.crash.test", """
                smtp = ["127.0.0.1:%d"]

                [queue]
                retry = ["1s"]

                [relay]
                smarthost = "127.0.0.1:%d"
                smarthost_require_tls = false

                [security]
                relay_networks = ["127.0.0.0/8"]
                """.formatted(mx, remotePort));

        try (var server = PosternProcess.serve(config, mx)) {
            for (int i = 0; i < MESSAGES; i++) send(mx, "m" + i);
            waitFor(() -> server.output().contains("deferred"), "a deferred delivery attempt in the log");
            server.kill();                                   // SIGKILL with everything still queued
        }
        String listed = PosternProcess.run("", "queue", "list", "--config", config.toString()).ok().output();
        assertThat(listed).contains(MESSAGES + " messages queued", "last error: ");

        try (var remote = FakeSmtpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), remotePort));
             var server = PosternProcess.serve(config, mx)) {
            Map<String, Integer> seen = new HashMap<>();
            // a message whose attempt was in progress at the kill waits for its lease (60 s) to lapse
            Instant end = Instant.now().plus(Duration.ofSeconds(150));
            while (seen.values().stream().mapToInt(Integer::intValue).sum() < MESSAGES && Instant.now().isBefore(end)) {
                remote.takeTransaction(Duration.ofSeconds(1)).ifPresent(t -> {
                    Matcher m = Pattern.compile("(?m)^X-Relay-Id: (\\S+)\r?$").matcher(t.bodyText());
                    assertThat(m.find()).isTrue();
                    seen.merge(m.group(1), 1, Integer::sum);
                });
            }
            assertThat(seen).hasSize(MESSAGES).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
            waitFor(() -> {
                try {
                    return PosternProcess.run("", "queue", "list", "--config", config.toString()).output()
                            .contains("0 messages queued");
                } catch (Exception e) {
                    return false;
                }
            }, "an empty queue");
            assertThat(remote.takeTransaction(Duration.ofSeconds(2))).as("nothing sent twice").isEmpty();
            server.stop();
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check, String what) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        while (!check.ok()) {
            if (Instant.now().isAfter(end)) throw new AssertionError("no " + what + " within 60 s");
            Thread.sleep(100);
        }
    }

    private static void send(int port, String id) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8));
            OutputStream out = s.getOutputStream();
            SmtpDelivery.replyHas(in, "220");
            SmtpDelivery.command(out, in, "EHLO client.crash.test", "250");
            SmtpDelivery.command(out, in, "MAIL FROM:<sender@crash.test>", "250");
            SmtpDelivery.command(out, in, "RCPT TO:<someone@remote.test>", "250");
            SmtpDelivery.command(out, in, "DATA", "354");
            out.write(("From: sender@crash.test\r\nTo: someone@remote.test\r\nSubject: relay " + id + "\r\nX-Relay-Id: " + id
                    + "\r\n\r\nqueued across a crash\r\n.\r\n").getBytes(UTF_8));
            out.flush();
            assertThat(SmtpDelivery.replyHas(in, "250")).as("acknowledged " + id).isTrue();
            SmtpDelivery.command(out, in, "QUIT", "221");
        }
    }
}
