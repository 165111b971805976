package org.postern.wire.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.wire.imap.ImapWire.responses;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static org.postern.wire.mime.SampleMessages.FORWARD;
import static org.postern.wire.mime.SampleMessages.MIXED;
import static org.postern.wire.mime.SampleMessages.TYPICAL;
import org.postern.wire.mime.Envelope;
import org.postern.wire.mime.EnvelopeAddress;
import org.postern.wire.mime.MessageParser;
import org.postern.wire.mime.MessageStructure;

class ImapStructuresTest {

    /** The message of RFC 9051 §7.5.2's FETCH example, with a body of its size: 3028 octets in 92 lines. */
    static final String RFC9051_EXAMPLE = """
            Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)
            From: Terry Gray <gray@cac.washington.edu>
            Subject: IMAP4rev2 WG mtg summary and minutes
            To: imap@cac.washington.edu
            cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>
            Message-Id: <B27397-0100000@cac.washington.edu>
            MIME-Version: 1.0
            Content-Type: TEXT/PLAIN; CHARSET=US-ASCII

            """ + ("x".repeat(31) + "\n").repeat(84) + ("y".repeat(30) + "\n").repeat(8);

    private static MessageStructure parse(String lfText) {
        return MessageParser.parse(lfText.replace("\n", "\r\n")).structure();
    }

