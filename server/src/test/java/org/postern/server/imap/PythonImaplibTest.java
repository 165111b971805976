package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.smtp.TestTls;
import org.postern.server.store.MessageMeta;
import org.postern.server.net.PythonScript;

/**
 * Python's imaplib as an independent IMAP client (skipped when python3 is not on the PATH): STARTTLS on the
 * plaintext port, LIST, SELECT, SEARCH, FETCH of the whole message and of metadata, STORE, APPEND, COPY,
 * EXPUNGE; then implicit TLS on the imaps port, EXAMINE and STATUS. The script prints one "key value" line per
 * result and saves the fetched message; the checks are made here, against the store.
 */
class PythonImaplibTest {
    static final String SCRIPT = """
            import imaplib, os, ssl, sys
            port, imaps, cafile, user, password, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
            ctx = ssl.create_default_context(cafile=cafile)

            m = imaplib.IMAP4("127.0.0.1", port, timeout=20)
            print("caps-plain", " ".join(sorted(m.capabilities)))
            m.starttls(ssl_context=ctx)
            print("caps-tls", " ".join(sorted(m.capabilities)))
            print("login", m.login(user, password)[0])
            typ, data = m.list()
            print("list", " | ".join(d.decode() for d in data))
            typ, data = m.select("INBOX")
            print("select", typ, data[0].decode())
            print("search", m.search(None, "ALL")[1][0].decode())
            typ, data = m.fetch("2", "(RFC822)")
            with open(os.path.join(out, "fetch-2"), "wb") as f:
                f.write(data[0][1])
            typ, data = m.uid("FETCH", "1:*", "(FLAGS RFC822.SIZE)")
            print("uid-fetch", " | ".join(d.decode() for d in data))
            print("store", m.store("1", "+FLAGS", "(\\\\Flagged)")[1][0].decode())
            typ, data = m.append("Archive", "(\\\\Seen)", imaplib.Time2Internaldate(1700000000), b"Subject: appended\\r\\n\\r\\nhi\\r\\n")
            print("append", typ, data[0].decode())
            typ, data = m.copy("1", "Archive")
            print("copy", typ, data[0].decode())
            m.store("1", "+FLAGS", "(\\\\Deleted)")
            typ, data = m.expunge()
            print("expunge", typ, " ".join(d.decode() for d in data if d))
            print("logout", m.logout()[0])

            s = imaplib.IMAP4_SSL("127.0.0.1", imaps, ssl_context=ctx, timeout=20)
            s.login(user, password)
            typ, data = s.select("Archive", readonly=True)
            print("examine", typ, data[0].decode())
            print("status", s.status("INBOX", "(MESSAGES UNSEEN UIDNEXT)")[1][0].decode())
            s.logout()
            """;

    @TempDir
    Path dir;

    static String message(String subject, String body) {
        return "From: Alice <alice@test.example>\r\nTo: mjl@example.org\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject + "@test.example>\r\n\r\n" + body + "\r\n";
    }

    @Test
    void pythonImaplibReadsChangesAndExpungesOverStartTlsAndImaps() throws Exception {
        assumeTrue(PythonScript.available("imaplib, ssl"), "python3 not on PATH");
        Path script = Files.writeString(dir.resolve("imap.py"), SCRIPT);
        Path ca = Files.writeString(dir.resolve("ca.pem"), TestTls.certificatePem());
        Path out = Files.createDirectory(dir.resolve("out"));
        try (ImapTestServer server = ImapTestServer.start(dir.resolve("server"))) {
            String user = ImapTestServer.USER;
            server.deliver(user, message("one", "first"));
            server.deliver(user, message("two", "second\r\n.a dot line"));
            List<MessageMeta> inbox = server.messages(user, "INBOX");
            byte[] stored2 = server.store.openMessage(server.account(user), inbox.get(1).mailbox(), 2).orElseThrow().readAllBytes();

            Map<String, String> r = PythonScript.run(script, String.valueOf(server.imapPort()), String.valueOf(server.imapsPort()),
                    ca.toString(), ImapTestServer.USER, ImapTestServer.PASSWORD, out.toString());

            assertThat(r.get("caps-plain")).contains("STARTTLS", "LOGINDISABLED").doesNotContain("AUTH=PLAIN");
            assertThat(r.get("caps-tls")).contains("AUTH=PLAIN", "IMAP4REV1").doesNotContain("STARTTLS");
            assertThat(r.get("login")).isEqualTo("OK");
            assertThat(r.get("list")).contains("\"/\" INBOX", "\"/\" Archive");
            assertThat(r.get("select")).isEqualTo("OK 2");
            assertThat(r.get("search")).isEqualTo("1 2");
            assertThat(Files.readAllBytes(out.resolve("fetch-2"))).isEqualTo(stored2);
            assertThat(r.get("uid-fetch")).isEqualTo("1 (UID 1 FLAGS () RFC822.SIZE " + inbox.get(0).size() + ") | 2 (UID 2 FLAGS (\\Seen) RFC822.SIZE "
                    + inbox.get(1).size() + ")");   // FETCH RFC822 set \Seen
            assertThat(r.get("store")).isEqualTo("1 (FLAGS (\\Flagged))");
            assertThat(r.get("append")).matches("OK \\[APPENDUID \\d+ 1] APPEND completed");
            assertThat(r.get("copy")).matches("OK \\[COPYUID \\d+ 1 2] COPY completed");
            assertThat(r.get("expunge")).isEqualTo("OK 1");
            assertThat(r.get("logout")).isEqualTo("BYE");
            assertThat(r.get("examine")).isEqualTo("OK 2");
            assertThat(r.get("status")).isEqualTo("INBOX (MESSAGES 1 UNSEEN 0 UIDNEXT 3)");
            assertThat(server.messages(user, "Archive")).hasSize(2);
            assertThat(server.messages(user, "INBOX")).extracting(MessageMeta::uid).containsExactly(2L);
        }
    }

}
