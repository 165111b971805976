package org.postern.wire.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.wire.mime.Msg.crlf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchTextTest {

    @Test
    void headerTextHasOneDecodedUnfoldedFieldPerLine() {
        ParsedMessage p = Msg.parse(crlf(SampleMessages.TYPICAL));

        assertThat(p.headerText()).startsWith("Return-Path: <bounce@example.com>\n")
                .contains("\nSubject: café meeting folded\n")
                .contains("\nSubject: second subject is ignored\n") // search sees every field
                .contains("\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\n")
                .doesNotContain("\r");
        assertThat(p.bodyText()).isEqualTo("Hello Joe, do you think we can meet at 3:30 tomorrow?\n");
        assertThat(p.searchText()).isEqualTo(p.headerText() + "\n" + p.bodyText());
    }

    @Test
    void bodyTextDecodesTextPartsAndNamesAttachments() {
        String body = Msg.parse(crlf(SampleMessages.MIXED)).bodyText();

        assertThat(body).contains("Grüße, soft break\ntwo")   // quoted-printable with a soft line break
                .contains("Hello & bye")                     // HTML stripped, entity decoded
                .contains("report.pdf")                      // attachment file name
                .doesNotContain("JVBERi")                    // base64 attachment content is not text
                .doesNotContain("preamble")
                .doesNotContain("<p>");
    }

    @Test
    void attachedMessageHeadersAndTextAreBodyText() {
        ParsedMessage p = Msg.parse(crlf(SampleMessages.FORWARD));

        assertThat(p.bodyText()).contains("See attached.").contains("Subject: inner subject")
                .contains("From: \"Inner Person\" <inner@example.org>").contains("inner text").contains("inner html");
        assertThat(p.headerText()).doesNotContain("inner subject");
    }

    @Test
    void textPartsAreDecodedByTransferEncodingAndCharset() throws Exception {
        record Case(String contentType, String encoding, byte[] content, String expected) {}
        Charset latin1 = StandardCharsets.ISO_8859_1;
        List<Case> cases = List.of(
                new Case("text/plain; charset=utf-8", "base64", "w6kgZXN0w6kK".getBytes(latin1), "é esté\n"),
                new Case("text/plain; charset=iso-8859-1", "8bit", "caf\u00e9\n".getBytes(latin1), "café\n"),
                new Case("text/plain; charset=windows-1252", "quoted-printable", "=80 5\n".getBytes(latin1), "€ 5\n"),
                new Case("text/plain; charset=koi8-r", "8bit", "\u041f\u0440\u0438\u0432\u0435\u0442\n".getBytes("KOI8-R"), "Привет\n"),
                new Case("text/plain", "8bit", "na\u00efve\n".getBytes(StandardCharsets.UTF_8), "naïve\n"), // us-ascii lie
                new Case("text/plain; charset=x-unknown", "8bit", "caf\u00e9\n".getBytes(latin1), "café\n"),
                new Case("text/plain; charset=utf-8", "quoted-printable", "a=3Db =\nc= \nd\n=ZZ\n".getBytes(latin1),
                        "a=b cd\n=ZZ\n"),
                new Case("text/html; charset=utf-8", "7bit", ("<html><head><title>T</title><style>p{x:y}</style>"
                        + "<script>alert(1)</script></head><body><p>One&nbsp;&lt;two&gt;</p><div>3 &#233; &#x41;"
                        + " &unknown; & done</div></body></html>\n").getBytes(latin1), "One <two>\n3 é A &unknown; & done\n"),
                new Case("application/octet-stream", "8bit", "binary\n".getBytes(latin1), ""));
        for (Case c : cases) {
            ByteArrayOutputStream m = new ByteArrayOutputStream();
            m.write(("Content-Type: " + c.contentType() + "\r\nContent-Transfer-Encoding: " + c.encoding() + "\r\n\r\n")
                    .getBytes(latin1));
            m.write(c.content());
            assertThat(Msg.parse(m.toByteArray()).bodyText()).as(c.contentType() + " " + c.encoding())
                    .isEqualTo(c.expected());
        }
    }

    @Test
    void encodedFileNamesAreDecodedForSearch() {
        String m = """
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: application/pdf; name="=?utf-8?q?r=C3=A9sum=C3=A9?=.pdf"

                x
                --b
                Content-Type: image/png
                Content-Disposition: attachment; filename*=utf-8''photo%20%C3%A9t%C3%A9.png

                y
                --b--
                """;
        assertThat(Msg.parse(crlf(m)).bodyText()).isEqualTo("résumé.pdf\nphoto été.png\n");
    }
}
