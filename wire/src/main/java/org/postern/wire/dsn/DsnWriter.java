package org.postern.wire.dsn;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.mime.QuotedPrintableEncoder;

/**
 * Writes a delivery status notification (RFC 3464) as a complete RFC 5322 message: a failure notice, a delay
 * warning or a success notice, as {@link DeliveryReport.Kind} says. The original message is copied from its
 * stream while writing; it is never held whole.
 *
 * <p>The notice is a {@code multipart/report; report-type=delivery-status} (RFC 6522) of three parts:
 * <ol>
 *   <li>{@code text/plain; charset=utf-8}: what happened, in words ({@link NoticeText});</li>
 *   <li>{@code message/delivery-status}: the same for programs ({@link StatusFields});</li>
 *   <li>the original: {@code message/rfc822} with the whole message for a failure notice, unless RET=HDRS
 *       or it is larger than {@link #maxReturnedBytes()}; else {@code text/rfc822-headers} with its header
 *       (RFC 6522 §4). Delay and success notices return the header only: RFC 3461 §4.3 asks for the full
 *       message only in "failed" notices.</li>
 * </ol>
 *
 * <p>Internationalized mail (RFC 6533): when the original's header holds UTF-8 (its transaction used
 * SMTPUTF8, or its header has valid UTF-8 octets), the third part is {@code message/global} or
 * {@code message/global-headers}; when a reported address is UTF-8, the second part is
 * {@code message/global-delivery-status} (and {@code report-type} names that subtype, RFC 6522 §3). An 8-bit
 * original is returned with {@code Content-Transfer-Encoding: 8bit}, which RFC 2046 §5.2.1 allows for
 * message/rfc822. {@link Written} tells the caller what the notice then needs on the wire (BODY=8BITMIME,
 * SMTPUTF8); a relay that offers no 8BITMIME gets it through {@code SevenBitDowngrade}.
 *
 * <p>The notice's own envelope is the caller's job: MAIL FROM must be the null reverse-path {@code <>}
 * (RFC 5321 §4.5.5, RFC 3464 §4), so that no notice is ever sent about a notice; RCPT TO is
 * {@link DeliveryReport#returnPath()}.
 *
 * @param postmaster      the From address; empty means {@code MAILER-DAEMON@<reporting MTA>}
 * @param postmasterName  the From display name, "Mail Delivery System" by default
 * @param maxReturnedBytes the largest original returned whole ({@link DsnLimits#MAX_RETURNED_MESSAGE_BYTES})
 * @param zone            the zone of the dates written
 */
