package org.postern.wire.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MimeHeadersTest {

    static Param p(String name, String value) {
        return new Param(name, value);
    }

    @Test
    void parsesContentTypeAndParameters() {
        record Case(String field, String expectedType, List<Param> expectedParams) {}
        List<Case> cases = List.of(
                new Case("text/plain", "text/plain", List.of()),
                new Case("TEXT/HTML; CHARSET=UTF-8", "text/html", List.of(p("charset", "UTF-8"))),
                new Case("text/plain;charset=utf-8;format=flowed", "text/plain",
                        List.of(p("charset", "utf-8"), p("format", "flowed"))),
                new Case("text/plain; charset=\"utf-8\";", "text/plain", List.of(p("charset", "utf-8"))),
                new Case("text / plain ; charset = utf-8", "text/plain", List.of(p("charset", "utf-8"))),
                new Case("text/plain; charset=us-ascii (Plain text)", "text/plain", List.of(p("charset", "us-ascii"))),
                new Case("(comment) text/plain", "text/plain", List.of()),
                // a missing ';' between parameters
                new Case("text/plain; charset=utf-8 format=flowed", "text/plain",
                        List.of(p("charset", "utf-8"), p("format", "flowed"))),
                // unquoted value with spaces, quoted value with escapes, unclosed quote
                new Case("application/pdf; name=my report.pdf", "application/pdf", List.of(p("name", "my report.pdf"))),
                new Case("application/pdf; name=\"a \\\"b\\\" c.pdf\"", "application/pdf", List.of(p("name", "a \"b\" c.pdf"))),
                new Case("application/pdf; name=\"unclosed.pdf", "application/pdf", List.of(p("name", "unclosed.pdf"))),
                new Case("multipart/mixed; boundary=\"----=_Part_1;x\"", "multipart/mixed",
                        List.of(p("boundary", "----=_Part_1;x"))),
                // duplicated parameter: first wins; junk without '=' is skipped
                new Case("text/plain; charset=utf-8; charset=latin1; junk; x=y", "text/plain",
                        List.of(p("charset", "utf-8"), p("x", "y"))),
                // RFC 2231 §3 continuations, §4 charset and language
                new Case("message/external-body; access-type=URL; URL*0=\"ftp://\"; URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"",
                        "message/external-body", List.of(p("access-type", "URL"),
                        p("url", "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar"))),
                new Case("application/x-stuff; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A",
                        "application/x-stuff", List.of(p("title", "This is ***fun***"))),
                new Case("application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; "
                        + "title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"",
                        "application/x-stuff", List.of(p("title", "This is even more ***fun*** isn't it!"))),
                new Case("application/pdf; name*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.pdf", "application/pdf",
                        List.of(p("name", "naïve résumé.pdf"))),
                new Case("application/pdf; name*=iso-8859-1'de'M%FCller.pdf", "application/pdf",
                        List.of(p("name", "Müller.pdf"))),
                // sections out of order, and the extended form preferred over the plain one
                new Case("application/pdf; name*1=\"b.pdf\"; name*0=\"a\"", "application/pdf", List.of(p("name", "ab.pdf"))),
                new Case("application/pdf; name=\"plain.pdf\"; name*=utf-8''ext.pdf", "application/pdf",
                        List.of(p("name", "ext.pdf"))),
                new Case("application/pdf; name*=utf-8'broken", "application/pdf", List.of(p("name", "utf-8'broken"))),
                // encoded words in parameters are left for the client
                new Case("application/pdf; name=\"=?utf-8?B?w6kucGRm?=\"", "application/pdf",
                        List.of(p("name", "=?utf-8?B?w6kucGRm?="))));
        for (Case c : cases) {
            MimeHeaders.MediaType m = MimeHeaders.mediaType(c.field()).orElseThrow(() -> new AssertionError(c.field()));
            assertThat(m.type().toLowerCase() + "/" + m.subtype().toLowerCase()).as(c.field()).isEqualTo(c.expectedType());
            assertThat(m.params()).as(c.field()).isEqualTo(c.expectedParams());
        }
    }

    @Test
    void rejectsInvalidMediaTypes() {
        for (String invalid : List.of("", "text", "text/", "/plain", "; charset=utf-8", "text plain", "(only comment)")) {
            assertThat(MimeHeaders.mediaType(invalid)).as(invalid).isEmpty();
        }
    }

    @Test
    void parsesDispositionEncodingAndLanguage() {
        assertThat(MimeHeaders.disposition("ATTACHMENT; filename=\"a.txt\"; size=3"))
                .contains(new Disposition("attachment", List.of(p("filename", "a.txt"), p("size", "3"))));
        assertThat(MimeHeaders.disposition("inline")).contains(new Disposition("inline", List.of()));
        assertThat(MimeHeaders.disposition("; filename=x")).isEmpty();
        assertThat(MimeHeaders.encoding(" Base64 (comment)")).isEqualTo("base64");
        assertThat(MimeHeaders.encoding("")).isEqualTo("7bit");
        assertThat(MimeHeaders.encoding("\"Quoted-Printable\"")).isEqualTo("quoted-printable");
        assertThat(MimeHeaders.languages("en-US, (comment) de ,")).containsExactly("en-US", "de");
    }

    @Test
    void asciiParametersAreWrittenAsIsAndOthersInRfc2231Form() {
        Param ascii = p("filename", "a b.pdf");
        Param utf8 = p("filename", "naïve.pdf");

        assertThat(ascii.wireName()).isEqualTo("filename");
        assertThat(ascii.wireValue()).isEqualTo("a b.pdf");
        assertThat(utf8.wireName()).isEqualTo("filename*");
        assertThat(utf8.wireValue()).isEqualTo("utf-8''na%C3%AFve.pdf");
        // and they read back
        assertThat(MimeHeaders.params("; " + utf8.wireName() + "=" + utf8.wireValue(), 0)).containsExactly(utf8);
        assertThat(Param.find(List.of(utf8), "FILENAME")).isEqualTo(Optional.of("naïve.pdf"));
    }
}
