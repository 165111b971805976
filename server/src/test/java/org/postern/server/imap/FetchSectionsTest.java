package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.wire.imap.FetchItem;
import org.postern.wire.imap.ImapCommand;
import org.postern.wire.imap.ImapParser;
import org.postern.wire.imap.ImapSyntaxException;
import org.postern.wire.imap.ImapWriter;
import org.postern.wire.mime.MessageParser;
import org.postern.wire.mime.MessageStructure;
import org.postern.wire.mime.MimeLimits;

/** FETCH message-content items rendered through a real {@link ImapWriter}, compared byte for byte. */
class FetchSectionsTest {

    static final String SIMPLE_HEADER = crlf("""
            From: a@example.com
            Subject: hello
             world
            X-Other: 1
            subject : second
            
            """);
    static final String SIMPLE_TEXT = crlf("""
            Body line 1
            line 2
            """);
    static final String SIMPLE = SIMPLE_HEADER + SIMPLE_TEXT;

    static final String INNER = crlf("""
            From: inner@example.org
            Subject: inner
            Content-Type: multipart/alternative; boundary=b2
            
            --b2
            Content-Type: text/plain
            
            inner text
            --b2
            Content-Type: text/html
            Content-Transfer-Encoding: base64
            
            PGk+aGk8L2k+
            --b2--
            """);

    /** 1 QP text, 2 message/rfc822 (2.1 text, 2.2 base64 html), 3 base64 with NUL, 4 multipart (4.1), 5 x-uuencode. */
    static final String NESTED = crlf("""
            From: outer@example.com
            Subject: nested
            Content-Type: multipart/mixed; boundary="b1"
            
            preamble
            --b1
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable
            
            caf=C3=A9 soft=
            break
            end
            --b1
            Content-Type: message/rfc822
            
            """) + INNER + crlf("""
            
            --b1
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: base64
            
            AAEC/w==
            --b1
            Content-Type: multipart/alternative; boundary=b3
            
            --b3
            Content-Type: text/plain
            
            alt
            --b3--
            --b1
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: x-uuencode
            
            begin 644 x
            --b1--
            """);

    static final String NO_BODY = "From: a@example.com\r\nSubject: none";
    static final String EMPTY_BODY = "From: a@example.com\r\nSubject: none\r\n\r\n";

    /** Base64 with junk: decoded leniently (characters outside the alphabet ignored), never an error. */
    static final String GARBAGE = crlf("""
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: base64
            
            SG*V!s bG8h
            %%%=
            """);

    static final Map<String, String> MESSAGES = Map.of("simple", SIMPLE, "nested", NESTED, "noBody", NO_BODY,
            "emptyBody", EMPTY_BODY, "garbage", GARBAGE);