public record DsnWriter(Optional<EmailAddress> postmaster, String postmasterName, long maxReturnedBytes, ZoneId zone) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What was written, and what its transport needs. */
    public record Written(long octets, String messageId, boolean eightBit, boolean smtpUtf8) {}

    public DsnWriter {
        Objects.requireNonNull(postmaster, "postmaster");
        Objects.requireNonNull(postmasterName, "postmasterName");
        Objects.requireNonNull(zone, "zone");
        if (maxReturnedBytes < 0) throw new IllegalArgumentException("negative maxReturnedBytes");
    }

    /** From: "Mail Delivery System" &lt;MAILER-DAEMON@reporting MTA&gt;, the default size cap, dates in UTC. */
    public static DsnWriter defaults() {
        return new DsnWriter(Optional.empty(), "Mail Delivery System", DsnLimits.MAX_RETURNED_MESSAGE_BYTES, ZoneOffset.UTC);
    }

    public DsnWriter withPostmaster(EmailAddress address, String name) {
        return new DsnWriter(Optional.of(address), name, maxReturnedBytes, zone);
    }

    public DsnWriter withMaxReturnedBytes(long max) {
        return new DsnWriter(postmaster, postmasterName, max, zone);
    }

    public DsnWriter withZone(ZoneId z) {
        return new DsnWriter(postmaster, postmasterName, maxReturnedBytes, z);
    }

    /** Writes the notice dated {@code now} with a new unique Message-ID. */
    public Written write(DeliveryReport report, Instant now, OutputStream out) throws IOException {
        return write(report, now, newMessageId(report.reportingMta()), out);
    }

    /**
     * Writes the notice dated {@code now} with the Message-ID {@code messageId} ({@code <left@right>}).
     *
     * @throws IllegalArgumentException if {@code messageId} is not a plain msg-id
     */
    public Written write(DeliveryReport report, Instant now, String messageId, OutputStream out) throws IOException {
        String id = DsnFields.msgId(messageId).orElseThrow(() -> new IllegalArgumentException("bad Message-ID: " + messageId));
        try (InputStream raw = report.original().source().open()) {
            OriginalCopy original = OriginalCopy.read(new BufferedInputStream(raw, 16 * 1024));
            Counting counted = new Counting(out);
            BufferedOutputStream o = new BufferedOutputStream(counted, 16 * 1024);
            Plan plan = plan(report, original);
            writeHeader(o, report, now, id, original, plan);
            writeParts(o, report, now, original, plan);
            o.flush();
            boolean eightBit = plan.eightBit || original.eightBitCopied();
            return new Written(counted.count, id, eightBit, plan.smtpUtf8);
        }
    }

    /** The decisions made before anything is written. */
    private record Plan(NoticeText.Returned returned, boolean whole, boolean globalStatus, boolean globalOriginal,
                        String originalCte, boolean eightBit, boolean smtpUtf8, String boundary) {}

    private Plan plan(DeliveryReport r, OriginalCopy original) {
        NoticeText.Returned returned;
        if (r.kind() != DeliveryReport.Kind.FAILURE) returned = NoticeText.Returned.HEADER_NOT_FAILURE;
        else if (r.ret().orElse(Ret.FULL) == Ret.HDRS) returned = NoticeText.Returned.HEADER_ASKED;
        else if (r.original().size() > maxReturnedBytes) returned = NoticeText.Returned.HEADER_TOO_BIG;
        else returned = NoticeText.Returned.WHOLE;
        boolean whole = returned == NoticeText.Returned.WHOLE;
        boolean globalStatus = StatusFields.needsGlobal(r);
        // with SMTPUTF8 the header is UTF-8 (RFC 6532) even when the scan cut a character in two at its limit
        boolean globalOriginal = original.headerUtf8() || (r.original().smtpUtf8() && original.headerEightBit());
        boolean originalEightBit = original.headerEightBit() || (whole && r.original().eightBit());
        boolean eightBit = originalEightBit || globalStatus;
        boolean smtpUtf8 = r.returnPath().needsUtf8() || globalStatus || globalOriginal;
        return new Plan(returned, whole, globalStatus, globalOriginal, originalEightBit ? "8bit" : "7bit", eightBit,
                smtpUtf8, newBoundary());
    }

    private void writeHeader(OutputStream o, DeliveryReport r, Instant now, String id, OriginalCopy original, Plan p)
            throws IOException {
        EmailAddress from = postmaster.orElseGet(() -> new EmailAddress("MAILER-DAEMON", r.reportingMta()));
        String name = DsnFields.phrase(postmasterName);
        StringBuilder h = new StringBuilder(1024);
        h.append(DsnFields.fold("From", (name.isEmpty() ? "" : name + " ") + "<" + from + ">"));
        h.append(DsnFields.fold("To", "<" + r.returnPath() + ">"));
        h.append("Subject: ").append(subject(r.kind())).append("\r\n");
        h.append("Date: ").append(DsnFields.date(now, zone)).append("\r\n");
        h.append(DsnFields.fold("Message-ID", id));
        original.messageId().ifPresent(orig -> {
            h.append(DsnFields.fold("In-Reply-To", orig));
            h.append(DsnFields.fold("References", orig));
        });
        h.append("Auto-Submitted: auto-replied\r\n"); // RFC 3834 §5: a notice is an automatic response
        h.append("MIME-Version: 1.0\r\n");
        h.append("Content-Type: multipart/report; report-type=")
                .append(p.globalStatus ? "global-delivery-status" : "delivery-status").append(";\r\n")
                .append("\tboundary=\"").append(p.boundary).append("\"\r\n");
        h.append("Content-Transfer-Encoding: ").append(p.eightBit ? "8bit" : "7bit").append("\r\n");
        h.append("\r\n");
        // RFC 2046 §5.1.1: the preamble is for readers without MIME
        h.append("This is a delivery status notification in MIME format (RFC 3464).\r\n");
        o.write(h.toString().getBytes(UTF_8));
    }

    /** The Subject of each kind: fixed ASCII text, as in the notices of other MTAs. */
    static String subject(DeliveryReport.Kind kind) {
        return switch (kind) {
            case FAILURE -> "Undelivered Mail Returned to Sender";
            case DELAY -> "Delivery delayed: still trying";
            case SUCCESS -> "Successful Mail Delivery Report";
        };
    }

    private void writeParts(OutputStream o, DeliveryReport r, Instant now, OriginalCopy original, Plan p)
            throws IOException {
        String dash = "\r\n--" + p.boundary + "\r\n";

        String text = NoticeText.write(r, original.subject(), p.returned, maxReturnedBytes, now, zone);
        boolean qp = !DsnFields.isAscii(text) || text.lines().anyMatch(l -> l.length() > QuotedPrintableEncoder.MAX_LINE);
        o.write(ascii(dash + "Content-Description: Notification\r\n"
                + "Content-Type: text/plain; charset=" + (DsnFields.isAscii(text) ? "us-ascii" : "utf-8") + "\r\n"
                + "Content-Transfer-Encoding: " + (qp ? "quoted-printable" : "7bit") + "\r\n\r\n"));
        if (qp) {
            QuotedPrintableEncoder enc = new QuotedPrintableEncoder(o);
            enc.write(text.getBytes(UTF_8));
            enc.finish();
        } else {
            o.write(ascii(text));
        }

        String status = StatusFields.write(r, p.globalStatus, zone);
        o.write(ascii(dash + "Content-Description: Delivery report\r\n"
                + "Content-Type: message/" + (p.globalStatus ? "global-delivery-status" : "delivery-status") + "\r\n"
                + "Content-Transfer-Encoding: " + (DsnFields.isAscii(status) ? "7bit" : "8bit") + "\r\n\r\n"));
        o.write(status.getBytes(UTF_8));

        String type = p.whole ? (p.globalOriginal ? "message/global" : "message/rfc822")
                : (p.globalOriginal ? "message/global-headers" : "text/rfc822-headers");
        o.write(ascii(dash + "Content-Description: " + (p.whole ? "Undelivered message" : "Message header") + "\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Content-Transfer-Encoding: " + p.originalCte + "\r\n\r\n"));
        original.copy(o, p.whole);
        o.write(ascii("\r\n--" + p.boundary + "--\r\n"));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }

    /**
     * A boundary that no original can contain by chance or design: 128 random bits, chosen after the
     * original was written. "=_" cannot appear in quoted-printable or base64 text (RFC 2045 §6.7 note).
     */
    private static String newBoundary() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "=_dsn_" + HexFormat.of().formatHex(b);
    }

    /** {@code <dsn.time.random@host>}: unique without coordination between nodes. */
    static String newMessageId(String host) {
        byte[] b = new byte[10];
        RANDOM.nextBytes(b);
        return "<dsn." + Long.toString(System.currentTimeMillis(), 36) + "." + HexFormat.of().formatHex(b) + "@" + host + ">";
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
