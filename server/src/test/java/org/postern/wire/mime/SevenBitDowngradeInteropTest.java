package org.postern.wire.mime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.net.PythonScript;

/**
 * {@link SevenBitDowngrade}'s output decoded by two parsers that are not ours, Eclipse Angus Mail and Python's
 * {@code email} package (skipped without python3): every leaf part must decode to the same octets as in the
 * 8-bit original, and the output must be 7-bit with lines of at most 998 octets.
 */
class SevenBitDowngradeInteropTest {

    record Sample(String name, byte[] message) {}

    static byte[] crlf(String lf) {
        return lf.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(UTF_8);
    }

    static List<Sample> samples() {
        byte[] allOctets = new byte[512];
        for (int i = 0; i < allOctets.length; i++) allOctets[i] = (byte) i;
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        binary.writeBytes(crlf("""
                From: a@example.com
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: 8bit

                Voilà, the file.
                --b1
                Content-Type: application/octet-stream; name=all.bin
                Content-Transfer-Encoding: binary

                """));
        binary.writeBytes(allOctets);
        binary.writeBytes(crlf("\n--b1--\n"));
        return List.of(
                new Sample("text", crlf("""
                        From: a@example.com
                        Subject: text
                        MIME-Version: 1.0
                        Content-Type: text/plain; charset=utf-8
                        Content-Transfer-Encoding: 8bit

                        Grüße aus Köln, trailing space\s
                        tab at the end\t
                        = signs = everywhere
                        .a line starting with a dot
                        """ + "ü".repeat(600) + "\n" + "x".repeat(2000) + "\n")),
                new Sample("binary", binary.toByteArray()),
                new Sample("nested", crlf("""
                        From: a@example.com
                        MIME-Version: 1.0
                        Content-Type: multipart/mixed; boundary=a

                        --a
                        Content-Type: text/plain; charset=us-ascii

                        see attached
                        --a
                        Content-Type: message/rfc822
                        Content-Transfer-Encoding: 8bit

                        From: b@example.com
                        Subject: inner
                        MIME-Version: 1.0
                        Content-Type: multipart/alternative; boundary=b

                        --b
                        Content-Type: text/plain; charset=utf-8
                        Content-Transfer-Encoding: 8bit

                        Ça va ?
                        --b
                        Content-Type: text/html; charset=utf-8
                        Content-Transfer-Encoding: 8bit

                        <p>Ça va&nbsp;?</p>
                        --b--
                        --a
                        Content-Type: image/png
                        Content-Transfer-Encoding: base64

                        iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==
                        --a--
                        """)),
                new Sample("lone", "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nä\rb\nc\r\n"
                        .getBytes(UTF_8)));
    }

    static byte[] downgrade(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SevenBitDowngrade.downgrade(new ByteArrayInputStream(in), out);
        return out.toByteArray();
    }

    @Test
    void angusMailDecodesTheSameContentFromTheOutput() throws Exception {
        Session session = Session.getInstance(new Properties());
        for (Sample s : samples()) {
            byte[] out = downgrade(s.message());
            assertSevenBit(s.name(), out);
            List<String> before = new ArrayList<>();
            List<String> after = new ArrayList<>();
            leaves(new MimeMessage(session, new ByteArrayInputStream(s.message())), before);
            leaves(new MimeMessage(session, new ByteArrayInputStream(out)), after);
            assertThat(after).as(s.name()).isEqualTo(before).isNotEmpty();
        }
    }

    /** Every leaf as "type: decoded octets in hex", text with CRLF as LF (the canonical line break). */
    private static void leaves(Part p, List<String> out) throws Exception {
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) leaves(mp.getBodyPart(i), out);
        } else if (p.isMimeType("message/rfc822")) {
            leaves((Part) p.getContent(), out);
        } else {
            byte[] b = p.getInputStream().readAllBytes();
            String type = p.getContentType().split(";")[0].strip().toLowerCase();
            if (type.startsWith("text/")) b = new String(b, ISO_8859_1).replace("\r\n", "\n").getBytes(ISO_8859_1);
            out.add(type + ": " + HexFormat.of().formatHex(b));
        }
    }

    static final String SCRIPT = """
            import email, email.policy, hashlib, sys, os
            for path in sys.argv[1:]:
                name = os.path.basename(path)
                with open(path, "rb") as f:
                    m = email.message_from_bytes(f.read(), policy=email.policy.compat32)
                leaves = []
                defects = 0
                for part in m.walk():
                    defects += len(part.defects)
                    if part.is_multipart():
                        continue
                    data = part.get_payload(decode=True)
                    if part.get_content_maintype() == "text":
                        data = data.replace(b"\\r\\n", b"\\n")
                    leaves.append(part.get_content_type() + ":" + hashlib.sha256(data).hexdigest())
                print(name + ".leaves", " ".join(leaves))
                print(name + ".defects", defects)
            """;

    @Test
    void pythonEmailDecodesTheSameContentFromTheOutput(@TempDir Path dir) throws Exception {
        assumeTrue(PythonScript.available("email, hashlib"), "python3 not on PATH");
        List<String> args = new ArrayList<>();
        for (Sample s : samples()) {
            args.add(Files.write(dir.resolve(s.name() + ".in"), s.message()).toString());
            args.add(Files.write(dir.resolve(s.name() + ".out"), downgrade(s.message())).toString());
        }
        Map<String, String> r = PythonScript.run(Files.writeString(dir.resolve("leaves.py"), SCRIPT), args.toArray(String[]::new));
        for (Sample s : samples()) {
            String in = r.get(s.name() + ".in.leaves");
            assertThat(in).as(s.name()).isNotBlank();
            assertThat(r.get(s.name() + ".out.leaves")).as(s.name()).isEqualTo(in);
            assertThat(r.get(s.name() + ".out.defects")).as(s.name()).isEqualTo("0");
        }
    }

    static void assertSevenBit(String name, byte[] m) {
        int line = 0;
        for (int i = 0; i < m.length; i++) {
            assertThat(m[i] >= 0).as(name + ": 8-bit octet at " + i).isTrue();
            if (m[i] == '\n') line = 0;
            else if (m[i] != '\r') assertThat(++line).as(name + ": line length at " + i).isLessThanOrEqualTo(998);
        }
    }
}
