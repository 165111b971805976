package org.postern.wire.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.wire.mime.Msg.body;
import static org.postern.wire.mime.Msg.crlf;
import static org.postern.wire.mime.Msg.header;
import static org.postern.wire.mime.Msg.lf;
import static org.postern.wire.mime.Msg.shape;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Real-world malformed MIME never makes the parser throw; each case degrades as shown. */
class MessageParserMalformedTest {

    /** A message (written with LF; also run with CRLF), its part tree, and each part's body in tree order. */
    record Case(String name, String message, String shape, List<String> bodies) {}

    static final List<Case> CASES = List.of(
            new Case("missing final boundary", """
                    Content-Type: multipart/mixed; boundary=b

                    --b

                    one
                    --b

                    two
                    """, "multipart/mixed(text/plain,text/plain)",
                    List.of("--b\n\none\n--b\n\ntwo\n", "one", "two\n")),
            new Case("boundary never seen", """
                    Content-Type: multipart/mixed; boundary=zzz

                    just text
                    --other
                    """, "multipart/mixed", List.of("just text\n--other\n")),
            new Case("multipart without boundary parameter", """
                    Content-Type: multipart/mixed

                    --b
                    text
                    """, "multipart/mixed", List.of("--b\ntext\n")),
            new Case("preamble and epilogue with boundary-like junk", """
                    Content-Type: multipart/mixed; boundary=b

                    preamble --b not at line start
                    --b-- followed by text is no delimiter
                    --bb is another boundary
                    --b
                    Content-Type: text/plain

                    part
                    --b--
                    epilogue
                    --b
                    more epilogue
                    """, "multipart/mixed(text/plain)", List.of("""
                    preamble --b not at line start
                    --b-- followed by text is no delimiter
                    --bb is another boundary
                    --b
                    Content-Type: text/plain

                    part
                    --b--
                    epilogue
                    --b
                    more epilogue
                    """, "part")),
            new Case("nested boundaries sharing a prefix", """
                    Content-Type: multipart/mixed; boundary=bb

                    --bb
                    Content-Type: multipart/alternative; boundary=b

                    --b

                    inner one
                    --bb
                    Content-Type: text/plain

                    outer two
                    --bb--
                    """, "multipart/mixed(multipart/alternative(text/plain),text/plain)", List.of("""
                    --bb
                    Content-Type: multipart/alternative; boundary=b

                    --b

                    inner one
                    --bb
                    Content-Type: text/plain

                    outer two
                    --bb--
                    """, "--b\n\ninner one", "inner one", "outer two")),
            new Case("boundary lines with transport padding", "Content-Type: multipart/mixed; boundary=b\n\n"
                    + "--b \t\n\none\n--b  \n\ntwo\n--b-- \t\nepilogue\n",
                    "multipart/mixed(text/plain,text/plain)",
                    List.of("--b \t\n\none\n--b  \n\ntwo\n--b-- \t\nepilogue\n", "one", "two")),
            new Case("missing and invalid content types are text/plain", """
                    Content-Type: multipart/mixed; boundary=b

                    --b

                    no header
                    --b
                    Content-Type: garbage

                    invalid
                    --b--
                    """, "multipart/mixed(text/plain,text/plain)",
                    List.of("--b\n\nno header\n--b\nContent-Type: garbage\n\ninvalid\n--b--\n", "no header", "invalid")),
            new Case("duplicated header fields: the first wins", """
                    Content-Type: text/html
                    Content-Type: multipart/mixed; boundary=b

                    <p>x</p>
                    """, "text/html", List.of("<p>x</p>\n")),
            new Case("header without body", "Subject: x\nFrom: a@b.test", "text/plain", List.of("")),
            new Case("header without body in a part", """
                    Content-Type: multipart/mixed; boundary=b

                    --b
                    Content-Type: text/html
                    --b
                    --b--
                    """, "multipart/mixed(text/html,text/plain)",
                    List.of("--b\nContent-Type: text/html\n--b\n--b--\n", "", "")),
            new Case("empty message", "", "text/plain", List.of("")),
            new Case("only a blank line", "\n", "text/plain", List.of("")),
            new Case("body starting without the blank line", "Subject: x\nThis is body\nmore\n", "text/plain",
                    List.of("This is body\nmore\n")),
            new Case("part body starting without the blank line", """
                    Content-Type: multipart/mixed; boundary=b

                    --b
                    Content-Type: text/plain
                    no blank line
                    --b--
                    """, "multipart/mixed(text/plain)",
                    List.of("--b\nContent-Type: text/plain\nno blank line\n--b--\n", "no blank line")),
            new Case("leading white space line before any field", " junk\nSubject: x\n\nbody\n", "text/plain",
                    List.of("body\n")),
            new Case("inner multipart never closed: the outer boundary closes it", """
                    Content-Type: multipart/mixed; boundary=outer

                    --outer
                    Content-Type: multipart/related; boundary=inner

                    --inner

                    a
                    --outer

                    b
                    --outer--
                    """, "multipart/mixed(multipart/related(text/plain),text/plain)",
                    List.of("--outer\nContent-Type: multipart/related; boundary=inner\n\n--inner\n\na\n--outer\n\nb\n--outer--\n",
                            "--inner\n\na", "a", "b")),
            new Case("digest parts default to message/rfc822", """
                    Content-Type: multipart/digest; boundary=d

                    --d

                    Subject: one

                    first
                    --d
                    Content-Type: text/plain

                    not a message
                    --d--
                    """, "multipart/digest(message/rfc822[text/plain],text/plain)",
                    List.of("--d\n\nSubject: one\n\nfirst\n--d\nContent-Type: text/plain\n\nnot a message\n--d--\n",
                            "Subject: one\n\nfirst", "first", "not a message")),
            new Case("base64 message/rfc822 stays opaque", """
                    Content-Type: message/rfc822
                    Content-Transfer-Encoding: base64

                    U3ViamVjdDogeAoKeQo=
                    """, "message/rfc822", List.of("U3ViamVjdDogeAoKeQo=\n")),
            new Case("empty parts between delimiters", "Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\n\n--b--\n",
                    "multipart/mixed(text/plain,text/plain)", List.of("--b\n--b\n\n--b--\n", "", "")),
            new Case("multipart closed right after its header", "Content-Type: multipart/mixed; boundary=b\n\n--b--\n",
                    "multipart/mixed", List.of("--b--\n")),
            new Case("bare CR inside lines is content", "Subject: a\rb\n\nx\ry\n", "text/plain", List.of("x\ry\n")));