    static Stream<Arguments> cases() {
        String mime1 = crlf("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n");
        String innerHeader = crlf("From: inner@example.org\nSubject: inner\nContent-Type: multipart/alternative; boundary=b2\n\n");
        return Stream.of(
                // the whole message and its RFC822 aliases
                c("simple", "BODY[]", "BODY[] " + lit(SIMPLE)),
                c("simple", "BODY.PEEK[]", "BODY[] " + lit(SIMPLE)),
                c("simple", "RFC822", "RFC822 " + lit(SIMPLE)),
                c("simple", "BODY[HEADER]", "BODY[HEADER] " + lit(SIMPLE_HEADER)),
                c("simple", "RFC822.HEADER", "RFC822.HEADER " + lit(SIMPLE_HEADER)),
                c("simple", "BODY[TEXT]", "BODY[TEXT] {21}\r\nBody line 1\r\nline 2\r\n"),
                c("simple", "RFC822.TEXT", "RFC822.TEXT " + lit(SIMPLE_TEXT)),
                // RFC 9051 §6.4.5: a non-multipart message's part 1 is its body
                c("simple", "BODY[1]", "BODY[1] " + lit(SIMPLE_TEXT)),
                c("simple", "BODY[1.MIME]", "BODY[1.MIME] " + lit(SIMPLE_HEADER)),
                c("simple", "BODY[2]", "BODY[2] NIL"),
                c("simple", "BODY[1.2]", "BODY[1.2] NIL"),
                c("simple", "BODY[1.HEADER]", "BODY[1.HEADER] NIL"),
                c("simple", "BODY[1.TEXT]", "BODY[1.TEXT] NIL"),
                // HEADER.FIELDS: case-insensitive, folding kept, original order and bytes, blank line at the end
                c("simple", "BODY.PEEK[HEADER.FIELDS (subject)]",
                        "BODY[HEADER.FIELDS (SUBJECT)] " + lit("Subject: hello\r\n world\r\nsubject : second\r\n\r\n")),
                c("simple", "BODY[HEADER.FIELDS (X-OTHER From)]",
                        "BODY[HEADER.FIELDS (X-OTHER FROM)] " + lit("From: a@example.com\r\nX-Other: 1\r\n\r\n")),
                c("simple", "BODY[HEADER.FIELDS.NOT (Subject x-other)]",
                        "BODY[HEADER.FIELDS.NOT (SUBJECT X-OTHER)] " + lit("From: a@example.com\r\n\r\n")),
                c("simple", "BODY[HEADER.FIELDS (Nothere)]", "BODY[HEADER.FIELDS (NOTHERE)] {2}\r\n\r\n"),
                c("simple", "BODY[HEADER.FIELDS (\"Odd Name\" \"Sub\\\\j\")]",
                        "BODY[HEADER.FIELDS (\"ODD NAME\" \"SUB\\\\J\")] {2}\r\n\r\n"),
                c("simple", "BODY[HEADER.FIELDS (Subject)]<0.5>", "BODY[HEADER.FIELDS (SUBJECT)]<0> {5}\r\nSubje"),
                c("simple", "BODY[HEADER.FIELDS (Subject)]<500.5>", "BODY[HEADER.FIELDS (SUBJECT)]<500> \"\""),
                // partials (RFC 9051 §6.4.5): origin 0, in the middle, exactly at the end, past the end, too long
                c("simple", "BODY[TEXT]<0.4>", "BODY[TEXT]<0> {4}\r\nBody"),
                c("simple", "BODY[TEXT]<13.4>", "BODY[TEXT]<13> {4}\r\nline"),
                c("simple", "BODY[TEXT]<19.100>", "BODY[TEXT]<19> {2}\r\n\r\n"),
                c("simple", "BODY[TEXT]<21.1>", "BODY[TEXT]<21> \"\""),
                c("simple", "BODY[TEXT]<1000.5>", "BODY[TEXT]<1000> \"\""),
                c("simple", "BODY.PEEK[]<0.1>", "BODY[]<0> {1}\r\nF"),
                c("simple", "BODY[1]<5.1>", "BODY[1]<5> {1}\r\nl"),
                // BINARY of an identity encoding is the body as it is
                c("simple", "BINARY[1]", "BINARY[1] " + lit(SIMPLE_TEXT)),
                c("simple", "BINARY.PEEK[]", "BINARY[] " + lit(SIMPLE)),
                c("simple", "BINARY[1]<5.4>", "BINARY[1]<5> {4}\r\nline"),
                c("simple", "BINARY.SIZE[1]", "BINARY.SIZE[1] 21"),
                c("simple", "BINARY.SIZE[]", "BINARY.SIZE[] " + SIMPLE.length()),
                c("simple", "BINARY[2]", "BINARY[2] NIL"),
                c("simple", "BINARY.SIZE[2]", "BINARY.SIZE[2] 0"),

                // nested multipart with a message/rfc822 part
                c("nested", "BODY[1]", "BODY[1] " + lit("caf=C3=A9 soft=\r\nbreak\r\nend")),
                c("nested", "BODY[1.MIME]", "BODY[1.MIME] " + lit(mime1)),
                c("nested", "BINARY[1]", "BINARY[1] " + lit("caf\u00c3\u00a9 softbreak\r\nend")),
                c("nested", "BINARY.SIZE[1]", "BINARY.SIZE[1] 20"),
                c("nested", "BODY[2]", "BODY[2] " + lit(INNER)),
                c("nested", "BODY[2.MIME]", "BODY[2.MIME] " + lit("Content-Type: message/rfc822\r\n\r\n")),
                c("nested", "BODY[2.HEADER]", "BODY[2.HEADER] " + lit(innerHeader)),
                c("nested", "BODY[2.TEXT]", "BODY[2.TEXT] " + lit(INNER.substring(innerHeader.length()))),
                c("nested", "BODY[2.HEADER.FIELDS (SUBJECT)]", "BODY[2.HEADER.FIELDS (SUBJECT)] " + lit("Subject: inner\r\n\r\n")),
                c("nested", "BODY[2.HEADER.FIELDS.NOT (content-type subject)]",
                        "BODY[2.HEADER.FIELDS.NOT (CONTENT-TYPE SUBJECT)] " + lit("From: inner@example.org\r\n\r\n")),
                c("nested", "BODY[2.1]", "BODY[2.1] {10}\r\ninner text"),
                c("nested", "BODY[2.1.MIME]", "BODY[2.1.MIME] " + lit("Content-Type: text/plain\r\n\r\n")),
                c("nested", "BODY[2.2]", "BODY[2.2] " + lit("PGk+aGk8L2k+")),
                c("nested", "BINARY[2.2]", "BINARY[2.2] " + lit("<i>hi</i>")),
                c("nested", "BINARY.SIZE[2.2]", "BINARY.SIZE[2.2] 9"),
                c("nested", "BINARY[2]", "BINARY[2] " + lit(INNER)),
                c("nested", "BODY[2.3]", "BODY[2.3] NIL"),
                c("nested", "BODY[2.1.HEADER]", "BODY[2.1.HEADER] NIL"),
                c("nested", "BODY[9]", "BODY[9] NIL"),
                c("nested", "BODY[1.TEXT]", "BODY[1.TEXT] NIL"),
                c("nested", "BODY[3]", "BODY[3] " + lit("AAEC/w==")),
                // RFC 3516 §4.2: literal8 only when the bytes sent contain NUL
                c("nested", "BINARY[3]", "BINARY[3] ~{4}\r\n\u0000\u0001\u0002\u00ff"),
                c("nested", "BINARY[3]<1.2>", "BINARY[3]<1> {2}\r\n\u0001\u0002"),
                c("nested", "BINARY[3]<0.1>", "BINARY[3]<0> ~{1}\r\n\u0000"),
                c("nested", "BINARY[3]<4.1>", "BINARY[3]<4> \"\""),
                c("nested", "BINARY.SIZE[3]", "BINARY.SIZE[3] 4"),
                // a multipart has no single decoding
                c("nested", "BINARY[4]", "BINARY[4] NIL"),
                c("nested", "BINARY.SIZE[4]", "BINARY.SIZE[4] 0"),
                c("nested", "BODY[4.1]", "BODY[4.1] {3}\r\nalt"),
                c("nested", "BINARY[4.1]", "BINARY[4.1] {3}\r\nalt"),
                c("nested", "BODY[5]", "BODY[5] " + lit("begin 644 x")),
                c("nested", "BINARY[9]", "BINARY[9] NIL"),

                // a message with no body (no blank line, last field unterminated) and one with an empty body
                c("noBody", "BODY[]", "BODY[] " + lit(NO_BODY)),
                c("noBody", "BODY[HEADER]", "BODY[HEADER] " + lit(NO_BODY)),
                c("noBody", "BODY[TEXT]", "BODY[TEXT] \"\""),
                c("noBody", "BODY[1]", "BODY[1] \"\""),
                c("noBody", "BODY[TEXT]<0.10>", "BODY[TEXT]<0> \"\""),
                c("noBody", "BODY[HEADER.FIELDS (SUBJECT)]", "BODY[HEADER.FIELDS (SUBJECT)] " + lit("Subject: none\r\n\r\n")),
                c("noBody", "BINARY[1]", "BINARY[1] \"\""),
                c("noBody", "BINARY.SIZE[1]", "BINARY.SIZE[1] 0"),
                c("garbage", "BINARY[1]", "BINARY[1] {6}\r\nHello!"),
                c("garbage", "BINARY.SIZE[1]", "BINARY.SIZE[1] 6"),
                c("garbage", "BINARY[]<0.12>", "BINARY[]<0> {12}\r\nContent-Type"),
                c("emptyBody", "RFC822.TEXT", "RFC822.TEXT \"\""),
                c("emptyBody", "BODY[HEADER]", "BODY[HEADER] " + lit(EMPTY_BODY)),
                c("emptyBody", "BODY[HEADER.FIELDS.NOT (From)]",
                        "BODY[HEADER.FIELDS.NOT (FROM)] " + lit("Subject: none\r\n\r\n")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void writesTheItem(String message, String item, String expected) throws IOException {
        assertThat(fetch(MESSAGES.get(message), item)).isEqualTo(expected);
    }

    @Test
    void unknownTransferEncodingFailsBinaryBeforeWritingAnything() throws IOException {
        for (String item : List.of("BINARY[5]", "BINARY.PEEK[5]<0.1>", "BINARY.SIZE[5]")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImapWriter writer = new ImapWriter(out);
            assertThatThrownBy(() -> writeFetch(writer, NESTED.getBytes(StandardCharsets.ISO_8859_1), item))
                    .as(item).isInstanceOf(FetchSections.UnknownCteException.class).hasMessageContaining("x-uuencode");
            assertThat(out.size()).isZero();
            writer.untagged(ImapWriter.Condition.OK, "still usable");     // the session can answer NO [UNKNOWN-CTE]
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("* OK still usable\r\n");
        }
    }

    @Test
    void handlesOnlyMessageContentItems() throws IOException {
        for (String item : List.of("BODY[]", "BODY.PEEK[1]", "BINARY[1]", "BINARY.SIZE[1]", "RFC822", "RFC822.HEADER", "RFC822.TEXT")) {
            assertThat(FetchSections.handles(item(item))).as(item).isTrue();
        }
        for (String item : List.of("FLAGS", "UID", "BODY", "BODYSTRUCTURE", "ENVELOPE", "RFC822.SIZE", "INTERNALDATE")) {
            assertThat(FetchSections.handles(item(item))).as(item).isFalse();
        }
    }

    @Test
    void partialLengthZeroIsNotARequest() {
        // RFC 9051 §9: partial = "<" number64 "." nz-number64 ">": the parser refuses <0.0> before we see it
        assertThatThrownBy(() -> new FetchItem.Partial(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> item("BODY[]<0.0>")).isInstanceOf(ImapSyntaxException.class);
    }

    // ------------------------------------------------------------------ what is read from the store

    @Test
    void headerFieldsReadOnlyTheHeader() throws IOException {
        String message = SIMPLE_HEADER + "x".repeat(100_000) + "\r\n";
        CountingBytes bytes = new CountingBytes(message.getBytes(StandardCharsets.ISO_8859_1));
        MessageStructure structure = MessageParser.parse(bytes.data).structure();
        for (int i = 0; i < 100; i++) {
            fetch(structure, bytes, "BODY.PEEK[HEADER.FIELDS (From Subject Date)]");
        }
        assertThat(bytes.opens).isEqualTo(100);
        assertThat(bytes.read).isEqualTo(100L * SIMPLE_HEADER.length());
    }

    @Test
    void headerFieldsOfAnAttachedMessageReadOnlyItsHeader() throws IOException {
        CountingBytes bytes = new CountingBytes(NESTED.getBytes(StandardCharsets.ISO_8859_1));
        MessageStructure structure = MessageParser.parse(bytes.data).structure();
        fetch(structure, bytes, "BODY.PEEK[2.HEADER.FIELDS (Subject)]");
        int innerHeader = INNER.indexOf("\r\n\r\n") + 4;
        assertThat(bytes.read).isEqualTo(innerHeader);
    }

    @Test
    void headerAtTheSizeLimitIsReadOnceAndOnePastItIsStreamedTwice() throws IOException {
        for (int size : new int[] {MimeLimits.MAX_HEADER_BYTES, MimeLimits.MAX_HEADER_BYTES + 1}) {
            String head = "Subject: big\r\nX-Pad: ";
            String header = head + "p".repeat(size - head.length() - 4) + "\r\n\r\n";
            assertThat(header).hasSize(size);
            CountingBytes bytes = new CountingBytes((header + "body\r\n").getBytes(StandardCharsets.ISO_8859_1));
            MessageStructure structure = MessageParser.parse(bytes.data).structure();
            assertThat(structure.root().headerSize()).isEqualTo(size);

            String got = fetch(structure, bytes, "BODY[HEADER.FIELDS (SUBJECT)]");

            assertThat(got).isEqualTo("BODY[HEADER.FIELDS (SUBJECT)] " + lit("Subject: big\r\n\r\n"));
            int passes = size > MimeLimits.MAX_HEADER_BYTES ? 2 : 1;
            assertThat(bytes.opens).as("size " + size).isEqualTo(passes);
            assertThat(bytes.read).as("size " + size).isEqualTo((long) passes * size);
        }
    }

    @Test
    void sectionsOfKnownLengthReadTheStoreOnceAndOnlyTheirRange() throws IOException {
        CountingBytes bytes = new CountingBytes(NESTED.getBytes(StandardCharsets.ISO_8859_1));
        MessageStructure structure = MessageParser.parse(bytes.data).structure();
        fetch(structure, bytes, "BODY[2.1]");
        assertThat(bytes.opens).isEqualTo(1);
        assertThat(bytes.read).isEqualTo("inner text".length());
    }

    @Test
    void fieldNameAtTheMatchingLimitMatchesAndOnePastItDoesNot() throws IOException {
        String atLimit = "N".repeat(FetchHeaderFilter.MAX_FIELD_NAME_BYTES);
        String pastLimit = atLimit + "N";
        String message = atLimit + ": a\r\n" + pastLimit + ": b\r\nSubject: s\r\n\r\nbody\r\n";
        assertThat(fetch(message, "BODY[HEADER.FIELDS (" + atLimit + ")]"))
                .isEqualTo("BODY[HEADER.FIELDS (" + atLimit + ")] " + lit(atLimit + ": a\r\n\r\n"));
        assertThat(fetch(message, "BODY[HEADER.FIELDS (" + pastLimit + ")]"))
                .isEqualTo("BODY[HEADER.FIELDS (" + pastLimit + ")] {2}\r\n\r\n");
        // a too-long name is kept by HEADER.FIELDS.NOT, whole
        assertThat(fetch(message, "BODY[HEADER.FIELDS.NOT (" + atLimit + " Subject)]"))
                .isEqualTo("BODY[HEADER.FIELDS.NOT (" + atLimit + " SUBJECT)] " + lit(pastLimit + ": b\r\n\r\n"));
    }

    @Test
    void headerFieldsFilterSkipsLinesThatAreNoFields() throws IOException {
        // a continuation before any field and bare LF line ends: the output keeps the field's own bytes
        byte[] header = " stray\nSubject: s\n folded\nNoColonLine\nX: y\n\nbody".getBytes(StandardCharsets.ISO_8859_1);
        try (InputStream in = new FetchHeaderFilter(new ByteArrayInputStream(header), List.of("subject", "x"), false)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                    .isEqualTo("Subject: s\n folded\nX: y\n\r\n");
        }
        try (InputStream in = new FetchHeaderFilter(new ByteArrayInputStream(header), List.of("x"), true)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("Subject: s\n folded\n\r\n");
        }
    }

    // ------------------------------------------------------------------ a 20 MB part, streamed

    @Test
    void twentyMegabytePartStreamsThroughWithoutBeingHeld() throws IOException {
        GeneratedMessage gen = new GeneratedMessage(20 * 1024 * 1024);
        MessageStructure structure;
        try (InputStream in = gen.open()) {
            structure = MessageParser.parse(in).structure();
        }
        assertThat(structure.size()).isEqualTo(gen.size);
        long encoded = structure.part(1).orElseThrow().bodySize();

        CountingOutput raw = fetchCounted(structure, gen, "BODY.PEEK[1]");
        String rawPrefix = "* 1 FETCH (BODY[1] {" + encoded + "}\r\n";
        assertThat(raw.head()).startsWith(rawPrefix);
        assertThat(raw.count).isEqualTo(rawPrefix.length() + encoded + 3);

        gen.opens = 0;
        CountingOutput decoded = fetchCounted(structure, gen, "BINARY.PEEK[1]");
        // the decoded data is bytes 0..250 repeating: NULs, so literal8
        String prefix = "* 1 FETCH (BINARY[1] ~{" + gen.dataBytes + "}\r\n";
        assertThat(decoded.head()).startsWith(prefix);
        assertThat(decoded.count).isEqualTo(prefix.length() + gen.dataBytes + 3);
        assertThat(decoded.patternErrors).isZero();
        assertThat(gen.opens).isEqualTo(2);     // one pass to count, one to send

        assertThat(fetch(structure, gen, "BINARY.SIZE[1]")).isEqualTo("BINARY.SIZE[1] " + gen.dataBytes);
    }

    // ------------------------------------------------------------------ helpers

    private static Arguments c(String message, String item, String expected) {
        return Arguments.of(message, item, expected);
    }

    static String crlf(String lf) {
        return lf.replace("\n", "\r\n");
    }

    /** A literal of {@code s}, whose characters are all below 256 and so one byte each. */
    static String lit(String s) {
        return "{" + s.length() + "}\r\n" + s;
    }

    static FetchItem item(String text) throws IOException {
        return ((ImapCommand.Fetch) ImapParser.parse("t FETCH 1 (" + text + ")")).items().getFirst();
    }

    static String fetch(String message, String item) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        return fetch(MessageParser.parse(bytes).structure(), () -> new ByteArrayInputStream(bytes), item);
    }

    /** The FETCH response's item list, between "* 1 FETCH (" and ")\r\n". */
    static String fetch(MessageStructure structure, FetchSections.MessageBytes bytes, String item) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeFetch(new ImapWriter(out), structure, bytes, item);
        String s = out.toString(StandardCharsets.ISO_8859_1);
        assertThat(s).startsWith("* 1 FETCH (").endsWith(")\r\n");
        return s.substring("* 1 FETCH (".length(), s.length() - 3);
    }

    private static void writeFetch(ImapWriter writer, byte[] message, String item) throws IOException {
        writeFetch(writer, MessageParser.parse(message).structure(), () -> new ByteArrayInputStream(message), item);
    }

    private static void writeFetch(ImapWriter writer, MessageStructure structure, FetchSections.MessageBytes bytes,
                                   String item) throws IOException {
        FetchItem it = item(item);
        writer.untagged(r -> {
            r.number(1).atom("FETCH").open();
            FetchSections.write(r, it, structure, bytes);
            r.close();
        });
    }

    private static CountingOutput fetchCounted(MessageStructure structure, GeneratedMessage gen, String item)
            throws IOException {
        CountingOutput out = new CountingOutput(gen);
        writeFetch(new ImapWriter(out), structure, gen, item);
        return out;
    }

    /** Message bytes in memory that count how often they are opened and how many bytes are read (skips are free). */
    static final class CountingBytes implements FetchSections.MessageBytes {
        final byte[] data;
        int opens;
        long read;

        CountingBytes(byte[] data) {
            this.data = data;
        }

        @Override
        public InputStream open() {
            opens++;
            return new ByteArrayInputStream(data) {
                @Override
                public synchronized int read() {
                    int b = super.read();
                    if (b >= 0) read++;
                    return b;
                }

                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    int n = super.read(b, off, len);
                    if (n > 0) read += n;
                    return n;
                }
            };
        }
    }

    /**
     * A message made up on the fly: a base64 part whose data is the bytes 0..250 repeating, 57 bytes (76
     * base64 characters) per line. Nothing of it is ever held whole.
     */
    static final class GeneratedMessage implements FetchSections.MessageBytes {
        static final byte[] HEADER = crlf("""
                Content-Type: application/octet-stream
                Content-Transfer-Encoding: base64
                
                """).getBytes(StandardCharsets.US_ASCII);
        final long lines;
        final long dataBytes;
        final long size;
        int opens;

        GeneratedMessage(long approximateSize) {
            lines = approximateSize / 78;
            dataBytes = lines * 57;
            size = HEADER.length + lines * 78;
        }

        static byte dataByte(long i) {
            return (byte) (i % 251);
        }

        @Override
        public InputStream open() {
            opens++;
            return new InputStream() {
                private long pos;
                private final byte[] line = new byte[78];
                private long lineNo = -1;

                @Override
                public int read() {
                    if (pos >= size) return -1;
                    return byteAt(pos++) & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (pos >= size) return -1;
                    int n = (int) Math.min(len, size - pos);
                    for (int i = 0; i < n; i++) b[off + i] = byteAt(pos++);
                    return n;
                }

                @Override
                public long skip(long n) {
                    long s = Math.max(0, Math.min(n, size - pos));
                    pos += s;
                    return s;
                }

                private byte byteAt(long p) {
                    if (p < HEADER.length) return HEADER[(int) p];
                    long k = (p - HEADER.length) / 78;
                    if (k != lineNo) {
                        byte[] data = new byte[57];
                        for (int i = 0; i < 57; i++) data[i] = dataByte(k * 57 + i);
                        byte[] enc = java.util.Base64.getEncoder().encode(data);
                        System.arraycopy(enc, 0, line, 0, 76);
                        line[76] = '\r';
                        line[77] = '\n';
                        lineNo = k;
                    }
                    return line[(int) ((p - HEADER.length) % 78)];
                }
            };
        }
    }

    /**
     * Counts what the writer sends, keeps only its first bytes, and checks BINARY data against the generator's
     * pattern as it passes (the bytes after the literal's "}\r\n", up to the closing ")\r\n").
     */
    static final class CountingOutput extends java.io.OutputStream {
        private final GeneratedMessage gen;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        long count;
        long patternErrors;
        private long dataStart = -1;

        CountingOutput(GeneratedMessage gen) {
            this.gen = gen;
        }

        @Override
        public void write(int b) {
            if (count < 200) {
                head.write(b);
                if (dataStart < 0 && head.toString(StandardCharsets.US_ASCII).startsWith("* 1 FETCH (BINARY")
                        && b == '\n') {
                    dataStart = count + 1;
                }
            }
            if (dataStart >= 0 && count >= dataStart && count - dataStart < gen.dataBytes
                    && (byte) b != GeneratedMessage.dataByte(count - dataStart)) {
                patternErrors++;
            }
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) write(b[off + i]);
        }

        String head() {
            return head.toString(StandardCharsets.US_ASCII);
        }
    }
}
