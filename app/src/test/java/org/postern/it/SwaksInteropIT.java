package org.postern.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with an independent client: Debian's swaks submits over STARTTLS + AUTH PLAIN to a Postern
 * started by the launcher; the message must show up in the exported mbox with its body byte-exact.
 */
class SwaksInteropIT {
    // Lines chosen to trip a careless implementation: dot-stuffing (RFC 5321 §4.5.2), mbox From-quoting,
    // 8-bit UTF-8, trailing white space, a long line, an empty last line.
    static final String BODY = String.join("\n",
            "Hello Bob,",
            ".a line starting with a dot",
            "..two dots",
            ".",
            "From the start of a line (mbox quotes this)",
            ">From already quoted once",
            "Grüße, 日本語, emoji \uD83D\uDCEC",
            "trailing spaces   ",
            "x".repeat(900),
            "",
            "-- ",
            "alice");

    @Test
    void swaksSubmitsOverStartTlsWithAuthAndTheBodyArrivesByteExact(@TempDir Path dir) throws Exception {
        int mx = PosternProcess.freePort(), submission = PosternProcess.freePort();
        Path config = PosternProcess.writeConfig(dir, "mx.interop.test", """
                smtp = ["127.0.0.1:%d"]
                submission = ["127.0.0.1:%d"]
                """.formatted(mx, submission));
        PosternProcess.run("", "domain", "add", "interop.test", "--config", config.toString()).ok();
        PosternProcess.run("alice-pw\n", "user", "add", "alice@interop.test", "--config", config.toString()).ok();
        PosternProcess.run("bob-pw\n", "user", "add", "bob@interop.test", "--config", config.toString()).ok();

        Path data = dir.resolve("message.eml");
        String message = "From: Alice <alice@interop.test>\nTo: Bob <bob@interop.test>\n"
                + "Subject: interop test\nMessage-ID: <swaks-1@interop.test>\nDate: Thu, 26 Nov 2026 10:00:00 +0000\n"
                + "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
                + BODY;
        // swaks ends DATA with CRLF "." CRLF after the file's content, so a file ending in a newline would gain an
        // empty line: write it without the last line break, which swaks's CRLF supplies.
        Files.writeString(data, message);

        try (var server = PosternProcess.serve(config, submission)) {
            List<String> cmd = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port", String.valueOf(submission),
                    "--tls", "--auth", "PLAIN", "--auth-user", "alice@interop.test", "--auth-password", "alice-pw",
                    "--from", "alice@interop.test", "--to", "bob@interop.test", "--data", "@" + data));
            Process swaks = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String transcript = new String(swaks.getInputStream().readAllBytes(), UTF_8);
            assertThat(swaks.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(swaks.exitValue()).as(transcript).isZero();
            assertThat(transcript).contains("STARTTLS").contains("235 ").containsPattern("<~ +250 2\\.0\\.0 ");

            Path mbox = dir.resolve("bob.mbox");
            PosternProcess.run("", "export", "bob@interop.test", "--mbox", mbox.toString(), "--config", config.toString()).ok();
            String exported = Files.readString(mbox, UTF_8);
            List<String> messages = MboxReader.messages(exported);
            assertThat(messages).hasSize(1);
            String stored = messages.getFirst();
            int split = stored.indexOf("\n\n");
            String headers = stored.substring(0, split + 1), body = stored.substring(split + 2);
            assertThat(body).isEqualTo(BODY + "\n");
            assertThat(headers).startsWith("Return-Path: <alice@interop.test>\n");
            assertThat(headers).containsPattern("Received: from .*\\n?.*by mx\\.interop\\.test");
            assertThat(headers).contains("ESMTPSA");        // RFC 3848: TLS and AUTH were used
            assertThat(headers).contains("Subject: interop test\n");
            assertThat(server.stop()).isIn(0, 130, 143);
        }
    }
}
