package org.postern.server.imap;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.wire.imap.ImapLimits;

/**
 * FETCH of one realistic nested message over a socket: BODYSTRUCTURE and BODY (RFC 9051 §7.5.2), body sections
 * with RFC 3501 §6.4.5 part numbering, partials, the RFC822 macros and \Seen, BINARY (RFC 3516) with literal8 both
 * ways, and the parser's limit on the literal bytes of one command. Every expected answer is computed here from
 * the pieces the message was built of, never by the server's own classes.
 */
class ImapFetchStructureTest {
    static final String USER = ImapTestServer.USER, PASSWORD = ImapTestServer.PASSWORD;

    @TempDir
    Path dir;

    // ------------------------------------------------------------------------------------ the message

    /** Lines joined with CRLF, none after the last. */
    static String crlf(String... lines) {
        return String.join("\r\n", lines);
    }

    /** A header block: each field and then the blank line that ends it. */
    static String header(String... fields) {
        StringBuilder b = new StringBuilder();
        for (String f : fields) b.append(f).append("\r\n");
        return b.append("\r\n").toString();
    }

    /** body-fld-lines (RFC 9051 §7.5.2): line endings in the body, plus an unterminated last line. */
    static int lines(String body) {
        int n = 0;
        for (int i = body.indexOf("\r\n"); i >= 0; i = body.indexOf("\r\n", i + 2)) n++;
        return n + (body.isEmpty() || body.endsWith("\r\n") ? 0 : 1);
    }

    // part 1: multipart/alternative of a quoted-printable text/plain (a soft line break, =E9) and text/html
    static final String PLAIN_QP = crlf(
            "Caf=E9 prices went up 4% this quarter; the full table is in the attachm=",
            "ent.",
            "Regards, Alice");
    /** RFC 2045 §6.7: =E9 is the octet E9 (é in ISO-8859-1), "=" CRLF a soft line break that joins the lines. */
    static final byte[] PLAIN_DECODED = ("Caf\u00e9 prices went up 4% this quarter; the full table is in the attachment."
            + "\r\nRegards, Alice").getBytes(ISO_8859_1);
    static final String HTML_QP = "<p>Caf=E9 prices went up.</p>";
    static final String PLAIN_MIME = header("Content-Type: text/plain; charset=iso-8859-1",
            "Content-Transfer-Encoding: quoted-printable");
    static final String HTML_MIME = header("Content-Type: text/html; charset=iso-8859-1",
            "Content-Transfer-Encoding: quoted-printable");
    static final String PART1_MIME = header("Content-Type: multipart/alternative; boundary=alt-b");
    static final String PART1 = "--alt-b\r\n" + PLAIN_MIME + PLAIN_QP + "\r\n--alt-b\r\n" + HTML_MIME + HTML_QP + "\r\n--alt-b--";

    // part 2: a base64 attachment with every extension field RFC 9051 §7.5.2 lists for a single part
    static final byte[] ATTACHMENT = attachment();
    static final String PART2 = Base64.getMimeEncoder().encodeToString(ATTACHMENT);   // 76-character lines, CRLF
    static final String PART2_MIME = header(
            "Content-Type: application/octet-stream; name=\"numbers.bin\"",
            "Content-Transfer-Encoding: base64",
            "Content-ID: <numbers@example.org>",
            "Content-Description: raw numbers",
            "Content-Disposition: attachment; filename=\"numbers.bin\"",
            "Content-Language: en",
            "Content-Location: https://files.example.org/numbers.bin");

    /** 300 random octets with NULs at 0 and 100 only (so BINARY must answer a literal8) and a CRLF among them. */
    private static byte[] attachment() {
        byte[] b = new byte[300];
        new Random(20260203).nextBytes(b);
        for (int i = 0; i < b.length; i++) if (b[i] == 0) b[i] = 1;
        b[0] = 0;
        b[100] = 0;
        b[200] = '\r';
        b[201] = '\n';
        return b;
    }