    @Test
    void malformedMessagesDegradeAsDescribed() {
        for (Case c : CASES) {
            for (boolean withCr : new boolean[] {false, true}) {
                byte[] m = withCr ? crlf(c.message()) : lf(c.message());
                String label = c.name() + (withCr ? " (CRLF)" : " (LF)");
                MessageStructure s = Msg.parse(m).structure();
                assertThat(shape(s.root())).as(label).isEqualTo(c.shape());
                List<Part> parts = MessageParserTest.allParts(s.root());
                List<String> bodies = parts.stream().map(p -> body(m, p).replace("\r\n", "\n")).toList();
                assertThat(bodies).as(label).isEqualTo(c.bodies());
                for (Part p : parts) {
                    String b = body(m, p);
                    long lines = b.chars().filter(ch -> ch == '\n').count() + (b.isEmpty() || b.endsWith("\n") ? 0 : 1);
                    assertThat(p.lines()).as(label + " lines of " + shape(p)).isEqualTo(lines);
                }
            }
        }
    }

    @Test
    void partsWithoutOrWithInvalidContentTypeGetTheDefaults() {
        byte[] m = crlf(CASES.get(6).message());
        List<Part> children = Msg.parse(m).structure().root().children();

        assertThat(children).extracting(Part::content).containsOnly(ContentFields.DEFAULT);
    }

    @Test
    void duplicatedFieldsKeepTheFirstEverywhere() {
        Envelope e = Msg.parse(crlf("Subject: first\nSubject: second\nFrom: a@x.test\nFrom: b@x.test\n\n"))
                .structure().envelope();

        assertThat(e.subject()).contains("first");
        assertThat(e.from()).extracting(a -> a.mailbox().orElseThrow()).containsExactly("a");
    }

    @Test
    void headerWithoutBodyEndsAtTheEnd() {
        byte[] m = lf("Subject: x\nFrom: a@b.test");
        Part root = Msg.parse(m).structure().root();

        assertThat(root.bodyStart()).isEqualTo(m.length);
        assertThat(header(m, root)).isEqualTo("Subject: x\nFrom: a@b.test");
        assertThat(Msg.parse(m).structure().envelope().subject()).contains("x");
    }

    @Test
    void emptyMessageHasAnEmptyEnvelopeAndDefaultStructure() {
        MessageStructure s = Msg.parse(new byte[0]).structure();

        assertThat(s.size()).isZero();
        assertThat(s.envelope()).isEqualTo(Envelope.EMPTY);
        assertThat(s.root()).isEqualTo(new Part(0, 0, 0, 0, ContentFields.DEFAULT, List.of(), java.util.Optional.empty()));
    }

    @Test
    void eightBitHeadersAreUtf8WhenValidElseLatin1() throws Exception {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write("Subject: Gr\u00fc\u00dfe \u65e5\u672c\n".getBytes(StandardCharsets.UTF_8));
        m.write("From: M\u00fcller <m@x.test>\n".getBytes(StandardCharsets.ISO_8859_1)); // 0xFC alone: not UTF-8
        m.write("\nbody\n".getBytes(StandardCharsets.US_ASCII));
        ParsedMessage p = Msg.parse(m.toByteArray());

        assertThat(p.structure().envelope().subject()).contains("Grüße 日本");
        assertThat(p.structure().envelope().from().getFirst().name()).contains("Müller");
        assertThat(p.headerText()).contains("Subject: Grüße 日本\n").contains("From: Müller <m@x.test>\n");
    }

    @Test
    void randomlyDamagedMessagesNeverThrowAndStayConsistent() {
        Random random = new Random(42);
        List<String> seeds = new java.util.ArrayList<>(MessageParserTest.ALL);
        CASES.forEach(c -> seeds.add(c.message()));
        String junk = "\r\n-:;\"<>=?@ \tb-\u00e9";
        for (int round = 0; round < 3000; round++) {
            StringBuilder sb = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int k = random.nextInt(6); k >= 0 && !sb.isEmpty(); k--) {
                int at = random.nextInt(sb.length());
                switch (random.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, junk.charAt(random.nextInt(junk.length())));
                    default -> sb.delete(at, Math.min(sb.length(), at + random.nextInt(20)));
                }
            }
            byte[] m = random.nextBoolean() ? crlf(sb.toString()) : lf(sb.toString());
            MessageStructure s = Msg.parse(m).structure(); // also checks size and the encode/decode round trip
            for (Part p : MessageParserTest.allParts(s.root())) {
                assertThat(p.end()).isLessThanOrEqualTo(m.length);
                p.children().forEach(c -> assertThat(c.end()).isLessThanOrEqualTo(p.end()));
            }
        }
    }
}
