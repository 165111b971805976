package org.postern.wire.dsn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.net.PythonScript;
import org.postern.wire.address.EmailAddress;

/**
 * Notices from {@link DsnWriter} read by two parsers that are not ours: Eclipse Angus Mail and Python's
 * {@code email} package (skipped without python3). Both must see the multipart/report with its three parts,
 * every required field, the original (whole or header), and nothing that hostile reply text tried to add.
 */
class DsnInteropTest {
    static final Instant ARRIVAL = Instant.parse("2025-06-01T08:00:00Z");
    static final Instant ATTEMPT = Instant.parse("2025-06-03T09:05:30Z");
    static final Instant NOW = Instant.parse("2025-06-03T09:06:00Z");
    static final Instant UNTIL = Instant.parse("2025-06-06T08:00:00Z");

    static final String ORIGINAL = """
            Received: from client.example.com by mx.postern.example; Sun, 1 Jun 2025 08:00:00 +0000
            From: Alice <alice@example.com>
            To: Bob <bob@example.net>
            Subject: =?utf-8?q?Caf=C3=A9?= on Friday
            Date: Sun, 1 Jun 2025 09:59:58 +0200
            Message-ID: <orig.42@example.com>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Shall we meet at the café?
            """.replace("\n", "\r\n");

    static final String HOSTILE_REPLY = "550 5.7.1 bad\r\nBcc: victim@example.org\nX-Evil: 1\r\n\r\n--=_dsn_\r\nGrüße \u0000 end";

    record Sample(String name, DeliveryReport report, DsnWriter writer, String thirdType) {}

    static EmailAddress addr(String s) {
        return EmailAddress.parse(s, true);
    }

    static DeliveryReport report(DeliveryReport.Kind kind, List<RecipientResult> recipients, Optional<Ret> ret, String original) {
        return new DeliveryReport(kind, "mx.postern.example", addr("alice@example.com"), Optional.of(new EnvelopeId("QQ314159")),
                ARRIVAL, recipients, ret, OriginalMessage.of(original.getBytes(UTF_8)));
    }

    static List<Sample> samples() {
        RecipientResult bob = RecipientResult.failed(addr("bob@example.net"), "5.1.1", "mx.example.net",
                "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown", ATTEMPT)
                .withOriginal(OriginalRecipient.parse("rfc822;Bob+2BShop@example.net"));
        RecipientResult carol = RecipientResult.delayed(addr("carol@example.org"), "4.4.1", "mx.example.org",
                "421 4.4.1 connection timed out", ATTEMPT, UNTIL);
        RecipientResult dave = RecipientResult.failed(addr("dave@example.net"), "5.7.1", "mx.example.net", HOSTILE_REPLY, ATTEMPT);
        RecipientResult jorg = RecipientResult.failed(addr("jörg@bücher.example"), "5.1.1", "mx.example.net",
                "550 5.1.1 unbekannter Empfänger", ATTEMPT);
        DsnWriter w = DsnWriter.defaults();
        String utf8Original = ORIGINAL.replace("Subject: =?utf-8?q?Caf=C3=A9?= on Friday", "Subject: Café on Friday");
        return List.of(
                new Sample("full", report(DeliveryReport.Kind.FAILURE, List.of(bob), Optional.empty(), ORIGINAL), w, "message/rfc822"),
                new Sample("hdrs", report(DeliveryReport.Kind.FAILURE, List.of(bob), Optional.of(Ret.HDRS), ORIGINAL), w, "text/rfc822-headers"),
                new Sample("toobig", report(DeliveryReport.Kind.FAILURE, List.of(bob), Optional.of(Ret.FULL), ORIGINAL),
                        w.withMaxReturnedBytes(100), "text/rfc822-headers"),
                new Sample("delay", report(DeliveryReport.Kind.DELAY, List.of(carol), Optional.empty(), ORIGINAL), w, "text/rfc822-headers"),
                new Sample("success", report(DeliveryReport.Kind.SUCCESS, List.of(RecipientResult.succeeded(addr("erin@example.net"),
                        Action.RELAYED, "old.example.net", "250 queued", ATTEMPT)), Optional.empty(), ORIGINAL), w, "text/rfc822-headers"),
                new Sample("hostile", report(DeliveryReport.Kind.FAILURE, List.of(dave, bob), Optional.empty(), ORIGINAL), w, "message/rfc822"),
                new Sample("utf8", report(DeliveryReport.Kind.FAILURE, List.of(jorg), Optional.empty(), utf8Original), w, "message/global"));
    }

