package org.postern.client.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageViewTest {
    @TempDir
    Path dir;

    private Path file(String name, String crlfText) throws IOException {
        return Files.write(dir.resolve(name), crlfText.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void headersAreDecoded() throws IOException {
        record Case(String header, String subject, List<String> from, List<String> to) {}
        for (Case c : List.of(
                new Case("Subject: plain\nFrom: ann@example.org\nTo: bob@example.org\n", "plain",
                        List.of("ann@example.org"), List.of("bob@example.org")),
                new Case("Subject: =?UTF-8?B?R3LDvMOfZQ==?= =?utf-8?q?_aus_K=C3=B6ln?=\n"
                                + "From: =?iso-8859-1?q?J=F6rg?= <jorg@example.org>\nTo: \"Doe, John\" <john@example.org>, x@y.z\n",
                        "Grüße aus Köln", List.of("Jörg <jorg@example.org>"),
                        List.of("\"Doe, John\" <john@example.org>", "x@y.z")),
                new Case("Subject: folded\n  over two lines\nFrom: team: ann@a.org, bob@b.org;\n", "folded  over two lines",
                        List.of("ann@a.org", "bob@b.org"), List.of()),
                new Case("From: john@example.org (John Doe)\n", "", List.of("John Doe <john@example.org>"), List.of()))) {
            MessageView v = MessageView.read(file("h.eml", c.header() + "\nbody\n"));
            assertThat(v.subject()).as(c.header()).isEqualTo(c.subject());
            assertThat(v.from()).as(c.header()).isEqualTo(c.from());
            assertThat(v.to()).as(c.header()).isEqualTo(c.to());
            assertThat(v.text()).isEqualTo("body");
        }
    }

    @Test
    void idsDateAndReferencesAreRead() throws IOException {
        MessageView v = MessageView.read(file("ids.eml", """
                Message-ID: <abc@example.org>
                In-Reply-To: <parent@example.org> (comment)
                References: <root@example.org>
                 <parent@example.org>
                Date: Tue, 5 Mar 2024 14:07:09 +0100
                Reply-To: list@example.org

                x
                """));
        assertThat(v.messageId()).contains("<abc@example.org>");
        assertThat(v.inReplyTo()).contains("<parent@example.org>");
        assertThat(v.references()).containsExactly("<root@example.org>", "<parent@example.org>");
        assertThat(v.date()).contains(OffsetDateTime.of(2024, 3, 5, 14, 7, 9, 0, ZoneOffset.ofHours(1)));
        assertThat(v.replyTo()).containsExactly("list@example.org");
        MessageView none = MessageView.read(file("none.eml", "Date: never\n\nx\n"));
        assertThat(none.messageId()).isEmpty();
        assertThat(none.date()).isEmpty();
        assertThat(none.references()).isEmpty();
    }

    @Test
    void aReferencesIdEndingAtTheHeaderByteLimitIsReadAndOneByteLaterItIsNot() throws IOException {
        String head = "Subject: x\nX-Pad: ";
        String references = "\nReferences: <tail@x>";
        int crlfBytes = head.length() + references.length() + 2; // each "\n" becomes two bytes
        String at = head + "p".repeat(MessageSummary.MAX_HEADER_BYTES - crlfBytes) + references + "\n\nbody\n";
        String past = head + "p".repeat(MessageSummary.MAX_HEADER_BYTES - crlfBytes + 1) + references + "\n\nbody\n";
        Path atFile = file("at.eml", at);
        assertThat(new String(Files.readAllBytes(atFile), StandardCharsets.US_ASCII).indexOf("<tail@x>") + 8)
                .isEqualTo(MessageSummary.MAX_HEADER_BYTES);
        assertThat(MessageView.read(atFile).references()).containsExactly("<tail@x>");
        assertThat(MessageView.read(file("past.eml", past)).references()).isEmpty();
    }

    @Test
    void textIsPlainPreferredElseHtmlAsTextWithCharsetAndTransferDecoded() throws IOException {
        record Case(String message, String text) {}
        for (Case c : List.of(
                new Case("Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
                        + "Gr=FC=DFe, a soft=\n break\n", "Grüße, a soft break"),
                new Case("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                        + "bGluZSDDqW4KbGluZSB0d28K\n", "line én\nline two"),
                new Case("Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/html\n\n"
                        + "<p>html &amp; text</p>\n--b\nContent-Type: text/plain\n\nthe plain one\n--b--\n", "the plain one"),
                new Case("Content-Type: text/html; charset=utf-8\n\n<html><style>x{}</style><body><p>Hello</p>"
                        + "<p>W&ouml;rld</p></body></html>\n", "Hello\nWörld"),
                new Case("no header at all, just a line\n", "no header at all, just a line"))) {
            assertThat(MessageView.read(file("t.eml", c.message())).text()).as(c.message()).isEqualTo(c.text());
        }
    }

    private static final String WITH_ATTACHMENTS = """
            From: ann@example.org
            Subject: files
            Content-Type: multipart/mixed; boundary="XX"

            --XX
            Content-Type: text/plain

            see attached
            --XX
            Content-Type: application/octet-stream
            Content-Disposition: attachment; filename*=utf-8''%E2%82%AC%20report.bin
            Content-Transfer-Encoding: base64

            AAECAwQ=
            --XX
            Content-Type: text/plain; name="../../etc/passwd"
            Content-Disposition: attachment

            root:x:0:0
            --XX
            Content-Type: image/png; name="=?utf-8?q?pic=C3=BCre.png?="
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --XX
            Content-Type: application/pdf
            Content-Disposition: attachment; filename="pic\u00fcre.png"
            Content-Transfer-Encoding: base64

            JVBERg==
            --XX
            Content-Type: message/rfc822

            Subject: inner
            From: x@example.org

            inner text
            --XX--
            """;

    @Test
    void attachmentsAreListedWithNamesTypesAndDecodedSizes() throws IOException {
        MessageView v = MessageView.read(file("a.eml", WITH_ATTACHMENTS));
        assertThat(v.text()).isEqualTo("see attached");
        assertThat(v.attachments()).containsExactly(
                new MessageView.Attachment(1, "€ report.bin", "application/octet-stream", 5),
                new MessageView.Attachment(2, "passwd", "text/plain", 10),
                new MessageView.Attachment(3, "picüre.png", "image/png", 8),
                new MessageView.Attachment(4, "picüre.png", "application/pdf", 4),
                new MessageView.Attachment(5, "message-5.eml", "message/rfc822", 49));
    }

    @Test
    void attachmentsAreSavedDecodedUnderSafeUniqueNamesWithoutOverwriting() throws IOException {
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("passwd"), "mine");
        List<Path> saved = MessageView.saveAttachments(file("a.eml", WITH_ATTACHMENTS), out);
        assertThat(saved).extracting(p -> p.getFileName().toString())
                .containsExactly("€ report.bin", "passwd (2)", "picüre.png", "picüre (2).png", "message-5.eml");
        assertThat(saved).allMatch(p -> p.getParent().equals(out));
        assertThat(Files.readAllBytes(saved.get(0))).containsExactly(0, 1, 2, 3, 4);
        assertThat(Files.readString(saved.get(1))).isEqualTo("root:x:0:0"); // RFC 2046 §5.1.1: the CRLF before the delimiter is not content
        assertThat(Files.readString(out.resolve("passwd"))).isEqualTo("mine");
        assertThat(Files.exists(dir.resolve("etc"))).isFalse();
        assertThat(Files.readString(saved.get(4))).startsWith("Subject: inner\r\n");
        try (var in = MessageView.openAttachment(file("a.eml", WITH_ATTACHMENTS), 4)) {
            assertThat(in.readAllBytes()).isEqualTo("%PDF".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aMessageWithoutAttachmentsHasNone() throws IOException {
        MessageView v = MessageView.read(file("p.eml", "Subject: x\n\nhello\n"));
        assertThat(v.attachments()).isEmpty();
        assertThat(MessageView.saveAttachments(dir.resolve("p.eml"), dir.resolve("none"))).isEmpty();
        assertThat(v.inReplyTo()).isEqualTo(Optional.empty());
    }

    @Test
    void textAtTheLimitIsKeptWholeAndOneCharacterMoreIsCut() throws IOException {
        String at = "a".repeat(MessageView.MAX_TEXT_CHARS);
        assertThat(MessageView.read(file("at.eml", "Subject: x\n\n" + at + "\n")).text()).isEqualTo(at);
        assertThat(MessageView.read(file("past.eml", "Subject: x\n\n" + at + "b\n")).text()).isEqualTo(at);
    }
}
