package org.postern.wire.smtp.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.wire.io.WireInput;
import org.postern.wire.smtp.EnhancedStatus;
import org.postern.wire.smtp.SmtpReply;

/**
 * Reads one reply from the server (RFC 5321 §4.2): {@code code "-" text} continuation lines, then
 * {@code code [SP text]}. Every line must carry the same three-digit code, 2xx to 5xx. An enhanced status code
 * (RFC 2034 §4) in front of the text is taken out when its class matches the reply's, on every line, whether or
 * not ENHANCEDSTATUSCODES was advertised (many servers send them in the greeting already). Control characters
 * in the text become spaces, so reply text copied into a DSN or a log cannot start a new line.
 *
 * <p>Bounded: {@link ClientLimits#MAX_REPLY_LINE} per line (enforced by the {@link WireInput}),
 * {@link ClientLimits#MAX_REPLY_LINES} lines, {@link ClientLimits#MAX_REPLY_BYTES} in all. Anything else is a
 * {@link BadReplyException}; the stream cannot be trusted after it, so the session ends.
 */
final class ReplyReader {
    private ReplyReader() {}

    /** Thrown for a reply that is not SMTP; an {@link IOException} because it ends the connection like one. */
    static final class BadReplyException extends IOException {
        BadReplyException(String message) {
            super(message);
        }
    }

    static SmtpReply read(WireInput in) throws IOException {
        List<String> lines = new ArrayList<>();
        Optional<EnhancedStatus> status = Optional.empty();
        int code = -1, bytes = 0;
        while (true) {
            String line = in.readLine();
            bytes += line.length() + 2;
            if (lines.size() == ClientLimits.MAX_REPLY_LINES)
                throw new BadReplyException("reply longer than " + ClientLimits.MAX_REPLY_LINES + " lines");
            if (bytes > ClientLimits.MAX_REPLY_BYTES)
                throw new BadReplyException("reply longer than " + ClientLimits.MAX_REPLY_BYTES + " bytes");
            int lineCode = code(line);
            if (code >= 0 && lineCode != code)
                throw new BadReplyException("reply code changed from " + code + " to " + lineCode + " within a reply");
            code = lineCode;
            boolean last;
            if (line.length() == 3) {
                last = true;   // Reply-code [ SP textstring ] CRLF: the text is optional on the last line
            } else if (line.charAt(3) == ' ' || line.charAt(3) == '-') {
                last = line.charAt(3) == ' ';
            } else {
                throw new BadReplyException("no space or dash after the reply code: " + shorten(line));
            }
            String text = line.length() > 4 ? clean(line.substring(4)) : "";
            Optional<EnhancedStatus> lineStatus = enhancedStatus(text, code);
            if (lineStatus.isPresent()) {
                text = text.substring(lineStatus.get().toString().length()).stripLeading();
                if (status.isEmpty()) status = lineStatus;
            }
            lines.add(text);
            if (last) return new SmtpReply(code, status, lines);
        }
    }

    /** The three digits: first 2 to 5 (RFC 5321 §4.2.1; 1yz is not used by SMTP). */
    private static int code(String line) throws BadReplyException {
        if (line.length() < 3) throw new BadReplyException("reply line too short: " + shorten(line));
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') throw new BadReplyException("reply does not start with a code: " + shorten(line));
            code = code * 10 + (c - '0');
        }
        if (code < 200 || code > 599) throw new BadReplyException("reply code out of range: " + code);
        return code;
    }

    /** {@code class "." subject "." detail} followed by a space or the end, with class matching the code. */
    static Optional<EnhancedStatus> enhancedStatus(String text, int code) {
        int end = text.indexOf(' ');
        String word = end < 0 ? text : text.substring(0, end);
        // RFC 3463 §2: class is one digit, subject and detail 1 to 3 digits: at most 9 characters.
        if (word.length() < 5 || word.length() > 9 || word.charAt(1) != '.') return Optional.empty();
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) return Optional.empty();
        }
        try {
            EnhancedStatus s = EnhancedStatus.parse(word);
            return s.statusClass() == code / 100 ? Optional.of(s) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String clean(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (sb == null) sb = new StringBuilder(text);
                sb.setCharAt(i, ' ');
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** A bad line in an error message: printable, and short enough for a log line. */
    static String shorten(String line) {
        String s = clean(line);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
