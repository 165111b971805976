package org.postern.client.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageBuilderTest {
    private static final ZonedDateTime DATE = ZonedDateTime.of(2026, 12, 5, 13, 14, 15, 0, ZoneId.of("Europe/Paris"));

    @TempDir
    Path dir;

    private Path bytes(String name, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    private static MessageBuilder.Draft draft(String subject, String text, List<Path> attachments) {
        return new MessageBuilder.Draft("Jörg Müller <jorg@example.org>",
                List.of("\"Doe, John\" <john@example.com>", "bob@example.net"), List.of("Zoë <zoe@example.com>"),
                List.of("secret@example.com"), subject, text, attachments, Optional.empty(), Optional.empty(), List.of());
    }

    /** Every line ends in CRLF and is at most 998 characters (RFC 5322 §2.1.1). */
    private static void assertWireForm(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int line = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                assertThat(i > 0 && b[i - 1] == '\r').as("LF at %d has its CR", i).isTrue();
                line = 0;
            } else if (b[i] == '\r') {
                assertThat(i + 1 < b.length && b[i + 1] == '\n').as("CR at %d has its LF", i).isTrue();
            } else {
                line++;
                assertThat(line).as("line length at %d", i).isLessThanOrEqualTo(HeaderWriter.MAX_LINE);
            }
        }
        assertThat(b[b.length - 1]).isEqualTo((byte) '\n');
    }

    private static String header(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.ISO_8859_1);
        return s.substring(0, s.indexOf("\r\n\r\n") + 2);
    }

    @Test
    void aWrittenMessageReadsBackWithTheSameFieldsAndByteIdenticalAttachments() throws IOException {
        Path small = bytes("data.bin", 100_000, 1);
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        Path unicode = bytes("Überweisung März €.pdf", 3_000, 2);
        Path longName = bytes("n".repeat(150) + "é".repeat(20) + ".dat", 77, 3);
        String text = "Hello Zoë,\n\n" + "x".repeat(2_000) + "\nline with trailing space \n=equals= and --=_ boundary-ish\nbye";
        String subject = "Grüße: " + "very long subject ".repeat(10) + "日本語";
        Path out = dir.resolve("out.eml");
        String id = MessageBuilder.write(draft(subject, text, List.of(small, empty, unicode, longName)), DATE, out);

        assertWireForm(out);
        assertThat(id).matches("<[0-9a-f]{32}@example\\.org>");
        assertThat(header(out)).doesNotContain("secret@example.com").contains("Date: Sat, 5 Dec 2026 13:14:15 +0100\r\n");
        assertThat(header(out).chars().allMatch(c -> c < 0x80)).as("header is ASCII").isTrue();
        for (String line : header(out).split("\r\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(HeaderWriter.FOLD_AT);
            java.util.regex.Matcher w = java.util.regex.Pattern.compile("=\\?[^?]+\\?[BQ]\\?[^?]*\\?=").matcher(line);
            while (w.find()) assertThat(w.group().length()).as("RFC 2047 §2: encoded word").isLessThanOrEqualTo(75);
        }

        MessageView v = MessageView.read(out);
        assertThat(v.messageId()).contains(id);
        assertThat(v.date()).contains(DATE.toOffsetDateTime());
        assertThat(v.subject()).isEqualTo(subject);
        assertThat(v.from()).containsExactly("Jörg Müller <jorg@example.org>");
        assertThat(v.to()).containsExactly("\"Doe, John\" <john@example.com>", "bob@example.net");
        assertThat(v.cc()).containsExactly("Zoë <zoe@example.com>");
        assertThat(v.text()).isEqualTo(text);
        assertThat(v.attachments()).extracting(MessageView.Attachment::fileName).containsExactly(
                "data.bin", "empty.txt", "Überweisung März €.pdf", "n".repeat(150) + "é".repeat(20) + ".dat");
        assertThat(v.attachments()).extracting(MessageView.Attachment::size).containsExactly(100_000L, 0L, 3_000L, 77L);

        List<Path> saved = MessageView.saveAttachments(out, dir.resolve("saved"));
        List<Path> originals = List.of(small, empty, unicode, longName);
        for (int i = 0; i < saved.size(); i++) {
            assertThat(saved.get(i).getFileName().toString()).isEqualTo(originals.get(i).getFileName().toString());
            assertThat(Files.mismatch(saved.get(i), originals.get(i))).as(saved.get(i).toString()).isEqualTo(-1);
        }
    }

    @Test
    void angusMailReadsWhatWeWrite() throws Exception {
        Path data = bytes("Rechnung für März " + "sehr lang ".repeat(12) + ".bin", 50_000, 4);
        String text = "Grüße\n" + "y".repeat(1_500);
        Path out = dir.resolve("angus.eml");
        MessageBuilder.write(draft("Grüße aus Köln", text, List.of(data)), DATE, out);

        MimeMessage m;
        try (InputStream in = Files.newInputStream(out)) {
            m = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(m.getSubject()).isEqualTo("Grüße aus Köln");
        assertThat(((InternetAddress) m.getFrom()[0]).getPersonal()).isEqualTo("Jörg Müller");
        assertThat(((InternetAddress) m.getFrom()[0]).getAddress()).isEqualTo("jorg@example.org");
        assertThat(m.getRecipients(jakarta.mail.Message.RecipientType.TO)).extracting(a -> ((InternetAddress) a).getAddress())
                .containsExactly("john@example.com", "bob@example.net");
        assertThat(((InternetAddress) m.getRecipients(jakarta.mail.Message.RecipientType.TO)[0]).getPersonal()).isEqualTo("Doe, John");
        assertThat(m.getRecipients(jakarta.mail.Message.RecipientType.BCC)).isNull();
        assertThat(m.getSentDate().toInstant()).isEqualTo(DATE.toInstant());
        Multipart mp = (Multipart) m.getContent();
        assertThat(mp.getCount()).isEqualTo(2);
        assertThat(((String) mp.getBodyPart(0).getContent()).replace("\r\n", "\n")).isEqualTo(text + "\n");
        Part attachment = mp.getBodyPart(1);
        assertThat(attachment.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(attachment.getFileName()).isEqualTo(data.getFileName().toString()); // RFC 2231 continuations
        try (InputStream in = attachment.getInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(data));
        }
    }

    @Test
    void aShortAsciiMessageIsOneSevenBitPart() throws IOException {
        Path out = dir.resolve("plain.eml");
        MessageBuilder.write(new MessageBuilder.Draft("ann@example.org", List.of("bob@example.org"), List.of(),
                List.of(), "Hi", "Just text.", List.of(), Optional.empty(), Optional.empty(), List.of()), DATE, out);
        String s = Files.readString(out);
        assertThat(s).contains("Subject: Hi\r\n", "Content-Type: text/plain; charset=UTF-8\r\n",
                "Content-Transfer-Encoding: 7bit\r\n", "MIME-Version: 1.0\r\n").endsWith("\r\n\r\nJust text.\r\n");
        assertThat(s).doesNotContain("Cc:", "multipart");
    }

    @Test
    void userInputCannotAddHeaderFields() throws IOException {
        Path out = dir.resolve("inject.eml");
        MessageBuilder.write(new MessageBuilder.Draft("ann@example.org", List.of("bob@example.org"), List.of(),
                List.of(), "Hi\r\nBcc: victim@example.org", "x", List.of(), Optional.empty(),
                Optional.of("<a@b>\r\nX-Evil: 1"), List.of()), DATE, out);
        String header = header(out);
        assertThat(header).doesNotContain("\r\nBcc:", "\r\nX-Evil:").contains("In-Reply-To: <a@b>\r\n");
        assertThat(MessageView.read(out).subject()).isEqualTo("Hi Bcc: victim@example.org");
    }

    @Test
    void badInputGetsASentence() {
        record Case(MessageBuilder.Draft draft, String message) {}
        Path missing = dir.resolve("missing.pdf");
        for (Case c : List.of(
                new Case(new MessageBuilder.Draft("not an address", List.of(), List.of(), List.of(), "", "", List.of(),
                        Optional.empty(), Optional.empty(), List.of()), "From must be one address with a domain"),
                new Case(new MessageBuilder.Draft("a@b.c, d@e.f", List.of(), List.of(), List.of(), "", "", List.of(),
                        Optional.empty(), Optional.empty(), List.of()), "From must be one address with a domain"),
                new Case(new MessageBuilder.Draft("a@b.c", List.of("bob"), List.of(), List.of(), "", "", List.of(),
                        Optional.empty(), Optional.empty(), List.of()), "address without a domain: \"bob\""),
                new Case(new MessageBuilder.Draft("a@b.c", List.of("b@c.d"), List.of(), List.of(), "", "", List.of(missing),
                        Optional.empty(), Optional.empty(), List.of()), "cannot attach " + missing))) {
            assertThatThrownBy(() -> MessageBuilder.write(c.draft(), DATE, dir.resolve("x.eml")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c.message());
        }
    }

    @Test
    void replySetsRecipientsSubjectThreadingAndQuotes() throws IOException {
        Path original = Files.writeString(dir.resolve("orig.eml"), """
                From: Ann <ann@example.org>\r
                Reply-To: list@example.org\r
                To: me@example.com, carl@example.org\r
                Cc: Dora <dora@example.org>, ME <Me@Example.com>, list@example.org\r
                Subject: Plans\r
                Date: Tue, 5 Mar 2024 14:07:09 +0100\r
                Message-ID: <m2@example.org>\r
                References: <m0@example.org> <m1@example.org>\r
                \r
                first line\r
                > older\r
                """);
        MessageView v = MessageView.read(original);
        MessageBuilder.Draft one = MessageBuilder.reply(v, "Me <me@example.com>", false, "Sounds good.");
        assertThat(one.to()).containsExactly("list@example.org");
        assertThat(one.cc()).isEmpty();
        assertThat(one.subject()).isEqualTo("Re: Plans");
        assertThat(one.inReplyTo()).contains("<m2@example.org>");
        assertThat(one.references()).containsExactly("<m0@example.org>", "<m1@example.org>", "<m2@example.org>");
        assertThat(one.text()).isEqualTo("Sounds good.\n\nOn Tue, 5 Mar 2024 at 14:07, Ann <ann@example.org> wrote:\n"
                + "> first line\n>> older\n");
        MessageBuilder.Draft all = MessageBuilder.reply(v, "Me <me@example.com>", true, "");
        assertThat(all.cc()).containsExactly("carl@example.org", "Dora <dora@example.org>");

        Path written = dir.resolve("reply.eml");
        MessageBuilder.write(all, DATE, written);
        MessageView back = MessageView.read(written);
        assertThat(back.inReplyTo()).contains("<m2@example.org>");
        assertThat(back.references()).containsExactly("<m0@example.org>", "<m1@example.org>", "<m2@example.org>");
        assertThat(MessageBuilder.reply(back, "list@example.org", false, "").subject()).isEqualTo("Re: Plans");
    }

    /** Replying to a message I sent (from Sent) answers its recipients, not me; a note to myself stays with me. */
    @Test
    void aReplyToMyOwnMessageGoesToItsRecipients() throws IOException {
        Path sent = Files.writeString(dir.resolve("sent.eml"), """
                From: Me <ME@example.com>
                To: Ann <ann@example.org>, me@example.com
                Cc: carl@example.org
                Subject: Plans
                Message-ID: <s1@example.com>
                
                my text
                """);
        MessageView v = MessageView.read(sent);
        MessageBuilder.Draft one = MessageBuilder.reply(v, "Me <me@example.com>", false, "");
        assertThat(one.to()).containsExactly("Ann <ann@example.org>");
        assertThat(one.cc()).isEmpty();
        assertThat(MessageBuilder.reply(v, "Me <me@example.com>", true, "").cc()).containsExactly("carl@example.org");
        // someone else replying to the same message answers me, as before
        assertThat(MessageBuilder.reply(v, "ann@example.org", false, "").to()).containsExactly("Me <ME@example.com>");

        Path note = Files.writeString(dir.resolve("note.eml"), """
                From: me@example.com
                To: me@example.com
                Subject: note to self
                
                remember
                """);
        assertThat(MessageBuilder.reply(MessageView.read(note), "Me <me@example.com>", true, "").to())
                .containsExactly("me@example.com");
    }

    @Test
    void subjectsGetTheirPrefixOnce() {
        record Case(String subject, String reply, String forward) {}
        for (Case c : List.of(
                new Case("Plans", "Re: Plans", "Fwd: Plans"),
                new Case("Re: Plans", "Re: Plans", "Fwd: Re: Plans"),
                new Case("RE: Plans", "RE: Plans", "Fwd: RE: Plans"),
                new Case("Fwd: Plans", "Re: Fwd: Plans", "Fwd: Plans"),
                new Case("FW: Plans", "Re: FW: Plans", "FW: Plans"),
                new Case("", "Re: ", "Fwd: "))) {
            MessageView v = new MessageView(Optional.empty(), Optional.empty(), List.of("a@b.c"), List.of(), List.of(),
                    List.of(), c.subject(), Optional.empty(), List.of(), "", List.of());
            assertThat(MessageBuilder.reply(v, "me@x.y", false, "").subject()).as(c.subject()).isEqualTo(c.reply());
            assertThat(MessageBuilder.forward(v, dir, "me@x.y", List.of(), "").subject()).as(c.subject()).isEqualTo(c.forward());
        }
    }

    @Test
    void aForwardAttachesTheOriginalAsMessageRfc822() throws Exception {
        Path original = Files.writeString(dir.resolve("orig.eml"),
                "From: ann@example.org\nSubject: Original \u00e9\nMessage-ID: <o@example.org>\n\nthe original body\n");
        MessageView v = MessageView.read(original);
        MessageBuilder.Draft fwd = MessageBuilder.forward(v, original, "me@example.com", List.of("bob@example.org"), "FYI");
        Path out = dir.resolve("fwd.eml");
        MessageBuilder.write(fwd, DATE, out);
        assertWireForm(out);
        MessageView back = MessageView.read(out);
        assertThat(back.subject()).isEqualTo("Fwd: Original é");
        assertThat(back.text()).isEqualTo("FYI");
        assertThat(back.attachments()).extracting(MessageView.Attachment::contentType).containsExactly("message/rfc822");
        try (InputStream in = Files.newInputStream(out)) {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
            Part part = ((Multipart) m.getContent()).getBodyPart(1);
            assertThat(part.isMimeType("message/rfc822")).isTrue();
            MimeMessage inner = (MimeMessage) part.getContent();
            assertThat(inner.getMessageID()).isEqualTo("<o@example.org>");
            assertThat(((String) inner.getContent()).strip()).isEqualTo("the original body");
        }
    }

    @Test
    void aForwardedFileWithAnOverlongLineGoesAsBase64() throws IOException {
        Path original = Files.writeString(dir.resolve("long.eml"), "Subject: x\r\n\r\n" + "z".repeat(5_000) + "\r\n");
        Path out = dir.resolve("fwd.eml");
        MessageBuilder.write(MessageBuilder.forward(MessageView.read(original), original, "me@example.com",
                List.of("bob@example.org"), "see"), DATE, out);
        assertWireForm(out);
        List<Path> saved = MessageView.saveAttachments(out, dir.resolve("s"));
        assertThat(saved).hasSize(1);
        assertThat(Files.mismatch(saved.getFirst(), original)).isEqualTo(-1);
    }

    @Test
    void attachmentTypesAreGuessedFromTheFileElseOctetStream() throws IOException {
        record Case(String name, String type) {}
        for (Case c : List.of(
                new Case("doc.pdf", "application/pdf"),
                new Case("pic.png", "image/png"),
                new Case("notes.txt", "text/plain"),
                new Case("blob.zzqqx", "application/octet-stream"),
                new Case("no-extension", "application/octet-stream"))) {
            Path f = Files.write(dir.resolve(c.name()), new byte[] {1, 2, 3});
            assertThat(MessageBuilder.contentType(f)).as(c.name()).isEqualTo(c.type());
        }
    }
}