    // part 3: message/rfc822 whose message is multipart/mixed of text/plain and an x-uuencode part
    static final String INNER_TEXT = crlf("Here are my numbers.", "See the second part.");
    static final String INNER_UU = crlf("begin 644 n.txt", "#86)C", "`", "end");
    static final String INNER_TEXT_MIME = header("Content-Type: text/plain; charset=us-ascii");
    static final String INNER_UU_MIME = header("Content-Type: application/octet-stream", "Content-Transfer-Encoding: x-uuencode");
    static final String INNER_HEADER = header(
            "Date: Mon, 02 Feb 2026 17:40:00 +0000",
            "From: Carol <carol@example.com>",
            "To: Alice Example <alice@example.org>",
            "Cc: dave@example.com",
            "Subject: Re: numbers",
            "Message-ID: <r1@example.com>",
            "In-Reply-To: <q0@example.org>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=inner-b");
    static final String INNER_BODY = "--inner-b\r\n" + INNER_TEXT_MIME + INNER_TEXT + "\r\n--inner-b\r\n" + INNER_UU_MIME + INNER_UU
            + "\r\n--inner-b--";
    static final String PART3 = INNER_HEADER + INNER_BODY;
    static final String PART3_MIME = header("Content-Type: message/rfc822", "Content-Description: forwarded reply",
            "Content-Disposition: inline");

    static final String HEADER = header(
            "Date: Tue, 03 Feb 2026 09:15:00 +0100",
            "From: Alice Example <alice@example.org>",
            "To: Bob <bob@example.net>",
            "Subject: Quarterly numbers",
            "Message-ID: <q1@example.org>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"outer-b\"");
    // RFC 2046 §5.1.1: the CRLF before each boundary line belongs to the boundary, not to the part before it
    static final String TEXT = "This is a multi-part message in MIME format.\r\n"
            + "--outer-b\r\n" + PART1_MIME + PART1
            + "\r\n--outer-b\r\n" + PART2_MIME + PART2
            + "\r\n--outer-b\r\n" + PART3_MIME + PART3
            + "\r\n--outer-b--\r\n";
    static final String MESSAGE = HEADER + TEXT;

    /**
     * The expected BODYSTRUCTURE ({@code extensible}) or BODY of {@link #MESSAGE}, written out from RFC 9051 §7.5.2
     * and §9: types, subtypes, encodings and parameter names upper case, values as the header has them; the parts
     * of a multipart without spaces between them; text/* with body-fld-lines; message/rfc822 with the envelope,
     * body and lines of the message it holds; BODY without any extension data.
     */
    static String structure(boolean extensible) {
        String none = extensible ? " NIL NIL NIL NIL" : "";   // body-fld-md5, -dsp, -lang, -loc
        String innerEnvelope = "(\"Mon, 02 Feb 2026 17:40:00 +0000\" \"Re: numbers\" "
                + "((\"Carol\" NIL \"carol\" \"example.com\")) "
                + "((\"Carol\" NIL \"carol\" \"example.com\")) "      // sender and reply-to default to from
                + "((\"Carol\" NIL \"carol\" \"example.com\")) "
                + "((\"Alice Example\" NIL \"alice\" \"example.org\")) "
                + "((NIL NIL \"dave\" \"example.com\")) "
                + "NIL \"<q0@example.org>\" \"<r1@example.com>\")";
        String innerBody = "("
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" " + INNER_TEXT.length() + " 2" + none + ")"
                + "(\"APPLICATION\" \"OCTET-STREAM\" NIL NIL NIL \"X-UUENCODE\" " + INNER_UU.length() + none + ")"
                + " \"MIXED\"" + (extensible ? " (\"BOUNDARY\" \"inner-b\") NIL NIL NIL" : "") + ")";
        return "("
                + "("
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"iso-8859-1\") NIL NIL \"QUOTED-PRINTABLE\" " + PLAIN_QP.length() + " 3" + none + ")"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"iso-8859-1\") NIL NIL \"QUOTED-PRINTABLE\" " + HTML_QP.length() + " 1" + none + ")"
                + " \"ALTERNATIVE\"" + (extensible ? " (\"BOUNDARY\" \"alt-b\") NIL NIL NIL" : "") + ")"
                + "(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" \"numbers.bin\") \"<numbers@example.org>\" \"raw numbers\""
                + " \"BASE64\" " + PART2.length()
                + (extensible ? " NIL (\"ATTACHMENT\" (\"FILENAME\" \"numbers.bin\")) (\"en\") \"https://files.example.org/numbers.bin\"" : "")
                + ")"
                + "(\"MESSAGE\" \"RFC822\" NIL NIL \"forwarded reply\" \"7BIT\" " + PART3.length() + " " + innerEnvelope + " "
                + innerBody + " " + lines(PART3) + (extensible ? " NIL (\"INLINE\" NIL) NIL NIL" : "") + ")"
                + " \"MIXED\"" + (extensible ? " (\"BOUNDARY\" \"outer-b\") NIL NIL NIL" : "") + ")";
    }

