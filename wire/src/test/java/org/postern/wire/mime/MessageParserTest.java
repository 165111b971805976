package org.postern.wire.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.wire.mime.Msg.body;
import static org.postern.wire.mime.Msg.crlf;
import static org.postern.wire.mime.Msg.header;
import static org.postern.wire.mime.Msg.lf;
import static org.postern.wire.mime.Msg.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static org.postern.wire.mime.SampleMessages.FORWARD;
import static org.postern.wire.mime.SampleMessages.MIXED;
import static org.postern.wire.mime.SampleMessages.TYPICAL;

class MessageParserTest {

    static final List<String> ALL = List.of(TYPICAL, MIXED, FORWARD);

    @Test
    void envelopeHoldsRawFieldsOfATypicalMessage() {
        Envelope e = Msg.parse(crlf(TYPICAL)).structure().envelope();

        assertThat(e.date()).contains("Mon, 7 Feb 1994 21:52:25 -0800 (PST)");
        assertThat(e.subject()).contains("=?utf-8?q?caf=C3=A9?= meeting folded"); // unfolded, not decoded
        assertThat(e.from()).containsExactly(addr("Fred Foobar", "foobar", "Blurdybloop.example"));
        assertThat(e.sender()).isEmpty();
        assertThat(e.replyTo()).isEmpty();
        assertThat(e.imapSender()).isEqualTo(e.from());
        assertThat(e.imapReplyTo()).isEqualTo(e.from());
        assertThat(e.to()).containsExactly(addr(null, "mooch", "owatagu.siam.edu.example"),
                addr("Doe, Jane", "jane", "example.com"));
        assertThat(e.cc()).containsExactly(EnvelopeAddress.groupStart("Team"), addr(null, "a", "example.com"),
                addr(null, "b", "example.com"), EnvelopeAddress.GROUP_END, addr(null, "c", "example.com"));
        assertThat(e.bcc()).isEmpty();
        assertThat(e.messageId()).contains("<B27397-0100000@Blurdybloop.example>");
        assertThat(e.inReplyTo()).contains("<parent@example.com>");
    }

    @Test
    void presentButEmptyFieldsAreEmptyStringsAndAbsentOnesAreNil() {
        Envelope e = Msg.parse(crlf("Subject:\nMessage-ID: \nTo:\n\nbody\n")).structure().envelope();

        assertThat(e.subject()).contains("");
        assertThat(e.messageId()).contains("");
        assertThat(e.date()).isEmpty();
        assertThat(e.inReplyTo()).isEmpty();
        assertThat(e.to()).isEmpty();
    }

    @Test
    void singleTextPartHasExactOffsetsSizeAndLines() {
        byte[] m = crlf(TYPICAL);
        MessageStructure s = Msg.parse(m).structure();
        Part root = s.root();

        assertThat(shape(root)).isEqualTo("text/plain");
        assertThat(root.content().params()).containsExactly(new Param("charset", "US-ASCII"));
        assertThat(root.content().encoding()).isEqualTo("7bit");
        assertThat(header(m, root)).startsWith("Return-Path:").endsWith("CHARSET=US-ASCII\r\n\r\n");
        assertThat(body(m, root)).isEqualTo("Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n");
        assertThat(root.bodySize()).isEqualTo(55);
        assertThat(root.lines()).isEqualTo(1);
        assertThat(s.size()).isEqualTo(m.length);
    }

    @Test
    void messageWithoutContentTypeIsPlainUsAscii() {
        Part root = Msg.parse(crlf("Subject: hi\n\nline one\nline two")).structure().root();

        assertThat(root.content()).isEqualTo(ContentFields.DEFAULT);
        assertThat(root.lines()).isEqualTo(2);
    }

