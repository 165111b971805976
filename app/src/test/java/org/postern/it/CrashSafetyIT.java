package org.postern.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is ever lost (DESIGN.md "Commit"): concurrent clients stream messages into the real
 * server process, which is killed with SIGKILL mid-traffic; after a restart every message that got its
 * {@code 250} must be in the mailbox exactly once, and no message may be there twice.
 */
class CrashSafetyIT {
    static final int CLIENTS = 8;
    /** Enough acknowledged messages that the kill lands in the middle of steady traffic. */
    static final int KILL_AFTER_ACKS = 300;

    @Test
    void everyAcknowledgedMessageSurvivesSigkillExactlyOnce(@TempDir Path dir) throws Exception {
        int mx = PosternProcess.freePort();
        Path config = PosternProcess.writeConfig(dir, "mx.crash.test", "smtp = [\"127.0.0.1:%d\"]".formatted(mx));
        PosternProcess.run("", "domain", "add", "crash.test", "--config", config.toString()).ok();
        PosternProcess.run("pw-crash\n", "user", "add", "victim@crash.test", "--config", config.toString()).ok();

        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger attempted = new AtomicInteger();
        try (var server = PosternProcess.serve(config, mx)) {
            Thread[] clients = new Thread[CLIENTS];
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients[c] = Thread.ofPlatform().start(() -> send(mx, client, acked, attempted));
            }
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (acked.size() < KILL_AFTER_ACKS && System.nanoTime() < deadline) Thread.sleep(5);
            server.kill();                                    // SIGKILL, mid-traffic
            for (Thread t : clients) t.join(30_000);
            assertThat(acked.size()).as("acknowledged before the kill").isGreaterThanOrEqualTo(KILL_AFTER_ACKS);
        }

        try (var server = PosternProcess.serve(config, mx)) {   // restart on the same data
            Path mbox = dir.resolve("victim.mbox");
            PosternProcess.run("", "export", "victim@crash.test", "--mbox", mbox.toString(), "--config", config.toString()).ok();
            Map<String, Integer> seen = new HashMap<>();
            Matcher m = Pattern.compile("(?m)^X-Crash-Id: (\\S+)$").matcher(Files.readString(mbox, UTF_8));
            while (m.find()) seen.merge(m.group(1), 1, Integer::sum);

            for (String id : acked) assertThat(seen.get(id)).as("acknowledged message " + id).isEqualTo(1);
            assertThat(seen.values()).as("no message stored twice").allMatch(n -> n == 1);
            assertThat(seen.size()).as("nothing stored that was never sent")
                    .isBetween(acked.size(), attempted.get());
            server.stop();
        }
    }

    /** One client: messages over one connection after another, until the server goes away. */
    private static void send(int port, int client, Set<String> acked, AtomicInteger attempted) {
        int seq = 0;
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(20_000);
                var in = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8));
                OutputStream out = s.getOutputStream();
                SmtpDelivery.replyHas(in, "220");
                SmtpDelivery.command(out, in, "EHLO client" + client + ".crash.test", "250");
                for (int i = 0; i < 50; i++) {
                    String id = client + "-" + seq++;
                    SmtpDelivery.command(out, in, "MAIL FROM:<sender@elsewhere.test>", "250");
                    SmtpDelivery.command(out, in, "RCPT TO:<victim@crash.test>", "250");
                    SmtpDelivery.command(out, in, "DATA", "354");
                    attempted.incrementAndGet();
                    String msg = "From: sender@elsewhere.test\r\nTo: victim@crash.test\r\nSubject: crash " + id
                            + "\r\nX-Crash-Id: " + id + "\r\n\r\n" + ("body line for " + id + "\r\n").repeat(100) + ".\r\n";
                    out.write(msg.getBytes(UTF_8));
                    out.flush();
                    if (SmtpDelivery.replyHas(in, "250")) acked.add(id);    // acknowledged: must survive
                }
                SmtpDelivery.command(out, in, "QUIT", "221");
            } catch (IOException e) {
                return;                                       // the server died: stop this client
            }
        }
    }
}
