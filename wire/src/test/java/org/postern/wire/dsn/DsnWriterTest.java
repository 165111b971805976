package org.postern.wire.dsn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.wire.dsn.Reports.ORIGINAL;
import static org.postern.wire.dsn.Reports.addr;
import static org.postern.wire.dsn.Reports.bobFailed;
import static org.postern.wire.dsn.Reports.bytes;
import static org.postern.wire.dsn.Reports.carolDelayed;
import static org.postern.wire.dsn.Reports.failure;
import static org.postern.wire.dsn.Reports.write;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postern.wire.mime.MessageParser;
import org.postern.wire.mime.MessageStructure;
import org.postern.wire.mime.Part;
import org.postern.wire.mime.SevenBitDowngrade;

/** The notices as our own MIME parser sees them; the server module's tests read them with Angus Mail and Python. */
class DsnWriterTest {

    @Test
    void failureNoticeIsAMultipartReportOfTextStatusAndTheWholeOriginal() {
        byte[] dsn = write(failure(List.of(bobFailed()), Optional.empty(), bytes(ORIGINAL)));
        MessageStructure s = MessageParser.parse(dsn).structure();
        Part root = s.root();

        assertThat(root.type() + "/" + root.subtype()).isEqualTo("multipart/report");
        assertThat(root.content().param("report-type")).contains("delivery-status");
        assertThat(root.children()).extracting(p -> p.type() + "/" + p.subtype())
                .containsExactly("text/plain", "message/delivery-status", "message/rfc822");
        Part original = root.children().get(2);
        assertThat(slice(dsn, original.bodyStart(), original.end())).isEqualTo(ORIGINAL);  // byte-exact copy
        assertThat(original.message()).isPresent();
        assertThat(original.message().get().envelope().messageId()).contains("<orig.42@example.com>");
        assertThat(s.envelope().subject()).contains("Undelivered Mail Returned to Sender");
        assertThat(s.envelope().inReplyTo()).contains("<orig.42@example.com>");
        assertThat(s.envelope().messageId()).contains(Reports.MESSAGE_ID);
    }

    @Test
    void noticeHasEveryRequiredHeaderField() {
        byte[] dsn = write(failure(List.of(bobFailed()), Optional.empty(), bytes(ORIGINAL)));
        String header = header(dsn);

        assertThat(header).startsWith("""
                From: Mail Delivery System <MAILER-DAEMON@mx.postern.example>\r
                To: <alice@example.com>\r
                Subject: Undelivered Mail Returned to Sender\r
                Date: Tue, 3 Jun 2025 09:06:00 +0000\r
                Message-ID: <dsn.1@mx.postern.example>\r
                In-Reply-To: <orig.42@example.com>\r
                References: <orig.42@example.com>\r
                Auto-Submitted: auto-replied\r
                MIME-Version: 1.0\r
                Content-Type: multipart/report; report-type=delivery-status;\r
                \tboundary="=_dsn_""");
        assertThat(header).endsWith("\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n");
    }

    @Test
    void deliveryStatusHasThePerMessageAndPerRecipientFields() {
        RecipientResult bob = bobFailed().withOriginal(OriginalRecipient.rfc822("Bob+Shop@Example.NET"));
        byte[] dsn = write(failure(List.of(bob), Optional.empty(), bytes(ORIGINAL)));

        assertThat(partBody(dsn, 1)).isEqualTo("""
                Original-Envelope-Id: QQ314159\r
                Reporting-MTA: dns; mx.postern.example\r
                Arrival-Date: Sun, 1 Jun 2025 08:00:00 +0000\r
                \r
                Original-Recipient: rfc822; Bob+Shop@Example.NET\r
                Final-Recipient: rfc822; bob@example.net\r
                Action: failed\r
                Status: 5.1.1\r
                Remote-MTA: dns; mx.example.net\r
                Diagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: Recipient address\r
                 rejected: User unknown\r
                Last-Attempt-Date: Tue, 3 Jun 2025 09:05:30 +0000\r
                """);
        assertThat(partHeader(dsn, 1)).contains("Content-Type: message/delivery-status\r\n");
    }