    static byte[] write(Sample s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.writer().write(s.report(), NOW, "<dsn." + s.name() + "@mx.postern.example>", out);
        return out.toByteArray();
    }

    @Test
    void angusMailReadsEveryNotice() throws Exception {
        Session session = Session.getInstance(new Properties());
        for (Sample s : samples()) {
            byte[] dsn = write(s);
            MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(dsn));
            String name = s.name();

            assertThat(m.getContentType()).as(name).startsWith("multipart/report");
            assertThat(m.getHeader("Auto-Submitted", null)).as(name).isEqualTo("auto-replied");
            assertThat(m.getHeader("Message-ID", null)).as(name).isEqualTo("<dsn." + name + "@mx.postern.example>");
            assertThat(m.getHeader("In-Reply-To", null)).as(name).isEqualTo("<orig.42@example.com>");
            assertThat(m.getFrom()[0].toString()).as(name).isEqualTo("Mail Delivery System <MAILER-DAEMON@mx.postern.example>");
            assertThat(m.getSentDate().toInstant()).as(name).isEqualTo(NOW);
            assertThat(m.getHeader("Bcc")).as(name).isNull();
            assertThat(m.getHeader("X-Evil")).as(name).isNull();

            MimeMultipart mp = (MimeMultipart) m.getContent();
            assertThat(mp.getCount()).as(name).isEqualTo(3);
            assertThat(mp.getBodyPart(0).getContentType()).as(name).startsWith("text/plain");
            String text = (String) mp.getBodyPart(0).getContent();
            assertThat(text).as(name).contains("This is the mail system at mx.postern.example.");

            List<Map<String, String>> groups = statusGroups(mp.getBodyPart(1));
            assertThat(mp.getBodyPart(1).getContentType()).as(name).startsWith(name.equals("utf8")
                    ? "message/global-delivery-status" : "message/delivery-status");
            assertThat(groups.getFirst()).as(name).containsEntry("Reporting-MTA", "dns; mx.postern.example")
                    .containsEntry("Original-Envelope-Id", "QQ314159").containsEntry("Arrival-Date", "Sun, 1 Jun 2025 08:00:00 +0000");
            assertThat(groups).as(name).hasSize(1 + s.report().recipients().size());
            for (int i = 0; i < s.report().recipients().size(); i++) {
                RecipientResult r = s.report().recipients().get(i);
                Map<String, String> g = groups.get(i + 1);
                assertThat(g).as(name).containsEntry("Action", r.action().keyword()).containsEntry("Status", r.status().toString())
                        .containsKey("Diagnostic-Code").containsKey("Last-Attempt-Date");
                assertThat(g.get("Final-Recipient")).as(name).endsWith(r.finalRecipient().toString());
            }

            BodyPart third = mp.getBodyPart(2);
            assertThat(third.getContentType()).as(name).startsWith(s.thirdType());
            if (s.thirdType().equals("message/rfc822")) {
                MimeMessage original = (MimeMessage) third.getContent();
                assertThat(original.getMessageID()).isEqualTo("<orig.42@example.com>");
                assertThat(original.getSubject()).isEqualTo("Café on Friday");
                assertThat((String) original.getContent()).isEqualTo("Shall we meet at the café?\r\n");
            } else { // Angus knows no message/global (RFC 6532): it gives the raw stream
                String returned = new String(third.getInputStream().readAllBytes(), UTF_8);
                assertThat(returned).as(name).contains("Message-ID: <orig.42@example.com>");
                if (s.thirdType().equals("message/global")) assertThat(returned).as(name).endsWith("Shall we meet at the café?\r\n");
                else assertThat(returned).as(name).doesNotContain("Shall we meet");
            }
        }
    }

    @Test
    void angusMailSeesTheDelayFieldsAndTheHostileTextAsOneField() throws Exception {
        Session session = Session.getInstance(new Properties());
        Map<String, Sample> byName = new LinkedHashMap<>();
        for (Sample s : samples()) byName.put(s.name(), s);

        MimeMultipart delay = (MimeMultipart) new MimeMessage(session, new ByteArrayInputStream(write(byName.get("delay")))).getContent();
        assertThat(statusGroups(delay.getBodyPart(1)).get(1)).containsEntry("Will-Retry-Until", "Fri, 6 Jun 2025 08:00:00 +0000")
                .containsEntry("Action", "delayed");
        assertThat(((String) delay.getBodyPart(0).getContent()).replaceAll("\\s+", " ")).contains("until Fri, 6 Jun 2025 08:00:00 +0000");

        MimeMultipart hostile = (MimeMultipart) new MimeMessage(session, new ByteArrayInputStream(write(byName.get("hostile")))).getContent();
        List<Map<String, String>> groups = statusGroups(hostile.getBodyPart(1));
        assertThat(groups).hasSize(3);
        assertThat(groups.get(1).get("Diagnostic-Code").replaceAll("\\s+", " "))
                .isEqualTo("smtp; 550 5.7.1 bad Bcc: victim@example.org X-Evil: 1 --=_dsn_ Gr??e end");
        assertThat(groups.get(1)).doesNotContainKeys("Bcc", "X-Evil");
    }

    /** The blocks of a delivery-status body, each as field name to unfolded value. */
    static List<Map<String, String>> statusGroups(BodyPart part) throws Exception {
        List<Map<String, String>> groups = new ArrayList<>();
        String body = new String(part.getInputStream().readAllBytes(), UTF_8);
        for (String block : body.split("\r\n\r\n")) {
            if (block.isBlank()) continue;
            InternetHeaders h = new InternetHeaders(new ByteArrayInputStream((block + "\r\n\r\n").getBytes(UTF_8)), true);
            Map<String, String> g = new LinkedHashMap<>();
            for (var e = h.getAllHeaders(); e.hasMoreElements(); ) {
                var header = e.nextElement();
                g.put(header.getName(), header.getValue().replace("\r\n", "").strip());
            }
            groups.add(g);
        }
        return groups;
    }

    static final String SCRIPT = """
            import email, email.policy, sys, os
            for path in sys.argv[1:]:
                name = os.path.basename(path)
                with open(path, "rb") as f:
                    m = email.message_from_bytes(f.read(), policy=email.policy.default)
                print(name + ".type", m.get_content_type())
                print(name + ".report-type", m.get_param("report-type"))
                print(name + ".defects", sum(len(p.defects) for p in m.walk()))
                for field in ("From", "To", "Subject", "Message-ID", "In-Reply-To", "References", "Auto-Submitted", "Bcc", "X-Evil"):
                    print(name + ".h." + field, m.get(field))
                parts = m.get_payload()
                print(name + ".parts", ",".join(p.get_content_type() for p in parts))
                print(name + ".text", repr(parts[0].get_content()))
                status = parts[1]
                if status.get_content_type() == "message/delivery-status":
                    for i, block in enumerate(status.get_payload()):
                        for k, v in block.items():
                            print("%s.status.%d.%s %s" % (name, i, k, " ".join(str(v).split())))
                else:  # message/global-delivery-status: Python reads any other message/* as a message
                    inner = status.get_payload()[0]
                    print(name + ".status.global.Reporting-MTA", inner["Reporting-MTA"])
                    print(name + ".status.raw", repr(inner.get_payload(decode=True).decode("utf-8")))
                third = parts[2]
                if third.get_content_maintype() == "message" and third.is_multipart():
                    inner = third.get_payload()[0]
                    print(name + ".original.message-id", inner["Message-ID"])
                    print(name + ".original.subject", inner["Subject"])
                    print(name + ".original.body", repr(inner.get_content()))
                else:
                    print(name + ".original.raw", repr(third.get_payload(decode=True).decode("utf-8")))
            """;

    @Test
    void pythonEmailReadsEveryNotice(@TempDir Path dir) throws Exception {
        assumeTrue(PythonScript.available("email"), "python3 not on PATH");
        List<String> args = new ArrayList<>();
        for (Sample s : samples()) args.add(Files.write(dir.resolve(s.name()), write(s)).toString());
        Path script = Files.writeString(dir.resolve("dsn.py"), SCRIPT);
        Map<String, String> r = PythonScript.run(script, args.toArray(String[]::new));

        for (Sample s : samples()) {
            String n = s.name();
            assertThat(r).as(n).containsEntry(n + ".type", "multipart/report")
                    .containsEntry(n + ".defects", "0")
                    .containsEntry(n + ".h.Auto-Submitted", "auto-replied")
                    .containsEntry(n + ".h.From", "Mail Delivery System <MAILER-DAEMON@mx.postern.example>")
                    .containsEntry(n + ".h.To", "alice@example.com")
                    .containsEntry(n + ".h.Message-ID", "<dsn." + n + "@mx.postern.example>")
                    .containsEntry(n + ".h.In-Reply-To", "<orig.42@example.com>")
                    .containsEntry(n + ".h.References", "<orig.42@example.com>")
                    .containsEntry(n + ".h.Bcc", "None")
                    .containsEntry(n + ".h.X-Evil", "None");
            String status = n.equals("utf8") ? "message/global-delivery-status" : "message/delivery-status";
            assertThat(r.get(n + ".parts")).as(n).isEqualTo("text/plain," + status + "," + s.thirdType());
            assertThat(r.get(n + ".report-type")).as(n).isEqualTo(n.equals("utf8") ? "global-delivery-status" : "delivery-status");
            assertThat(r.get(n + ".text")).as(n).contains("This is the mail system at mx.postern.example.");
        }
        assertThat(r).containsEntry("full.h.Subject", "Undelivered Mail Returned to Sender")
                .containsEntry("delay.h.Subject", "Delivery delayed: still trying")
                .containsEntry("success.h.Subject", "Successful Mail Delivery Report")
                .containsEntry("full.status.0.Reporting-MTA", "dns; mx.postern.example")
                .containsEntry("full.status.0.Original-Envelope-Id", "QQ314159")
                .containsEntry("full.status.1.Original-Recipient", "rfc822; Bob+Shop@example.net")
                .containsEntry("full.status.1.Final-Recipient", "rfc822; bob@example.net")
                .containsEntry("full.status.1.Action", "failed")
                .containsEntry("full.status.1.Status", "5.1.1")
                .containsEntry("full.status.1.Remote-MTA", "dns; mx.example.net")
                .containsEntry("full.status.1.Diagnostic-Code",
                        "smtp; 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown")
                .containsEntry("full.original.message-id", "<orig.42@example.com>")
                .containsEntry("full.original.subject", "Café on Friday")
                .containsEntry("full.original.body", "'Shall we meet at the café?\\r\\n'")
                .containsEntry("delay.status.1.Action", "delayed")
                .containsEntry("delay.status.1.Will-Retry-Until", "Fri, 6 Jun 2025 08:00:00 +0000")
                .containsEntry("success.status.1.Action", "relayed")
                .containsEntry("hostile.status.1.Diagnostic-Code", "smtp; 550 5.7.1 bad Bcc: victim@example.org X-Evil: 1 --=_dsn_ Gr??e end")
                .doesNotContainKeys("hostile.status.1.Bcc", "hostile.status.1.X-Evil", "hostile.status.3.Action")
                .containsEntry("utf8.original.subject", "Café on Friday");
        assertThat(r.get("hdrs.original.raw")).contains("Message-ID: <orig.42@example.com>").doesNotContain("Shall we meet");
        assertThat(r.get("toobig.text")).contains("larger than 100 octets");
        assertThat(r.get("utf8.status.raw")).contains("Final-Recipient: utf-8; jörg@bücher.example",
                "Diagnostic-Code: smtp; 550 5.1.1 unbekannter Empfänger");
        assertThat(r).containsEntry("utf8.status.global.Reporting-MTA", "dns; mx.postern.example");
    }
}