    /** APPENDs {@code message} to INBOX with a non-synchronizing literal (RFC 7888); checks the OK. */
    static void append(ImapClient c, byte[] message) throws IOException {
        String tag = c.nextTag();
        c.send(tag + " APPEND INBOX {" + message.length + "+}\r\n").send(message).send("\r\n");
        assertThat(c.until(tag).getLast()).matches(tag + " OK \\[APPENDUID \\d+ \\d+] APPEND completed");
    }

    /** A logged-in client with {@link #MESSAGE} appended as message 1 of INBOX, which it has selected. */
    static ImapClient withMessage(ImapTestServer server) throws IOException {
        ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
        append(c, MESSAGE.getBytes(US_ASCII));
        c.ok("SELECT INBOX");
        return c;
    }

    /** {@code "* 1 FETCH (" + name + " {n}" CRLF + content + ")"}: one item answered as a literal. */
    static String literal(String name, String content) {
        return "* 1 FETCH (" + name + " {" + content.length() + "}\r\n" + content + ")";
    }

    /** The concatenation of strings (as ASCII) and byte arrays. */
    static byte[] bytes(Object... pieces) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Object p : pieces) b.writeBytes(p instanceof byte[] a ? a : ((String) p).getBytes(US_ASCII));
        return b.toByteArray();
    }

    // ------------------------------------------------------------------------------------ the tests

    @Test
    void bodyStructureIsTheWholeNestedTreeWithExtensionDataAndBodyTheSameWithout() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = withMessage(server)) {
            String bodyStructure = structure(true), body = structure(false);
            assertThat(body).isNotEqualTo(bodyStructure).doesNotContain("BOUNDARY", "ATTACHMENT", "INLINE", "https:");
            assertThat(c.command("FETCH 1 BODYSTRUCTURE"))
                    .containsExactly("* 1 FETCH (BODYSTRUCTURE " + bodyStructure + ")", "a4 OK FETCH completed");
            assertThat(c.command("FETCH 1 BODY"))
                    .containsExactly("* 1 FETCH (BODY " + body + ")", "a5 OK FETCH completed");
            // RFC 9051 §6.4.5: BODY and BODYSTRUCTURE do not set \Seen
            assertThat(c.command("FETCH 1 FLAGS").getFirst()).isEqualTo("* 1 FETCH (FLAGS ())");
        }
    }

    @Test
    void bodySectionsOfNestedPartsAreTheStoredBytesAndOnlyNonPeekItemsSetSeen() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = withMessage(server)) {
            // RFC 3501 §6.4.5 numbering: 1.1 and 1.2 inside the alternative; 3 is the attached message whole,
            // 3.HEADER and 3.TEXT its header and body, 3.1 and 3.2 the parts of its own multipart
            String[][] sections = {
                    {"1.1", PLAIN_QP}, {"1.2", HTML_QP}, {"1.2.MIME", HTML_MIME}, {"2", PART2}, {"2.MIME", PART2_MIME},
                    {"3", PART3}, {"3.MIME", PART3_MIME}, {"3.HEADER", INNER_HEADER}, {"3.TEXT", INNER_BODY},
                    {"3.1", INNER_TEXT}, {"3.2", INNER_UU}, {"3.2.MIME", INNER_UU_MIME},
                    {"HEADER", HEADER}, {"TEXT", TEXT},
            };
            for (String[] s : sections) {
                assertThat(c.command("FETCH 1 BODY.PEEK[" + s[0] + "]").getFirst()).as(s[0])
                        .isEqualTo(literal("BODY[" + s[0] + "]", s[1]));
            }
            // the fields asked for, in the header's order, and the blank line; names echoed upper case
            assertThat(c.command("FETCH 1 BODY.PEEK[HEADER.FIELDS (Subject From)]").getFirst())
                    .isEqualTo(literal("BODY[HEADER.FIELDS (SUBJECT FROM)]",
                            "From: Alice Example <alice@example.org>\r\nSubject: Quarterly numbers\r\n\r\n"));
            assertThat(c.command("FETCH 1 BODY.PEEK[HEADER.FIELDS.NOT (Date Message-ID MIME-Version Content-Type)]").getFirst())
                    .isEqualTo(literal("BODY[HEADER.FIELDS.NOT (DATE MESSAGE-ID MIME-VERSION CONTENT-TYPE)]",
                            "From: Alice Example <alice@example.org>\r\nTo: Bob <bob@example.net>\r\nSubject: Quarterly numbers\r\n\r\n"));
            assertThat(c.command("FETCH 1 BODY.PEEK[3.HEADER.FIELDS (cc)]").getFirst())
                    .isEqualTo(literal("BODY[3.HEADER.FIELDS (CC)]", "Cc: dave@example.com\r\n\r\n"));
            // a part that does not exist
            assertThat(c.command("FETCH 1 BODY.PEEK[4]").getFirst()).isEqualTo("* 1 FETCH (BODY[4] NIL)");

            // RFC 9051 §6.4.5 partial: at most count octets from origin, named with the origin only; a range that
            // runs past the end is cut short, and an origin at the end gives the empty string
            int n = TEXT.length();
            assertThat(c.command("FETCH 1 BODY.PEEK[TEXT]<10.20>").getFirst())
                    .isEqualTo(literal("BODY[TEXT]<10>", TEXT.substring(10, 30)));
            assertThat(c.command("FETCH 1 BODY.PEEK[TEXT]<" + (n - 10) + ".11>").getFirst())
                    .isEqualTo(literal("BODY[TEXT]<" + (n - 10) + ">", TEXT.substring(n - 10)));
            assertThat(c.command("FETCH 1 BODY.PEEK[TEXT]<" + n + ".1>").getFirst())
                    .isEqualTo("* 1 FETCH (BODY[TEXT]<" + n + "> \"\")");
            assertThat(c.command("FETCH 1 BODY.PEEK[3.1]<5.3>").getFirst()).isEqualTo(literal("BODY[3.1]<5>", "are"));

            // RFC 3501 §6.4.5: RFC822.HEADER is BODY.PEEK[HEADER], under its own name; RFC822.SIZE the octets
            assertThat(c.command("FETCH 1 (RFC822.SIZE RFC822.HEADER)").getFirst()).isEqualTo("* 1 FETCH (RFC822.SIZE "
                    + MESSAGE.length() + " RFC822.HEADER {" + HEADER.length() + "}\r\n" + HEADER + ")");
            assertThat(c.command("FETCH 1 FLAGS").getFirst()).isEqualTo("* 1 FETCH (FLAGS ())");   // nothing above set \Seen

            // BODY[] sets \Seen and says so in the same response (RFC 9051 §6.4.5, §7.5.2)
            List<String> whole = c.command("FETCH 1 BODY[]");
            assertThat(whole).hasSize(2);
            assertThat(whole.getLast()).matches("a\\d+ OK FETCH completed");
            assertThat(whole.getFirst()).isEqualTo("* 1 FETCH (BODY[] {" + MESSAGE.length() + "}\r\n" + MESSAGE + " FLAGS (\\Seen))");
            // RFC822.TEXT is BODY[TEXT]; \Seen is already set, so no FLAGS this time
            assertThat(c.command("FETCH 1 RFC822.TEXT").getFirst()).isEqualTo(literal("RFC822.TEXT", TEXT));
            assertThat(server.messages(USER, "INBOX").getFirst().flags().toString()).isEqualTo("\\Seen");
        }
    }

    @Test
    void binaryDecodesLeafPartsAndSendsALiteral8WhenTheContentHasANul() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = withMessage(server)) {
            // RFC 3516 §4.2: the attachment with its base64 removed, the very octets that were encoded; they hold
            // NULs, so the answer is a literal8 (~{n})
            assertThat(c.commandBytes("FETCH 1 BINARY.PEEK[2]").getFirst())
                    .isEqualTo(bytes("* 1 FETCH (BINARY[2] ~{" + ATTACHMENT.length + "}\r\n", ATTACHMENT, ")"));
            assertThat(c.command("FETCH 1 BINARY.SIZE[2]").getFirst()).isEqualTo("* 1 FETCH (BINARY.SIZE[2] " + ATTACHMENT.length + ")");
            // quoted-printable removed: the soft line break joined, =E9 the single octet E9 of ISO-8859-1; no NUL,
            // so a plain literal
            assertThat(c.commandBytes("FETCH 1 BINARY.PEEK[1.1]").getFirst())
                    .isEqualTo(bytes("* 1 FETCH (BINARY[1.1] {" + PLAIN_DECODED.length + "}\r\n", PLAIN_DECODED, ")"));
            assertThat(c.command("FETCH 1 BINARY.SIZE[1.1]").getFirst())
                    .isEqualTo("* 1 FETCH (BINARY.SIZE[1.1] " + PLAIN_DECODED.length + ")");
            // 7bit inside the attached message: the bytes as stored
            assertThat(c.command("FETCH 1 BINARY.PEEK[3.1]").getFirst()).isEqualTo(literal("BINARY[3.1]", INNER_TEXT));
            // a partial of decoded content counts decoded octets; this one has no NUL in it, so a plain literal
            assertThat(c.commandBytes("FETCH 1 BINARY.PEEK[2]<1.99>").getFirst()).isEqualTo(
                    bytes("* 1 FETCH (BINARY[2]<1> {99}\r\n", java.util.Arrays.copyOfRange(ATTACHMENT, 1, 100), ")"));
            assertThat(c.command("FETCH 1 FLAGS").getFirst()).isEqualTo("* 1 FETCH (FLAGS ())");
        }
    }

    @Test
    void binaryOfAnUnknownTransferEncodingFailsWithUnknownCteAloneAndChangesNothing() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = withMessage(server)) {
            // RFC 3516 §4.3: "MUST fail the request and issue a NO response that contains the UNKNOWN-CTE response
            // code"; the FETCH response of the message is not sent, not even the items before the failing one
            for (String items : List.of("BINARY.PEEK[3.2]", "(FLAGS BINARY.SIZE[3.2])", "(UID BINARY.PEEK[1.1] BINARY.PEEK[3.2])")) {
                List<String> r = c.command("FETCH 1 " + items);
                assertThat(r).as(items).hasSize(1);
                assertThat(r.getFirst()).as(items).matches("a\\d+ NO \\[UNKNOWN-CTE] .+");
            }
            // nor does a failed non-PEEK BINARY set \Seen behind the client's back
            List<String> r = c.command("FETCH 1 BINARY[3.2]");
            assertThat(r).hasSize(1);
            assertThat(r.getFirst()).matches("a\\d+ NO \\[UNKNOWN-CTE] .+");
            assertThat(c.command("FETCH 1 FLAGS").getFirst()).isEqualTo("* 1 FETCH (FLAGS ())");
            assertThat(server.messages(USER, "INBOX").getFirst().flags().toString()).isEmpty();
            // the session goes on, and BODY[] of the same part is fine: it is not decoded
            assertThat(c.command("FETCH 1 BODY.PEEK[3.2]").getFirst()).isEqualTo(literal("BODY[3.2]", INNER_UU));
        }
    }

    @Test
    void appendWithALiteral8KeepsTheNulsOfABinaryPartForFetchBinary() throws IOException {
        byte[] raw = {0, 1, (byte) 0xff, 0, 'A', '\r', '\n', (byte) 0x80, 0, 0x7f};
        byte[] message = bytes(header("From: Alice Example <alice@example.org>", "Subject: binary", "MIME-Version: 1.0",
                        "Content-Type: multipart/mixed; boundary=bb"),
                "--bb\r\n", header("Content-Type: text/plain; charset=us-ascii"), "see the attachment",
                "\r\n--bb\r\n", header("Content-Type: application/octet-stream", "Content-Transfer-Encoding: binary"), raw,
                "\r\n--bb--\r\n");
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            // RFC 3516 §4.2: APPEND's message may be a literal8, which may hold NUL; synchronizing here
            c.send("t1 APPEND INBOX ~{" + message.length + "}\r\n");
            assertThat(c.line()).isEqualTo("+ Ready");
            c.send(message).send("\r\n");
            assertThat(c.line()).matches("t1 OK \\[APPENDUID \\d+ 1] APPEND completed");
            c.ok("SELECT INBOX");
            assertThat(c.command("FETCH 1 RFC822.SIZE").getFirst()).isEqualTo("* 1 FETCH (RFC822.SIZE " + message.length + ")");
            assertThat(c.commandBytes("FETCH 1 BINARY.PEEK[2]").getFirst())
                    .isEqualTo(bytes("* 1 FETCH (BINARY[2] ~{" + raw.length + "}\r\n", raw, ")"));
            assertThat(c.command("FETCH 1 BINARY.SIZE[2]").getFirst()).isEqualTo("* 1 FETCH (BINARY.SIZE[2] " + raw.length + ")");
            assertThat(c.commandBytes("FETCH 1 BINARY.PEEK[]").getFirst())
                    .isEqualTo(bytes("* 1 FETCH (BINARY[] ~{" + message.length + "}\r\n", message, ")"));
        }
    }

    /** {@code TEXT {size+}} CRLF and size octets: one SEARCH key whose string is a non-synchronizing literal. */
    private static String textKey(long size) {
        return " TEXT {" + size + "+}\r\n" + "x".repeat((int) size);
    }

    @Test
    void literalsOfOneCommandMayTotalTheLimitAndOneOctetMoreIsBadTooBigBeforeTheBytesAreSent() throws IOException {
        // ImapLexer charges every literal of a command (APPEND's message excepted) to one budget; each literal is
        // also bounded by MAX_LITERAL, so the total takes several: ten of 100 KiB and one of the remainder
        long each = ImapLimits.MAX_LITERAL, total = ImapLimits.MAX_LITERALS_TOTAL;
        int full = (int) (total / each);
        long last = total - full * each;
        assertThat(full).isEqualTo(10);
        assertThat(last).isEqualTo(24 * 1024);
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            append(c, MESSAGE.getBytes(US_ASCII));
            c.ok("SELECT INBOX");
            String first = textKey(each).repeat(full);
            // at the limit: the last (synchronizing) literal is asked for, and the search runs
            c.send("t1 SEARCH" + first + " TEXT {" + last + "}\r\n");
            assertThat(c.line()).isEqualTo("+ Ready");
            c.send("x".repeat((int) last) + "\r\n");
            assertThat(c.until("t1")).containsExactly("* SEARCH", "t1 OK SEARCH completed");
            // one octet more: refused before the continuation, so the client never sends it
            c.send("t2 SEARCH" + first + " TEXT {" + (last + 1) + "}\r\n");
            assertThat(c.line()).isEqualTo("t2 BAD [TOOBIG] literals of this command larger than " + total + " bytes together");
            assertThat(c.tagged("NOOP")).isEqualTo("a4 OK done");
            // the same budget holds for a key that matches: a command under it still works
            assertThat(c.command("SEARCH TEXT {7+}\r\nnumbers")).containsExactly("* SEARCH 1", "a5 OK SEARCH completed");
        }
    }

    @Test
    void aNonSynchronizingLiteralPastTheCommandTotalEndsTheConnection() throws IOException {
        long each = ImapLimits.MAX_LITERAL, total = ImapLimits.MAX_LITERALS_TOTAL;
        int full = (int) (total / each);
        long last = total - full * each;
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            // the client is already sending the octets the server will not read: BYE and close (ImapLimits)
            c.send("t1 SEARCH" + textKey(each).repeat(full) + " TEXT {" + (last + 1) + "+}\r\n");
            assertThat(c.line()).isEqualTo("* BYE [TOOBIG] literals of this command larger than " + total + " bytes together, closing");
            assertThat(c.closed()).isTrue();
        }
    }
}