    private static String write(boolean utf8, ImapWriter.Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImapWriter w = new ImapWriter(out);
        if (utf8) w.enableUtf8();
        w.untagged(body);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String envelope(MessageStructure s) throws IOException {
        return write(false, r -> ImapStructures.envelope(r, s.envelope()));
    }

    private static String body(MessageStructure s) throws IOException {
        return write(false, r -> ImapStructures.body(r, s.root()));
    }

    private static String bodyStructure(MessageStructure s) throws IOException {
        return write(false, r -> ImapStructures.bodyStructure(r, s.root()));
    }

    @Test
    void writesTheFetchExampleOfRfc9051() throws IOException {
        MessageStructure s = parse(RFC9051_EXAMPLE);
        String line = write(false, r -> {
            r.number(12).atom("FETCH").open().atom("ENVELOPE");
            ImapStructures.envelope(r, s.envelope());
            r.atom("BODY");
            ImapStructures.body(r, s.root());
            r.close();
        });
        // RFC 9051 §7.5.2, except that its example puts a space between the two Cc addresses, which the grammar
        // (env-cc = "(" 1*address ")") does not allow and Dovecot does not write
        assertThat(line).isEqualTo("* 12 FETCH (ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
                + "\"IMAP4rev2 WG mtg summary and minutes\" "
                + "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                + "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                + "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                + "((NIL NIL \"imap\" \"cac.washington.edu\")) "
                + "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) "
                + "NIL NIL \"<B27397-0100000@cac.washington.edu>\") "
                + "BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n");
        assertThat(bodyStructure(s))
                .isEqualTo("* (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92 NIL NIL NIL NIL)\r\n");
    }

    @Test
    void writesGroupsAsStartMembersEndAndDefaultsSenderAndReplyToToFrom() throws IOException {
        assertThat(envelope(parse(TYPICAL))).isEqualTo("* (\"Mon, 7 Feb 1994 21:52:25 -0800 (PST)\" "
                + "\"=?utf-8?q?caf=C3=A9?= meeting folded\" "
                + "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
                + "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
                + "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) "
                + "((NIL NIL \"mooch\" \"owatagu.siam.edu.example\")(\"Doe, Jane\" NIL \"jane\" \"example.com\")) "
                + "((NIL NIL \"Team\" NIL)(NIL NIL \"a\" \"example.com\")(NIL NIL \"b\" \"example.com\")"
                + "(NIL NIL NIL NIL)(NIL NIL \"c\" \"example.com\")) "
                + "NIL \"<parent@example.com>\" \"<B27397-0100000@Blurdybloop.example>\")\r\n");
    }

    @Test
    void writesEmptyAndAbsentEnvelopeFieldsAsEmptyStringsAndNil() throws IOException {
        MessageStructure s = parse("Subject:\nMessage-ID: \nTo:\n\nbody\n");
        assertThat(envelope(s)).isEqualTo("* (NIL \"\" NIL NIL NIL NIL NIL NIL NIL \"\")\r\n");
    }

    @Test
    void writesNestedMultipartsWithAllExtensionData() throws IOException {
        MessageStructure s = parse(MIXED);
        assertThat(body(s)).isEqualTo("* (("
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 35 3)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 29 1) \"ALTERNATIVE\")"
                + "(\"APPLICATION\" \"PDF\" (\"NAME\" \"report.pdf\") \"<pdf1@example.com>\" \"The report\" \"BASE64\" 18)"
                + " \"MIXED\")\r\n");
        assertThat(bodyStructure(s)).isEqualTo("* (("
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 35 3 NIL NIL NIL NIL)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 29 1 NIL NIL NIL NIL)"
                + " \"ALTERNATIVE\" (\"BOUNDARY\" \"inner\") NIL NIL NIL)"
                + "(\"APPLICATION\" \"PDF\" (\"NAME\" \"report.pdf\") \"<pdf1@example.com>\" \"The report\" \"BASE64\" 18"
                + " \"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"ATTACHMENT\" (\"FILENAME\" \"report.pdf\" \"SIZE\" \"12\"))"
                + " (\"en\" \"de\") \"http://example.com/report.pdf\")"
                + " \"MIXED\" (\"BOUNDARY\" \"outer\") NIL NIL NIL)\r\n");
    }

    @Test
    void writesAnAttachedMessageWithItsEnvelopeStructureAndLines() throws IOException {
        MessageStructure s = parse(FORWARD);
        String innerEnvelope = "(NIL \"inner subject\" "
                + "((\"Inner Person\" NIL \"inner\" \"example.org\")) "
                + "((\"Inner Person\" NIL \"inner\" \"example.org\")) "
                + "((\"Inner Person\" NIL \"inner\" \"example.org\")) NIL NIL NIL NIL NIL)";
        // text/plain without a charset is given charset us-ascii (RFC 2046 §4.1.2), as Dovecot does; the attached
        // message is 224 octets in 13 lines, from its From line to "--bb--" CRLF (the CRLF before "--b--"
        // belongs to that boundary, RFC 2046 §5.1.1)
        assertThat(body(s)).isEqualTo("* ("
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 13 1)"
                + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 224 " + innerEnvelope + " "
                + "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 1)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 17 1) \"ALTERNATIVE\") 13)"
                + " \"MIXED\")\r\n");
        assertThat(bodyStructure(s)).isEqualTo("* ("
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 13 1 NIL NIL NIL NIL)"
                + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 224 " + innerEnvelope + " "
                + "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 1 NIL NIL NIL NIL)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 17 1 NIL NIL NIL NIL)"
                + " \"ALTERNATIVE\" (\"BOUNDARY\" \"bb\") NIL NIL NIL) 13 NIL NIL NIL NIL)"
                + " \"MIXED\" (\"BOUNDARY\" \"b\") NIL NIL NIL)\r\n");
    }

    @Test
    void writesAMessagePartThatWasNotParsedAsABasicBody() throws IOException {
        MessageStructure s = parse("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: message/rfc822
                Content-Transfer-Encoding: base64

                U3ViamVjdDogaGkNCg0KYm9keQ0K
                --b--
                """);
        assertThat(bodyStructure(s)).isEqualTo("* ("
                + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"BASE64\" 28 NIL NIL NIL NIL)"
                + " \"MIXED\" (\"BOUNDARY\" \"b\") NIL NIL NIL)\r\n");
    }

    @Test
    void putsAnEmptyTextPartInAMultipartWhosePartsWereNeverFound() throws IOException {
        MessageStructure s = parse("Content-Type: multipart/mixed; boundary=never\n\nno boundary here\n");
        assertThat(body(s)).isEqualTo("* ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 0 0)"
                + " \"MIXED\")\r\n");
        assertThat(bodyStructure(s)).isEqualTo("* ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 0 0"
                + " NIL NIL NIL NIL) \"MIXED\" (\"BOUNDARY\" \"never\") NIL NIL NIL)\r\n");
    }

    @Test
    void encodesEightBitParametersPerRfc2231UnlessTheClientAcceptsUtf8() throws IOException {
        MessageStructure s = parse("""
                Content-Type: application/pdf
                Content-Disposition: attachment; filename*=utf-8''Gr%C3%BC%C3%9Fe.pdf

                x
                """);
        assertThat(write(false, r -> ImapStructures.bodyStructure(r, s.root()))).isEqualTo(
                "* (\"APPLICATION\" \"PDF\" NIL NIL NIL \"7BIT\" 3 NIL"
                        + " (\"ATTACHMENT\" (\"FILENAME*\" \"utf-8''Gr%C3%BC%C3%9Fe.pdf\")) NIL NIL)\r\n");
        assertThat(write(true, r -> ImapStructures.bodyStructure(r, s.root()))).isEqualTo(
                "* (\"APPLICATION\" \"PDF\" NIL NIL NIL \"7BIT\" 3 NIL"
                        + " (\"ATTACHMENT\" (\"FILENAME\" \"Grüße.pdf\")) NIL NIL)\r\n");
    }

    @Test
    void sendsUtf8HeaderValuesAsLiteralsUntilTheClientAcceptsUtf8() throws IOException {
        MessageStructure s = parse("Subject: Grüße\nFrom: Jörg <j@example.com>\n\nx\n");
        String jorg = "(({5}\r\nJörg NIL \"j\" \"example.com\"))";
        assertThat(write(false, r -> ImapStructures.envelope(r, s.envelope()))).isEqualTo(
                "* (NIL {7}\r\nGrüße " + jorg + " " + jorg + " " + jorg + " NIL NIL NIL NIL NIL)\r\n");
        assertThat(write(true, r -> ImapStructures.envelope(r, s.envelope()))).isEqualTo(
                "* (NIL \"Grüße\" ((\"Jörg\" NIL \"j\" \"example.com\")) ((\"Jörg\" NIL \"j\" \"example.com\"))"
                        + " ((\"Jörg\" NIL \"j\" \"example.com\")) NIL NIL NIL NIL NIL)\r\n");
    }

    @Test
    void headerValuesWithCrlfCannotForgeResponses() throws IOException {
        String evil = "hi\r\n* OK [ALERT] hacked\r\nA1 OK done";
        EnvelopeAddress evilName = new EnvelopeAddress(Optional.of(evil), Optional.empty(), Optional.of("x"),
                Optional.of("example.com"));
        Envelope e = new Envelope(Optional.empty(), Optional.of(evil), List.of(evilName), List.of(), List.of(),
                List.of(), List.of(), List.of(), Optional.empty(), Optional.of("<" + evil + ">"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImapWriter w = new ImapWriter(out);
        w.untagged(r -> {
            r.number(1).atom("FETCH").open().atom("ENVELOPE");
            ImapStructures.envelope(r, e);
            r.close();
        });
        w.tagged("A1", ImapWriter.Condition.OK, "FETCH completed");
        String lit = "{" + evil.length() + "}\r\n" + evil;
        String addr = "((" + lit + " NIL \"x\" \"example.com\"))";
        assertThat(responses(out)).containsExactly(
                "* 1 FETCH (ENVELOPE (NIL " + lit + " " + addr + " " + addr + " " + addr
                        + " NIL NIL NIL NIL {" + (evil.length() + 2) + "}\r\n<" + evil + ">))",
                "A1 OK FETCH completed");
    }
}
