package org.postern.wire.mime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.wire.mime.Msg.crlf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SevenBitDowngradeTest {

    static final String TEXT_8BIT = """
            From: a@example.com
            Subject: test
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Grüße aus Köln, trailing space\s
            = sign and tab\t
            """;

    static final String MIXED = """
            From: a@example.com
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            preamble
            --outer
            Content-Type: text/plain; charset=us-ascii

            plain seven bit
            --outer
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: 8bit

            <p>café</p>
            --outer
            Content-Type: image/png
            Content-Transfer-Encoding: base64

            iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==
            --outer
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: binary

            \u00ff\u00fe\u0000\u0001 binary-ish
            --outer--
            epilogue
            """;

    static final String NESTED = """
            From: a@example.com
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=a

            --a
            Content-Type: text/plain

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
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            =C3=87a va =3F
            --b--
            --a--
            """;

    static final String ALREADY_ENCODED = """
            From: a@example.com
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=x

            --x
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Gr=C3=BC=C3=9Fe, with a soft =
            break and trailing =20
            --x
            Content-Type: application/pdf
            Content-Transfer-Encoding: base64

            JVBERi0xLjQK
            --x--
            """;

    /** One conversion case: the input, how many parts get QP / base64 / a 7bit label. */
    record Case(String name, byte[] in, int qp, int base64, int relabelled) {}

    static List<Case> cases() {
        return List.of(
                new Case("8-bit text/plain -> quoted-printable", crlf(TEXT_8BIT), 1, 0, 0),
                new Case("binary-ish application/octet-stream declared 8bit -> base64", crlf("""
                        Content-Type: application/octet-stream
                        Content-Transfer-Encoding: 8bit

                        \u00ff\u00d8\u00ff\u00e0 jpeg-ish""").clone(), 0, 1, 0),
                new Case("multipart with mixed parts", crlf(MIXED), 1, 1, 0),
                new Case("nested message/rfc822 with 8-bit inner parts", crlf(NESTED), 1, 0, 1),
                new Case("long 8-bit line gets soft breaks", crlf("Content-Transfer-Encoding: 8bit\n\n" + "é".repeat(3000) + "\nend\n"), 1, 0, 0),
                new Case("lone CR and LF in 8-bit text", bytes("Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\nä\rb\nc\r\n"), 1, 0, 0),
                new Case("lone CR and LF in binary", bytes("Content-Type: application/x-thing\r\nContent-Transfer-Encoding: binary\r\n\r\n\u00e4\rb\nc\r\n"), 0, 1, 0),
                new Case("8bit label on 7-bit content is relabelled", crlf("Content-Transfer-Encoding: 8bit\n\nplain\n"), 0, 0, 1),
                new Case("undeclared 8-bit in a MIME part", crlf("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nnaïve\n"), 1, 0, 0),
                new Case("non-MIME message with 8-bit body", crlf("From: a@example.com\nSubject: old script\n\nnaïve\n"), 1, 0, 0),
                new Case("multipart labelled 8bit", crlf(MIXED.replace("boundary=\"outer\"\n", "boundary=\"outer\"\nContent-Transfer-Encoding: 8bit\n")), 1, 1, 1),
                new Case("digest parts default to message/rfc822", crlf("""
                        Content-Type: multipart/digest; boundary=d

                        --d

                        Subject: one
                        Content-Transfer-Encoding: 8bit

                        über
                        --d--
                        """), 1, 0, 0));
    }

    @Test
    void everyCaseComesOut7BitWithTheSameDecodedContent() throws IOException {
        for (Case c : cases()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SevenBitDowngrade.Result r = SevenBitDowngrade.downgrade(new ByteArrayInputStream(c.in()), out);
            byte[] o = out.toByteArray();

            assertSevenBit(c.name(), o);
            assertThat(leaves(o)).as(c.name()).isEqualTo(leaves(c.in()));
            assertThat(List.of(r.quotedPrintable(), r.base64(), r.relabelled())).as(c.name())
                    .containsExactly(c.qp(), c.base64(), c.relabelled());
            assertThat(r.octetsIn()).isEqualTo(c.in().length);
            assertThat(SevenBitDowngrade.downgrade(new ByteArrayInputStream(o), new ByteArrayOutputStream()).changed())
                    .as(c.name() + ": converting again changes nothing").isFalse();
        }
    }

    @Test
    void eightBitTextBecomesQuotedPrintableWithTheFieldReplacedInPlace() throws IOException {
        assertThat(convert(crlf(TEXT_8BIT))).isEqualTo(ascii("""
                From: a@example.com
                Subject: test
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                Gr=C3=BC=C3=9Fe aus K=C3=B6ln, trailing space=20
                =3D sign and tab=09
                """));
    }

    @Test
    void binaryBecomesBase64InLinesOf76() throws IOException {
        byte[] body = new byte[1000];
        for (int i = 0; i < body.length; i++) body[i] = (byte) (i * 7);
        byte[] in = concat(bytes("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"), body);
        String out = convert(in);

        // RFC 2045 §4: the message gets its MIME-Version with its first encoding
        assertThat(out).startsWith("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nMIME-Version: 1.0\r\n\r\n");
        String[] lines = out.substring(out.indexOf("\r\n\r\n") + 4).split("\r\n");
        for (int i = 0; i < lines.length - 1; i++) assertThat(lines[i]).hasSize(76);
        assertThat(java.util.Base64.getMimeDecoder().decode(String.join("", lines))).isEqualTo(body);
    }

    @Test
    void sevenBitAndAlreadyEncodedMessagesPassByteExact() throws IOException {
        for (byte[] in : List.of(crlf(ALREADY_ENCODED), crlf(SampleMessages.TYPICAL), crlf(SampleMessages.MIXED),
                crlf(SampleMessages.FORWARD), crlf("no header at all, only a body line\n"), new byte[0],
                crlf("Subject: header only, never ended"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SevenBitDowngrade.Result r = SevenBitDowngrade.downgrade(new ByteArrayInputStream(in), out);
            assertThat(out.toByteArray()).isEqualTo(in);
            assertThat(r.changed()).isFalse();
            assertThat(SevenBitDowngrade.isSevenBit(new ByteArrayInputStream(in))).isTrue();
        }
    }

    @Test
    void nestedMessageIsConvertedInsideAndItsLabelBecomes7bit() throws IOException {
        String out = convert(crlf(NESTED));
        assertThat(out).contains("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 7bit\r\n\r\nFrom: b@example.com",
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=87a va ?\r\n--b\r\n",
                "=C3=87a va =3F\r\n--b--\r\n--a--\r\n");
    }

    @Test
    void nonMimeMessageGetsMimeVersionAndAnUnknownCharset() throws IOException {
        assertThat(convert(crlf("From: a@example.com\nSubject: old script\n\nnaïve\n"))).isEqualTo(ascii("""
                From: a@example.com
                Subject: old script
                MIME-Version: 1.0
                Content-Type: text/plain; charset=unknown-8bit
                Content-Transfer-Encoding: quoted-printable

                na=C3=AFve
                """));
    }

    @Test
    void eightBitPreambleAndEpilogueOctetsBecomeQuestionMarks() throws IOException {
        byte[] in = crlf("Content-Type: multipart/mixed; boundary=z\n\npréambule\n--z\n\nx\n--z--\népilogue\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SevenBitDowngrade.Result r = SevenBitDowngrade.downgrade(new ByteArrayInputStream(in), out);
        assertThat(out.toString(UTF_8)).isEqualTo(new String(crlf("Content-Type: multipart/mixed; boundary=z\n\npr??ambule\n--z\n\nx\n--z--\n??pilogue\n"), UTF_8));
        assertThat(r.replacedOctets()).isEqualTo(4);
    }

    @Test
    void eightBitHeadersAreRefusedOrKeptAsTheCallerChooses() throws IOException {
        for (byte[] in : List.of(crlf("Subject: Grüße\n\nbody\n"),
                crlf("Content-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: text/plain; name=\"café.txt\"\n\nx\n--q--\n"),
                crlf("Content-Type: message/rfc822\n\nSubject: inner ü\n\nx\n"))) {
            assertThatThrownBy(() -> SevenBitDowngrade.downgrade(new ByteArrayInputStream(in), new ByteArrayOutputStream()))
                    .isInstanceOfSatisfying(DowngradeException.class,
                            e -> assertThat(e.reason()).isEqualTo(DowngradeException.Reason.EIGHT_BIT_HEADER));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SevenBitDowngrade.Result r = SevenBitDowngrade.downgrade(new ByteArrayInputStream(in), out, SevenBitDowngrade.HeaderPolicy.KEEP);
            assertThat(r.headerEightBit()).isTrue();
            assertThat(out.toByteArray()).isEqualTo(in);
        }
    }

    @Test
    void whatCannotBeConvertedFailsWithItsReason() {
        record Bad(String name, byte[] in, DowngradeException.Reason reason) {}
        byte[] lateEightBit = concat(bytes("Content-Type: text/plain\r\n\r\n"),
                repeatLine("a".repeat(70), SevenBitDowngrade.LOOKAHEAD_BYTES / 72 + 10), bytes("late é\r\n"));
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i <= MimeLimits.MAX_DEPTH; i++) deep.append("Content-Type: multipart/mixed; boundary=d" + i + "\r\n\r\n--d" + i + "\r\n");
        deep.append("Content-Transfer-Encoding: 8bit\r\n\r\né\r\n");
        for (Bad b : List.of(
                new Bad("8-bit past the lookahead of an undeclared part", lateEightBit, DowngradeException.Reason.UNDECLARED_EIGHT_BIT),
                new Bad("raw 8-bit in quoted-printable", crlf("Content-Transfer-Encoding: quoted-printable\n\ncaf\u00e9\n"),
                        DowngradeException.Reason.ENCODED_PART_EIGHT_BIT),
                new Bad("raw 8-bit in base64", crlf("Content-Transfer-Encoding: base64\n\nAAAA\u00e9\n"), DowngradeException.Reason.ENCODED_PART_EIGHT_BIT),
                new Bad("8-bit beyond the depth limit", bytes(deep.toString()), DowngradeException.Reason.OPAQUE_COMPOSITE_EIGHT_BIT),
                new Bad("8-bit message/partial", crlf("Content-Type: message/partial; id=1; number=1\n\n\u00e9\n"),
                        DowngradeException.Reason.OPAQUE_COMPOSITE_EIGHT_BIT),
                new Bad("multipart without boundary", crlf("Content-Type: multipart/mixed\n\n\u00e9\n"), DowngradeException.Reason.OPAQUE_COMPOSITE_EIGHT_BIT),
                new Bad("header past the limit", concat(bytes("X: " + "y".repeat(MimeLimits.MAX_HEADER_BYTES) + "\r\n\r\n")),
                        DowngradeException.Reason.HEADER_TOO_LARGE))) {
            assertThatThrownBy(() -> SevenBitDowngrade.downgrade(new ByteArrayInputStream(b.in()), OutputStream.nullOutputStream()))
                    .as(b.name()).isInstanceOfSatisfying(DowngradeException.class, e -> assertThat(e.reason()).isEqualTo(b.reason()));
        }
    }

    @Test
    void eightBitWithinTheLookaheadOfAnUndeclaredPartIsEncoded() throws IOException {
        int lines = SevenBitDowngrade.LOOKAHEAD_BYTES / 72 - 10;
        byte[] in = concat(bytes("Content-Type: text/plain\r\n\r\n"), repeatLine("a".repeat(70), lines), bytes("é\r\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SevenBitDowngrade.Result r = SevenBitDowngrade.downgrade(new ByteArrayInputStream(in), out);
        assertThat(r.quotedPrintable()).isEqualTo(1);
        assertSevenBit("lookahead", out.toByteArray());
        assertThat(leaves(out.toByteArray())).isEqualTo(leaves(in));
    }

    @Test
    void aTwentyMegabytePartStreamsThrough() throws IOException {
        long size = 20L * 1024 * 1024;
        byte[] header = bytes("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n");
        InputStream in = new InputStream() {
            long pos;

            @Override
            public int read() {
                return pos < header.length + size ? at(pos++) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= header.length + size) return -1;
                int n = 0;
                while (n < len && pos < header.length + size) b[off + n++] = (byte) at(pos++);
                return n;
            }

            int at(long p) {
                return p < header.length ? header[(int) p] : (int) ((p * 31) & 0xFF);
            }
        };
        SevenBitCheckingStream out = new SevenBitCheckingStream();
        SevenBitDowngrade.Result r = SevenBitDowngrade.downgrade(in, out);
        assertThat(r.base64()).isEqualTo(1);
        assertThat(r.octetsIn()).isEqualTo(header.length + size);
        long base64Chars = (size + 2) / 3 * 4;
        int mimeVersion = "MIME-Version: 1.0\r\n".length();
        assertThat(out.count).isEqualTo(header.length + mimeVersion + base64Chars + (base64Chars - 1) / 76 * 2);
    }

    @Test
    void declaredEightBitShowsInTheStoredStructure() {
        assertThat(SevenBitDowngrade.declaresEightBit(MessageParser.parse(crlf(NESTED)).structure())).isTrue();
        assertThat(SevenBitDowngrade.declaresEightBit(MessageParser.parse(crlf(ALREADY_ENCODED)).structure())).isFalse();
    }

    // --- helpers ---

    /** Every leaf part, in order, as "type/subtype: decoded content" (ISO-8859-1, so any octets compare). */
    static List<String> leaves(byte[] message) {
        List<String> out = new ArrayList<>();
        collect(message, MessageParser.parse(message).structure().root(), out);
        return out;
    }

    private static void collect(byte[] m, Part p, List<String> out) {
        if (!p.children().isEmpty()) {
            for (Part c : p.children()) collect(m, c, out);
        } else if (p.message().isPresent()) {
            collect(m, p.message().get().root(), out);
        } else {
            byte[] raw = Arrays.copyOfRange(m, (int) p.bodyStart(), (int) p.end());
            try (InputStream d = TransferDecodingInputStream.decode(p.content().encoding(), new ByteArrayInputStream(raw)).orElseThrow()) {
                out.add(p.type() + "/" + p.subtype() + ": " + new String(d.readAllBytes(), ISO_8859_1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void assertSevenBit(String name, byte[] m) {
        int line = 0;
        for (int i = 0; i < m.length; i++) {
            assertThat(m[i] >= 0).as(name + ": octet " + i + " is 8-bit").isTrue();
            if (m[i] == '\n') line = 0;
            else if (m[i] != '\r') assertThat(++line).as(name + ": line length at " + i).isLessThanOrEqualTo(998);
        }
    }

    private static String convert(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SevenBitDowngrade.downgrade(new ByteArrayInputStream(in), out);
        return out.toString(ISO_8859_1);
    }

    private static String ascii(String lf) {
        return new String(crlf(lf), ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static byte[] repeatLine(String line, int times) {
        return (line + "\r\n").repeat(times).getBytes(UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** Counts and checks output without keeping it. */
    private static final class SevenBitCheckingStream extends OutputStream {
        long count;
        int line;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (b[i] < 0) throw new AssertionError("8-bit octet at " + (count + i - off));
                if (b[i] == '\n') line = 0;
                else if (b[i] != '\r' && ++line > 998) throw new AssertionError("line too long at " + (count + i - off));
            }
            count += len;
        }
    }
}
