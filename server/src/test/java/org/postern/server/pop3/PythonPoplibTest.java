package org.postern.server.pop3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.smtp.TestTls;
import org.postern.server.store.MessageMeta;
import org.postern.server.net.PythonScript;

/**
 * Python's poplib as an independent POP3 client (skipped when python3 is not on the PATH): STLS on the
 * plaintext port, then implicit TLS on the pop3s port. poplib has no AUTH command, so both log in with
 * USER/PASS. The script prints one "key value" line per result and saves what it downloaded into files; the
 * checks are made here, against the store.
 */
class PythonPoplibTest {
    static final String SCRIPT = """
            import email, email.policy, os, poplib, ssl, sys
            port, pop3s, cafile, user, password, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
            ctx = ssl.create_default_context(cafile=cafile)

            def save(name, lines):
                with open(os.path.join(out, name), "wb") as f:
                    f.write(b"".join(l + b"\\r\\n" for l in lines))

            def caps(p):
                return " | ".join(sorted(" ".join([k] + v) for k, v in p.capa().items()))

            p = poplib.POP3("127.0.0.1", port, timeout=20)
            print("welcome", p.getwelcome().decode())
            print("capa-plain", caps(p))
            p.stls(context=ctx)
            print("capa-tls", caps(p))
            p.user(user)
            print("pass", p.pass_(password).decode())
            count, size = p.stat()
            print("stat", count, size)
            print("list", " | ".join(l.decode() for l in p.list()[1]))
            print("uidl", " | ".join(l.decode() for l in p.uidl()[1]))
            for n in range(1, count + 1):
                resp, lines, octets = p.retr(n)
                save("retr-%d" % n, lines)
                print("retr-%d" % n, resp.decode())
            save("top-1-0", p.top(1, 0)[1])
            save("top-3-2", p.top(3, 2)[1])

            with open(os.path.join(out, "retr-3"), "rb") as f:
                msg = email.message_from_bytes(f.read(), policy=email.policy.default)
            print("text", repr(msg.get_body(("plain",)).get_content()))
            for part in msg.iter_attachments():
                with open(os.path.join(out, "attachment-" + part.get_filename()), "wb") as f:
                    f.write(part.get_content())

            print("dele", p.dele(1).decode())
            print("quit", p.quit().decode())

            s = poplib.POP3_SSL("127.0.0.1", pop3s, context=ctx, timeout=20)
            print("capa-pop3s", caps(s))
            s.user(user)
            s.pass_(password)
            print("stat-after", *s.stat())
            print("uidl-after", " | ".join(l.decode() for l in s.uidl()[1]))
            print("quit-after", s.quit().decode())
            """;

    @TempDir
    Path dir;

    @Test
    void pythonPoplibDownloadsEveryMessageByteExactOverStlsAndItsDeletionShowsOnThePop3sPort() throws Exception {
        assumeTrue(PythonScript.available("poplib, ssl, email"), "python3 not on PATH");
        Path script = Files.writeString(dir.resolve("pop.py"), SCRIPT);
        Path ca = Files.writeString(dir.resolve("ca.pem"), TestTls.certificatePem());
        Path out = Files.createDirectory(dir.resolve("out"));
        byte[] attachment = InteropMessages.attachment();
        try (Pop3TestServer server = Pop3TestServer.start(dir.resolve("server"))) {
            server.deliver(Pop3TestServer.USER, InteropMessages.plain("one"));
            server.deliver(Pop3TestServer.USER, InteropMessages.plain("two"));
            server.deliver(Pop3TestServer.USER, InteropMessages.withAttachment("three", attachment));
            List<String> stored = server.inboxTexts(Pop3TestServer.USER);
            int[] sizes = stored.stream().mapToInt(s -> s.getBytes(UTF_8).length).toArray();

            Map<String, String> r = PythonScript.run(script, String.valueOf(server.pop3Port()), String.valueOf(server.pop3sPort()),
                    ca.toString(), Pop3TestServer.USER, Pop3TestServer.PASSWORD, out.toString());

            assertThat(r.get("welcome")).startsWith("+OK");
            assertThat(r.get("capa-plain")).contains("STLS").doesNotContain("USER").doesNotContain("SASL");
            assertThat(r.get("capa-tls")).contains("USER", "SASL PLAIN", "UIDL", "TOP").doesNotContain("STLS");
            assertThat(r.get("pass")).startsWith("+OK maildrop has 3 messages");
            assertThat(r.get("stat")).isEqualTo("3 " + Arrays.stream(sizes).sum());
            assertThat(r.get("list")).isEqualTo("1 " + sizes[0] + " | 2 " + sizes[1] + " | 3 " + sizes[2]);
            List<String> uidl = List.of(r.get("uidl").split(" \\| "));
            assertThat(uidl).hasSize(3).allMatch(u -> u.matches("[123] [0-9]+\\.[0-9]+"));
            assertThat(uidl.stream().map(u -> u.substring(2)).distinct()).as("unique ids").hasSize(3);

            for (int n = 1; n <= 3; n++) {
                assertThat(r.get("retr-" + n)).isEqualTo("+OK " + sizes[n - 1] + " octets");
                assertThat(Files.readAllBytes(out.resolve("retr-" + n))).as("RETR %d, dot-unstuffed by poplib", n)
                        .isEqualTo(stored.get(n - 1).getBytes(UTF_8));
            }
            String header1 = stored.get(0).substring(0, stored.get(0).indexOf("\r\n\r\n") + 4);
            assertThat(Files.readString(out.resolve("top-1-0"), UTF_8)).isEqualTo(header1);
            String top32 = Files.readString(out.resolve("top-3-2"), UTF_8);
            assertThat(top32).endsWith("\r\n\r\nThis is a MIME message.\r\n--=-b0undary-=\r\n");
            assertThat(stored.get(2)).startsWith(top32);

            // the email package keeps CRLF; the CRLF before a boundary belongs to the delimiter (RFC 2046 §5.1.1)
            assertThat(r.get("text")).isEqualTo("'See the attachment.\\r\\n.a line starting with a dot\\r\\n..\\r\\n.'");
            assertThat(Files.readAllBytes(out.resolve("attachment-data.bin"))).as("the attachment after base64 decoding")
                    .isEqualTo(attachment);

            assertThat(r.get("dele")).startsWith("+OK");
            assertThat(r.get("quit")).isEqualTo("+OK bye, 1 messages deleted");
            assertThat(r.get("capa-pop3s")).contains("USER", "SASL PLAIN").doesNotContain("STLS");
            assertThat(r.get("stat-after")).isEqualTo("2 " + (sizes[1] + sizes[2]));
            assertThat(r.get("uidl-after")).as("the remaining messages keep their unique ids")
                    .isEqualTo("1 " + uidl.get(1).substring(2) + " | 2 " + uidl.get(2).substring(2));
            assertThat(r.get("quit-after")).startsWith("+OK");

            List<MessageMeta> left = server.inbox(Pop3TestServer.USER);
            assertThat(left).as("retrieved by RETR: \\Seen for IMAP").hasSize(2).allMatch(server::seen);
            assertThat(server.inboxTexts(Pop3TestServer.USER)).containsExactly(stored.get(1), stored.get(2));
        }
    }
}
