package org.postern.wire.smtp;

import java.util.List;
import java.util.Optional;

/**
 * One SMTP reply, possibly multi-line (RFC 5321 §4.2.1), and the only code that decides how reply text goes
 * on the wire: {@link #encode()} writes {@code code-text} continuation lines and a final {@code code SP text},
 * each with the enhanced status code in front when there is one (RFC 2034 §4), and replaces any control
 * character in the text so that reply text can never split into a second, forged reply line.
 */
public record SmtpReply(int code, Optional<EnhancedStatus> status, List<String> lines) {
    public SmtpReply {
        if (code < 200 || code > 599) throw new IllegalArgumentException("bad reply code " + code);
        lines = List.copyOf(lines);
        if (lines.isEmpty()) throw new IllegalArgumentException("empty reply");
        status.ifPresent(s -> {
            // RFC 3463 §3: the class of the enhanced code must match the reply's first digit
            if (s.statusClass() != code / 100) throw new IllegalArgumentException(code + " with " + s);
        });
    }

    /** A one-line reply with an enhanced status code: {@code of(550, "5.1.1", "no such user")}. */
    public static SmtpReply of(int code, String status, String text) {
        return new SmtpReply(code, Optional.of(EnhancedStatus.parse(status)), List.of(text));
    }

    /** A reply without enhanced status code: the greeting, EHLO/HELO replies, 334 and 354 (RFC 2034 §4). */
    public static SmtpReply plain(int code, String... lines) {
        return new SmtpReply(code, Optional.empty(), List.of(lines));
    }

    /** Like {@link #of} with several lines, e.g. HELP text. */
    public static SmtpReply multi(int code, String status, List<String> lines) {
        return new SmtpReply(code, Optional.of(EnhancedStatus.parse(status)), lines);
    }

    public boolean isPositive() {
        return code < 400;
    }

    /** The wire form, CRLF after each line. */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            status.ifPresent(s -> sb.append(s).append(' '));
            appendText(sb, lines.get(i));
            sb.append("\r\n");
        }
        return sb.toString();
    }

    /** The first line without code, for logs. */
    public String text() {
        return status.map(s -> s + " ").orElse("") + lines.getFirst();
    }

    private static void appendText(StringBuilder sb, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // RFC 5321 §4.2: textstring = 1*(%d09 / %d32-126); we also allow UTF-8 (RFC 6531 §3.7.4.2),
            // but never a control character that could end the line early.
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
    }

    @Override
    public String toString() {
        return code + " " + text();
    }
}
