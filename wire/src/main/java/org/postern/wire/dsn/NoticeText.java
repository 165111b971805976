package org.postern.wire.dsn;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The human-readable first part of a notice (RFC 6522 §3: "a human-readable explanation"): which recipients
 * failed, are delayed or got the message, what the remote host said, and for a delay how long we keep
 * trying. Text from outside (replies, the Subject) is made one line each ({@link DsnFields#oneLine}) and
 * wrapped, so it can only ever be text inside this part.
 */
final class NoticeText {
    private NoticeText() {}

    private static final int WRAP = 76;

    /** Why only the header of the original is attached, if so. */
    enum Returned { WHOLE, HEADER_ASKED, HEADER_TOO_BIG, HEADER_NOT_FAILURE }

    static String write(DeliveryReport r, Optional<String> subject, Returned returned, long maxReturnedBytes,
                        Instant now, ZoneId zone) {
        List<String> lines = new ArrayList<>();
        lines.add("This is the mail system at " + r.reportingMta() + ".");
        lines.add("");
        switch (r.kind()) {
            case FAILURE -> wrap(lines, "", "Your message could not be delivered to the recipients below. This is a "
                    + "permanent failure: it will not be tried again.");
            case DELAY -> {
                Instant until = r.recipients().stream().flatMap(p -> p.willRetryUntil().stream())
                        .max(Instant::compareTo).orElse(now);
                wrap(lines, "", "Your message has not been delivered yet to the recipients below. This is only a "
                        + "warning: you do not need to send it again. We will keep trying until "
                        + DsnFields.date(until, zone) + " (" + duration(Duration.between(now, until))
                        + " from now), and you will be told if it fails.");
            }
            case SUCCESS -> wrap(lines, "", "Your message was delivered as you asked to the recipients below.");
        }
        lines.add("");
        subject.ifPresent(s -> wrap(lines, "  ", "Subject: " + DsnFields.oneLine(s, 500)));
        lines.add("  Received by us: " + DsnFields.date(r.arrivalDate(), zone));
        r.envelopeId().ifPresent(id -> wrap(lines, "  ", "Envelope id: " + DsnFields.oneLine(id.value(), 200)));
        for (RecipientResult p : r.recipients()) {
            lines.add("");
            String original = p.original()
                    .filter(o -> !o.address().equalsIgnoreCase(p.finalRecipient().toString()))
                    .map(o -> " (sent to " + DsnFields.oneLine(o.address(), 500) + ")").orElse("");
            wrap(lines, "", "<" + p.finalRecipient() + ">" + original + ": " + outcome(p.action()));
            String reply = p.diagnostic().map(d -> DsnFields.oneLine(d.text(), DsnLimits.MAX_DIAGNOSTIC_CHARS)).orElse("");
            if (p.remoteMta().isPresent() && !reply.isEmpty()) {
                wrap(lines, "    ", "The host " + p.remoteMta().get() + " said: " + reply);
            } else if (p.remoteMta().isPresent()) {
                wrap(lines, "    ", "Handed to the host " + p.remoteMta().get() + ".");
            } else if (!reply.isEmpty()) {
                wrap(lines, "    ", reply);
            }
            StringBuilder facts = new StringBuilder("Status " + p.status());
            p.lastAttempt().ifPresent(t -> facts.append(", last attempt ").append(DsnFields.date(t, zone)));
            p.willRetryUntil().ifPresent(t -> facts.append(", trying until ").append(DsnFields.date(t, zone)));
            wrap(lines, "    ", facts + ".");
        }
        lines.add("");
        String attached = switch (returned) {
            case WHOLE -> "Your message is attached.";
            case HEADER_ASKED -> "As you asked (RET=HDRS), only the header of your message is attached.";
            case HEADER_TOO_BIG -> "Your message is larger than " + maxReturnedBytes
                    + " octets, so only its header is attached.";
            case HEADER_NOT_FAILURE -> "The header of your message is attached.";
        };
        wrap(lines, "", attached);
        return String.join("\r\n", lines) + "\r\n";
    }

    private static String outcome(Action a) {
        return switch (a) {
            case FAILED -> "delivery failed";
            case DELAYED -> "delivery delayed";
            case DELIVERED -> "delivered";
            case RELAYED -> "relayed to a host that sends no delivery notices";
            case EXPANDED -> "delivered and forwarded to further addresses";
        };
    }

    /** "4 days 20 hours", "35 minutes": how long, roughly, in words. */
    static String duration(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        long mins = minutes % 60;
        List<String> parts = new ArrayList<>();
        if (days > 0) parts.add(days + (days == 1 ? " day" : " days"));
        if (hours > 0) parts.add(hours + (hours == 1 ? " hour" : " hours"));
        if (days == 0 && (mins > 0 || hours == 0)) parts.add(mins + (mins == 1 ? " minute" : " minutes"));
        return String.join(" ", parts);
    }

    /** Word-wraps {@code text} (one line already) at {@link #WRAP} columns, every line indented. */
    private static void wrap(List<String> lines, String indent, String text) {
        StringBuilder line = new StringBuilder(indent);
        boolean hasWord = false;
        for (String word : text.split(" ")) {
            if (word.isEmpty()) continue;
            if (hasWord && line.length() + 1 + word.length() > WRAP) {
                lines.add(line.toString());
                line = new StringBuilder(indent).append(indent.isEmpty() ? "" : "  "); // a paragraph, or an item
                hasWord = false;
            }
            if (hasWord) line.append(' ');
            line.append(word);
            hasWord = true;
        }
        lines.add(line.toString());
    }
}