    @Test
    void humanReadablePartNamesRecipientsHostsAndReplies() {
        byte[] dsn = write(failure(List.of(bobFailed()), Optional.empty(), bytes(ORIGINAL)));
        String text = partBody(dsn, 0);

        assertThat(partHeader(dsn, 0)).contains("Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable"); // the decoded Subject "Café" is not ASCII
        String decoded = flat(qpDecode(text));
        assertThat(decoded).contains("This is the mail system at mx.postern.example.",
                "could not be delivered", "permanent failure", "Subject: Café on Friday",
                "<bob@example.net>: delivery failed",
                "The host mx.example.net said: 550 5.1.1 <bob@example.net>: Recipient address",
                "Status 5.1.1, last attempt Tue, 3 Jun 2025 09:05:30 +0000.", "Your message is attached.");
    }

    @Test
    void retHdrsReturnsOnlyTheHeaderAsTextRfc822Headers() {
        byte[] dsn = write(failure(List.of(bobFailed()), Optional.of(Ret.HDRS), bytes(ORIGINAL)));
        Part third = MessageParser.parse(dsn).structure().root().children().get(2);

        assertThat(third.type() + "/" + third.subtype()).isEqualTo("text/rfc822-headers");
        String header = ORIGINAL.substring(0, ORIGINAL.indexOf("\r\n\r\n") + 2);
        assertThat(slice(dsn, third.bodyStart(), third.end())).isEqualTo(header);
        assertThat(flat(qpDecode(partBody(dsn, 0)))).contains("As you asked (RET=HDRS), only the header");
    }

    @Test
    void anOriginalOverTheSizeCapIsReturnedAsItsHeaderEvenWithRetFull() {
        long size = bytes(ORIGINAL).length;
        record Case(long cap, Optional<Ret> ret, String type) {}
        for (var c : List.of(
                new Case(size, Optional.of(Ret.FULL), "message/rfc822"),        // at the cap: whole
                new Case(size - 1, Optional.of(Ret.FULL), "text/rfc822-headers"), // one over: header
                new Case(size - 1, Optional.empty(), "text/rfc822-headers"),
                new Case(size, Optional.empty(), "message/rfc822"))) {
            byte[] dsn = write(DsnWriter.defaults().withMaxReturnedBytes(c.cap()),
                    failure(List.of(bobFailed()), c.ret(), bytes(ORIGINAL)));
            Part third = MessageParser.parse(dsn).structure().root().children().get(2);
            assertThat(third.type() + "/" + third.subtype()).as(c.toString()).isEqualTo(c.type());
        }
        byte[] dsn = write(DsnWriter.defaults().withMaxReturnedBytes(100), failure(List.of(bobFailed()), Optional.empty(), bytes(ORIGINAL)));
        assertThat(flat(qpDecode(partBody(dsn, 0)))).contains("larger than 100 octets, so only its header is attached");
    }

    @Test
    void delayNoticeSaysHowLongWeKeepTrying() {
        byte[] dsn = write(Reports.report(DeliveryReport.Kind.DELAY, List.of(carolDelayed()), Optional.empty(), bytes(ORIGINAL)));
        MessageStructure s = MessageParser.parse(dsn).structure();

        assertThat(s.envelope().subject()).contains("Delivery delayed: still trying");
        assertThat(partBody(dsn, 1)).contains("Final-Recipient: rfc822; carol@example.org\r\nAction: delayed\r\n"
                + "Status: 4.4.1\r\nRemote-MTA: dns; mx.example.org\r\nDiagnostic-Code: smtp; 421 4.4.1 connection timed out\r\n"
                + "Last-Attempt-Date: Tue, 3 Jun 2025 09:05:30 +0000\r\nWill-Retry-Until: Fri, 6 Jun 2025 08:00:00 +0000\r\n");
        String text = flat(qpDecode(partBody(dsn, 0)));
        assertThat(text).contains("only a", "warning", "do not need to send it again",
                "until Fri, 6 Jun 2025 08:00:00 +0000 (2 days 22 hours from now)", "<carol@example.org>: delivery delayed");
        assertThat(s.root().children().get(2).subtype()).isEqualTo("rfc822-headers"); // RFC 3461 §4.3: full only on failure
    }

    @Test
    void successNoticeReportsDeliveredAndRelayed() {
        byte[] dsn = write(Reports.sample("success"));
        assertThat(MessageParser.parse(dsn).structure().envelope().subject()).contains("Successful Mail Delivery Report");
        assertThat(partBody(dsn, 1)).contains("Final-Recipient: rfc822; bob@example.net\r\nAction: delivered\r\nStatus: 2.0.0\r\n",
                "Final-Recipient: rfc822; erin@example.net\r\nAction: relayed\r\nStatus: 2.0.0\r\n");
        assertThat(flat(qpDecode(partBody(dsn, 0)))).contains("<erin@example.net>: relayed to a host that sends no delivery notices");
    }