    @Test
    void multipartMixedWithAlternativeAndBase64Attachment() {
        byte[] m = crlf(MIXED);
        MessageStructure s = Msg.parse(m).structure();
        Part root = s.root();

        assertThat(shape(root)).isEqualTo("multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf)");
        assertThat(root.content().param("boundary")).contains("outer");
        assertThat(body(m, root)).startsWith("This is a preamble.\r\n--outer\r\n").endsWith("--outer--\r\nepilogue\r\n");

        Part alternative = root.children().get(0);
        assertThat(header(m, alternative)).isEqualTo("Content-Type: multipart/alternative; boundary=inner\r\n\r\n");
        assertThat(body(m, alternative)).startsWith("--inner\r\n").endsWith("--inner--");

        Part plain = alternative.children().get(0);
        assertThat(header(m, plain)).isEqualTo(
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
        assertThat(body(m, plain)).isEqualTo("Gr=C3=BC=C3=9Fe, soft=\r\n break\r\ntwo");
        assertThat(plain.lines()).isEqualTo(3);
        assertThat(plain.content().encoding()).isEqualTo("quoted-printable");

        Part html = alternative.children().get(1);
        assertThat(body(m, html)).isEqualTo("<p>Hello &amp; <b>bye</b></p>");
        assertThat(html.lines()).isEqualTo(1);

        Part pdf = root.children().get(1);
        ContentFields c = pdf.content();
        assertThat(body(m, pdf)).isEqualTo("JVBERi0xLjQK\r\nAAAA");
        assertThat(pdf.bodySize()).isEqualTo(18);
        assertThat(c.encoding()).isEqualTo("base64");
        assertThat(c.params()).containsExactly(new Param("name", "report.pdf"));
        assertThat(c.disposition()).contains(new Disposition("attachment",
                List.of(new Param("filename", "report.pdf"), new Param("size", "12"))));
        assertThat(c.id()).contains("<pdf1@example.com>");
        assertThat(c.description()).contains("The report");
        assertThat(c.language()).containsExactly("en", "de");
        assertThat(c.location()).contains("http://example.com/report.pdf");
        assertThat(c.md5()).contains("Q2hlY2sgSW50ZWdyaXR5IQ==");
        assertThat(c.fileName()).contains("report.pdf");
    }

    @Test
    void attachedMessageHasItsOwnEnvelopeAndParts() {
        byte[] m = crlf(FORWARD);
        MessageStructure s = Msg.parse(m).structure();
        Part attached = s.root().children().get(1);

        assertThat(shape(s.root())).isEqualTo(
                "multipart/mixed(text/plain,message/rfc822[multipart/alternative(text/plain,text/html)])");
        EncapsulatedMessage inner = attached.message().orElseThrow();
        assertThat(inner.envelope().subject()).contains("inner subject");
        assertThat(inner.envelope().from()).containsExactly(addr("Inner Person", "inner", "example.org"));
        assertThat(inner.root().headerStart()).isEqualTo(attached.bodyStart());
        assertThat(inner.root().end()).isEqualTo(attached.end());
        assertThat(header(m, inner.root())).startsWith("From: \"Inner Person\"").endsWith("boundary=bb\r\n\r\n");
        assertThat(body(m, attached)).endsWith("--bb--\r\n");
        assertThat(attached.lines()).isEqualTo(13);
        assertThat(body(m, inner.root().children().get(0))).isEqualTo("inner text");
        assertThat(body(m, inner.root().children().get(1))).isEqualTo("<i>inner html</i>");
    }

    @Test
    void sectionNumbersFollowImapRules() {
        record Case(String message, int[] section, String expectedBody) {}
        List<Case> cases = List.of(
                new Case(TYPICAL, new int[] {1}, "Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n"),
                new Case(TYPICAL, new int[] {2}, null),
                new Case(TYPICAL, new int[] {1, 1}, null),
                new Case(MIXED, new int[] {1, 1}, "Gr=C3=BC=C3=9Fe, soft=\r\n break\r\ntwo"),
                new Case(MIXED, new int[] {1, 2}, "<p>Hello &amp; <b>bye</b></p>"),
                new Case(MIXED, new int[] {2}, "JVBERi0xLjQK\r\nAAAA"),
                new Case(MIXED, new int[] {3}, null),
                new Case(MIXED, new int[] {0}, null),
                new Case(MIXED, new int[] {2, 1}, null),
                new Case(FORWARD, new int[] {1}, "See attached."),
                new Case(FORWARD, new int[] {2, 1}, "inner text"),
                new Case(FORWARD, new int[] {2, 2}, "<i>inner html</i>"),
                new Case(FORWARD, new int[] {2, 3}, null),
                new Case(FORWARD, new int[] {1, 1}, null));
        for (Case c : cases) {
            byte[] m = crlf(c.message());
            Optional<Part> part = Msg.parse(m).structure().part(c.section());
            assertThat(part.map(p -> body(m, p))).as(java.util.Arrays.toString(c.section()))
                    .isEqualTo(Optional.ofNullable(c.expectedBody()));
        }
    }

    @Test
    void attachedSinglePartMessageIsItsOwnPartOne() {
        byte[] m = crlf("""
                Content-Type: message/rfc822

                Subject: inner

                just text
                """);
        MessageStructure s = Msg.parse(m).structure();

        assertThat(s.part(1)).contains(s.root());
        assertThat(s.part(1, 1).map(p -> body(m, p))).contains("just text\r\n");
        assertThat(s.part()).contains(s.root());
    }

    @Test
    void lineCountsMatchTheBodiesOfEveryPart() {
        for (String text : ALL) {
            for (byte[] m : List.of(crlf(text), lf(text))) {
                for (Part p : allParts(Msg.parse(m).structure().root())) {
                    String b = body(m, p);
                    long expected = b.chars().filter(ch -> ch == '\n').count()
                            + (b.isEmpty() || b.endsWith("\n") ? 0 : 1);
                    assertThat(p.lines()).as(shape(p) + " in\n" + text).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void crlfAndLfInputsGiveTheSameStructureApartFromOffsets() {
        for (String text : ALL) {
            byte[] withCr = crlf(text);
            byte[] withoutCr = lf(text);
            MessageStructure a = Msg.parse(withCr).structure();
            MessageStructure b = Msg.parse(withoutCr).structure();

            assertThat(a.envelope()).isEqualTo(b.envelope());
            List<Part> pa = allParts(a.root());
            List<Part> pb = allParts(b.root());
            assertThat(pa).hasSameSizeAs(pb);
            for (int i = 0; i < pa.size(); i++) {
                assertThat(pa.get(i).content()).isEqualTo(pb.get(i).content());
                assertThat(pa.get(i).lines()).isEqualTo(pb.get(i).lines());
                assertThat(header(withCr, pa.get(i)).replace("\r\n", "\n")).isEqualTo(header(withoutCr, pb.get(i)));
                assertThat(body(withCr, pa.get(i)).replace("\r\n", "\n")).isEqualTo(body(withoutCr, pb.get(i)));
            }
        }
    }

    @Test
    void partsAreNestedWithinTheirParents() {
        for (String text : ALL) {
            checkNesting(Msg.parse(crlf(text)).structure().root());
        }
    }

    @Test
    void streamAndByteArrayGiveTheSameResult() throws Exception {
        for (String text : ALL) {
            byte[] m = crlf(text);
            ParsedMessage fromStream = MessageParser.parse(new java.io.ByteArrayInputStream(m));
            // a stream that hands out one byte per read splits every line across buffer fills
            ParsedMessage trickled = MessageParser.parse(new java.io.FilterInputStream(new java.io.ByteArrayInputStream(m)) {
                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    return super.read(b, off, Math.min(len, 1));
                }
            });
            assertThat(fromStream).isEqualTo(MessageParser.parse(m));
            assertThat(trickled).isEqualTo(fromStream);
        }
    }

    private static void checkNesting(Part p) {
        for (Part c : p.children()) {
            assertThat(c.headerStart()).isGreaterThanOrEqualTo(p.bodyStart());
            assertThat(c.end()).isLessThanOrEqualTo(p.end());
            checkNesting(c);
        }
        p.message().ifPresent(m -> {
            assertThat(m.root().headerStart()).isEqualTo(p.bodyStart());
            assertThat(m.root().end()).isLessThanOrEqualTo(p.end());
            checkNesting(m.root());
        });
    }

    static List<Part> allParts(Part root) {
        List<Part> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Part p, List<Part> out) {
        out.add(p);
        p.children().forEach(c -> collect(c, out));
        p.message().ifPresent(m -> collect(m.root(), out));
    }

    static EnvelopeAddress addr(String name, String mailbox, String host) {
        return new EnvelopeAddress(Optional.ofNullable(name), Optional.empty(), Optional.of(mailbox), Optional.of(host));
    }
}
