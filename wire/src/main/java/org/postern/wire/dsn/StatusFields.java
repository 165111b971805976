package org.postern.wire.dsn;

import java.time.ZoneId;
import org.postern.wire.address.EmailAddress;

/**
 * The body of the {@code message/delivery-status} part (RFC 3464 §2.1): the per-message fields, then one
 * group of per-recipient fields for each recipient, groups separated by an empty line, fields in the order of
 * the RFC's grammar (§2.2, §2.3).
 *
 * <p>With {@code global} the part is {@code message/global-delivery-status} (RFC 6533 §6.2), whose fields
 * may hold UTF-8: addresses that need it are written with the {@code utf-8} address type (RFC 6533 §3) and
 * diagnostic text keeps its non-ASCII characters. Otherwise every field is ASCII: non-ASCII text becomes "?",
 * and an envelope id or original recipient that is not printable ASCII is written in its xtext form (RFC
 * 3461 §4), the form the sender used, so it still identifies what the sender meant.
 */
final class StatusFields {
    private StatusFields() {}

    /** Whether a recipient needs the global form (RFC 6533): a UTF-8 address or original recipient. */
    static boolean needsGlobal(DeliveryReport r) {
        for (RecipientResult p : r.recipients()) {
            if (p.finalRecipient().needsUtf8()) return true;
            if (p.original().isPresent() && !DsnFields.isAscii(p.original().get().address())) return true;
        }
        return false;
    }

    static String write(DeliveryReport r, boolean global, ZoneId zone) {
        StringBuilder sb = new StringBuilder(512);
        // RFC 3464 §2.2: per-message-fields
        r.envelopeId().ifPresent(id -> sb.append(DsnFields.fold("Original-Envelope-Id", word(id.value(), global))));
        sb.append("Reporting-MTA: dns; ").append(r.reportingMta()).append("\r\n");
        sb.append("Arrival-Date: ").append(DsnFields.date(r.arrivalDate(), zone)).append("\r\n");
        for (RecipientResult p : r.recipients()) {
            sb.append("\r\n");
            // RFC 3464 §2.3: per-recipient-fields
            p.original().ifPresent(o -> sb.append(DsnFields.fold("Original-Recipient",
                    o.addressType() + "; " + word(o.address(), global))));
            sb.append(DsnFields.fold("Final-Recipient", address(p.finalRecipient())));
            sb.append("Action: ").append(p.action().keyword()).append("\r\n");
            sb.append("Status: ").append(p.status()).append("\r\n");
            p.remoteMta().ifPresent(h -> sb.append(DsnFields.fold("Remote-MTA", "dns; " + text(h, global))));
            p.diagnostic().ifPresent(d -> sb.append(DsnFields.fold("Diagnostic-Code",
                    d.type() + "; " + text(d.text(), global))));
            p.lastAttempt().ifPresent(t -> sb.append("Last-Attempt-Date: ").append(DsnFields.date(t, zone)).append("\r\n"));
            p.willRetryUntil().ifPresent(t -> sb.append("Will-Retry-Until: ").append(DsnFields.date(t, zone)).append("\r\n"));
        }
        return sb.toString();
    }

    /** RFC 3464 §2.3.2: {@code rfc822; addr}, or RFC 6533 §3 {@code utf-8; addr} for a UTF-8 address. */
    private static String address(EmailAddress a) {
        return (a.needsUtf8() ? "utf-8; " : "rfc822; ") + a;
    }

    /** An id or address: itself when printable (UTF-8 only in the global form), else its xtext form. */
    private static String word(String s, boolean global) {
        if (DsnFields.isPrintableWord(s) || (global && DsnFields.isPrintableUnicodeWord(s))) return s;
        return Xtext.encode(s);
    }

    private static String text(String s, boolean global) {
        return global ? DsnFields.oneLine(s, DsnLimits.MAX_DIAGNOSTIC_CHARS)
                : DsnFields.asciiLine(s, DsnLimits.MAX_DIAGNOSTIC_CHARS);
    }
}