    @Test
    void hostileDiagnosticTextCannotAddFieldsPartsOrLines() {
        byte[] dsn = write(Reports.sample("hostile"));
        MessageStructure s = MessageParser.parse(dsn).structure();

        assertThat(s.root().children()).hasSize(3);
        String status = partBody(dsn, 1);
        assertThat(status).contains("Diagnostic-Code: smtp; 550 5.7.1 bad Bcc: victim@example.org X-Evil: 1 . MAIL\r\n"
                + " FROM:<x> Gr??e end\r\n");
        assertThat(status).isASCII();
        for (String line : new String(dsn, UTF_8).split("\r\n")) {
            assertThat(line).doesNotStartWith("Bcc:").doesNotStartWith("X-Evil:").isNotEqualTo(".").doesNotContain("\u0000");
        }
        assertNoBareLineEndings(dsn);
        assertThat(flat(qpDecode(partBody(dsn, 0)))).contains("550 5.7.1 bad Bcc: victim@example.org X-Evil: 1 . MAIL FROM:<x>",
                "Grüße end");
    }

    @Test
    void anEncodedSubjectCannotBreakTheTextPartsLines() {
        String o = ORIGINAL.replace("Subject: =?utf-8?q?Caf=C3=A9?= on Friday", "Subject: =?utf-8?q?x=0D=0A=2E=0D=0A--=3D=5Fdsn=5F_Bcc:_evil?=");
        byte[] dsn = write(failure(List.of(bobFailed()), Optional.empty(), bytes(o)));
        assertThat(partHeader(dsn, 0)).contains("Content-Transfer-Encoding: 7bit"); // all ASCII now
        // outside text is indented, so no line of it can start with "--" and look like a delimiter
        assertThat(partBody(dsn, 0)).contains("\r\n  Subject: x . --=_dsn_ Bcc: evil\r\n");
        assertThat(MessageParser.parse(dsn).structure().root().children()).hasSize(3);
    }

    @Test
    void hugeRepliesAreCutAndFoldedWithinTheLineLimit() {
        RecipientResult r = RecipientResult.failed(addr("bob@example.net"), "5.0.0", "mx.example.net",
                "550 " + "x".repeat(20_000), Reports.ATTEMPT);
        byte[] dsn = write(failure(List.of(r), Optional.empty(), bytes(ORIGINAL)));

        for (String line : new String(dsn, UTF_8).split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(998);
        String diagnostic = partBody(dsn, 1).replace("\r\n ", "");
        assertThat(diagnostic).contains("x".repeat(DsnLimits.MAX_DIAGNOSTIC_CHARS - 4) + "...").doesNotContain("x".repeat(DsnLimits.MAX_DIAGNOSTIC_CHARS));
    }

    @Test
    void eightBitOriginalIsDeclared8bitAndReported() throws IOException {
        DeliveryReport report = Reports.sample("eight-bit");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DsnWriter.Written w = DsnWriter.defaults().write(report, Reports.NOW, out);
        byte[] dsn = out.toByteArray();

        assertThat(w.eightBit()).isTrue();
        assertThat(w.smtpUtf8()).isFalse();
        assertThat(w.octets()).isEqualTo(dsn.length);
        assertThat(w.messageId()).startsWith("<dsn.").endsWith("@mx.postern.example>");
        assertThat(partHeader(dsn, 2)).contains("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n");
        assertThat(header(dsn)).contains("Content-Transfer-Encoding: 8bit");
    }

    @Test
    void anEightBitNoticeDowngradesTo7BitForAHostWithout8bitmime() throws IOException {
        byte[] dsn = write(Reports.sample("eight-bit"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SevenBitDowngrade.Result r = SevenBitDowngrade.downgrade(new java.io.ByteArrayInputStream(dsn), out);
        byte[] seven = out.toByteArray();

        assertThat(r.quotedPrintable()).isEqualTo(1);   // the original's text, inside message/rfc822
        assertThat(r.relabelled()).isEqualTo(2);        // the multipart/report and the message/rfc822 part
        for (byte b : seven) assertThat(b >= 0).isTrue();
        Part original = MessageParser.parse(seven).structure().root().children().get(2);
        assertThat(original.message().get().root().content().encoding()).isEqualTo("quoted-printable");
    }

    @Test
    void utf8HeaderAndAddressesUseTheGlobalTypes() throws IOException {
        DeliveryReport report = Reports.sample("utf8");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DsnWriter.Written w = DsnWriter.defaults().write(report, Reports.NOW, out);
        byte[] dsn = out.toByteArray();
        Part root = MessageParser.parse(dsn).structure().root();

        assertThat(w.smtpUtf8()).isTrue();
        assertThat(root.content().param("report-type")).contains("global-delivery-status");
        assertThat(root.children()).extracting(p -> p.type() + "/" + p.subtype())
                .containsExactly("text/plain", "message/global-delivery-status", "message/global");
        assertThat(root.children().get(2).message()).isPresent(); // RFC 6532 §3.7: parsed as a message
        assertThat(partBody(dsn, 1)).contains("Original-Recipient: utf-8; jörg@bücher.example\r\n"
                + "Final-Recipient: utf-8; jörg@bücher.example\r\n", "Diagnostic-Code: smtp; 550 5.1.1 unbekannter Empfänger");
        DsnWriter.Written hdrs = DsnWriter.defaults().write(new DeliveryReport(report.kind(), report.reportingMta(),
                report.returnPath(), report.envelopeId(), report.arrivalDate(), report.recipients(), Optional.of(Ret.HDRS),
                report.original()), Reports.NOW, new ByteArrayOutputStream());
        assertThat(hdrs.smtpUtf8()).isTrue();
    }

    @Test
    void originalWithBareLineEndingsIsCopiedWithCrlf() {
        String lf = ORIGINAL.replace("\r\n", "\n").replace("Alice\n", "Alice\rlast line without ending");
        byte[] dsn = write(failure(List.of(bobFailed()), Optional.empty(), bytes(lf)));

        assertNoBareLineEndings(dsn);
        Part third = MessageParser.parse(dsn).structure().root().children().get(2);
        assertThat(slice(dsn, third.bodyStart(), third.end()))
                .isEqualTo(ORIGINAL.replace("Alice\r\n", "Alice\r\nlast line without ending\r\n"));
    }

    @Test
    void hostileOriginalMessageIdIsNotCopied() {
        String o = ORIGINAL.replace("Message-ID: <orig.42@example.com>", "Message-ID: <a@b>\r\n Bcc: victim@example.org");
        byte[] dsn = write(failure(List.of(bobFailed()), Optional.empty(), bytes(o)));
        assertThat(header(dsn)).doesNotContain("In-Reply-To").doesNotContain("References").doesNotContain("victim");
    }

    @Test
    void theOriginalIsOpenedOnceAndClosed() throws IOException {
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        byte[] body = bytes(ORIGINAL);
        OriginalMessage original = new OriginalMessage(body.length, false, false, () -> {
            opened.incrementAndGet();
            return new java.io.ByteArrayInputStream(body) {
                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        });
        DeliveryReport r = new DeliveryReport(DeliveryReport.Kind.FAILURE, "mx.postern.example", addr("alice@example.com"),
                Optional.empty(), Reports.ARRIVAL, List.of(bobFailed()), Optional.empty(), original);
        DsnWriter.defaults().write(r, Reports.NOW, new ByteArrayOutputStream());
        assertThat(opened).hasValue(1);
        assertThat(closed).hasValue(1);
    }

    @Test
    void aLargeOriginalStreamsThroughWithoutBeingHeld() throws IOException {
        long size = 64L * 1024 * 1024;
        byte[] header = bytes("Subject: big\r\n\r\n");
        OriginalMessage original = new OriginalMessage(size, false, false, () -> new InputStream() {
            long pos;

            @Override
            public int read() {
                if (pos >= size) return -1;
                long p = pos++;
                return p < header.length ? header[(int) p] : (p % 78 == 77 ? '\n' : 'a');
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= size) return -1;
                int n = 0;
                while (n < len && pos < size) b[off + n++] = (byte) read();
                return n;
            }
        });
        DeliveryReport r = new DeliveryReport(DeliveryReport.Kind.FAILURE, "mx.postern.example", addr("alice@example.com"),
                Optional.empty(), Reports.ARRIVAL, List.of(bobFailed()), Optional.of(Ret.FULL), original);
        long[] counted = new long[1];
        DsnWriter.Written w = DsnWriter.defaults().withMaxReturnedBytes(Long.MAX_VALUE).write(r, Reports.NOW,
                new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        counted[0]++;
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        counted[0] += len;
                    }
                });
        // every LF became CRLF: one more octet per line
        assertThat(w.octets()).isEqualTo(counted[0]).isGreaterThan(size + size / 78);
    }

    @Test
    void reportsRefuseInconsistentInput() {
        RecipientResult delayed = carolDelayed();
        List<Runnable> bad = List.of(
                () -> failure(List.of(delayed), Optional.empty(), bytes(ORIGINAL)),                       // kind vs action
                () -> Reports.report(DeliveryReport.Kind.DELAY, List.of(bobFailed()), Optional.empty(), bytes(ORIGINAL)),
                () -> failure(List.of(), Optional.empty(), bytes(ORIGINAL)),
                () -> RecipientResult.failed(addr("a@b.example"), "2.0.0", "mx.example", "250 ok", Reports.ATTEMPT),
                () -> RecipientResult.delayed(addr("a@b.example"), "5.0.0", "mx.example", "550 no", Reports.ATTEMPT, Reports.UNTIL),
                () -> RecipientResult.failed(addr("a@b.example"), "5.0.0", "mx example", "550 no", Reports.ATTEMPT),
                () -> new DeliveryReport(DeliveryReport.Kind.FAILURE, "not a host!", addr("a@b.example"), Optional.empty(),
                        Reports.ARRIVAL, List.of(bobFailed()), Optional.empty(), OriginalMessage.of(bytes(ORIGINAL))),
                () -> writeWithId(DsnWriter.defaults(), failure(List.of(bobFailed()), Optional.empty(), bytes(ORIGINAL)), "no-brackets@x"));
        for (int i = 0; i < bad.size(); i++) {
            assertThatThrownBy(bad.get(i)::run).as("case " + i).isInstanceOf(IllegalArgumentException.class);
        }
        List<RecipientResult> many = new ArrayList<>();
        for (int i = 0; i <= DsnLimits.MAX_RECIPIENTS; i++) many.add(bobFailed());
        assertThatThrownBy(() -> failure(many, Optional.empty(), bytes(ORIGINAL))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(many.subList(0, DsnLimits.MAX_RECIPIENTS), Optional.empty(), bytes(ORIGINAL)).recipients())
                .hasSize(DsnLimits.MAX_RECIPIENTS);
    }

    @Test
    void configuredPostmasterAndZoneAreUsed() {
        DsnWriter w = DsnWriter.defaults().withPostmaster(addr("postmaster@example.org"), "Système de messagerie")
                .withZone(java.time.ZoneId.of("Europe/Paris"));
        String header = header(write(w, failure(List.of(bobFailed()), Optional.empty(), bytes(ORIGINAL))));
        assertThat(header).contains("From: =?UTF-8?B?U3lzdMOobWUgZGUgbWVzc2FnZXJpZQ==?= <postmaster@example.org>\r\n",
                "Date: Tue, 3 Jun 2025 11:06:00 +0200\r\n");
    }

    // --- helpers ---

    private static void writeWithId(DsnWriter w, DeliveryReport r, String messageId) {
        try {
            w.write(r, Reports.NOW, messageId, new ByteArrayOutputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertNoBareLineEndings(byte[] m) {
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\r') assertThat(i + 1 < m.length && m[i + 1] == '\n').as("CR at " + i).isTrue();
            if (m[i] == '\n') assertThat(i > 0 && m[i - 1] == '\r').as("LF at " + i).isTrue();
        }
    }

    static String slice(byte[] m, long from, long to) {
        return new String(Arrays.copyOfRange(m, (int) from, (int) to), UTF_8);
    }

    static String header(byte[] dsn) {
        Part root = MessageParser.parse(dsn).structure().root();
        return slice(dsn, root.headerStart(), root.bodyStart());
    }

    static String partHeader(byte[] dsn, int n) {
        Part p = MessageParser.parse(dsn).structure().root().children().get(n);
        return slice(dsn, p.headerStart(), p.bodyStart());
    }

    static String partBody(byte[] dsn, int n) {
        Part p = MessageParser.parse(dsn).structure().root().children().get(n);
        return slice(dsn, p.bodyStart(), p.end());
    }

    /** The text with its line breaks and indents as single spaces: what it says, however it is wrapped. */
    static String flat(String text) {
        return text.replaceAll("\\s+", " ");
    }

    /** Quoted-printable to text, enough for the notices' own text part. */
    static String qpDecode(String qp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = qp.replace("=\r\n", "");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(UTF_8);
    }
}
