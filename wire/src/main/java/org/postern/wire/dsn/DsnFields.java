package org.postern.wire.dsn;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * How caller- and peer-supplied text becomes header-field text in a notice: the only place that decides it.
 * Text from outside (remote replies, the original's Subject and Message-ID, configuration) can hold anything;
 * after these functions it holds no control character (so no CR/LF injection), only ASCII where the field
 * must be ASCII, and no line longer than {@link DsnLimits#MAX_LINE_CHARS}.
 */
final class DsnFields {
    private DsnFields() {}

    /** RFC 5322 §3.3 date-time with a numeric zone (the obsolete "GMT" form must not be generated, §4.3). */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);

    /** RFC 2047 §2: an encoded word is at most 75 characters. */
    private static final int MAX_ENCODED_WORD = 75;

    static String date(Instant t, ZoneId zone) {
        return DATE.format(t.atZone(zone));
    }

    /**
     * One line of text, Unicode kept: every control character (CR, LF, NUL, TAB, DEL, C1) and every run of
     * white space becomes one space, unpaired surrogates become U+FFFD, the ends are stripped, and the text is
     * cut to {@code max} characters with "...".
     */
    static String oneLine(String s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 3);
        boolean space = false;
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7F || (c >= 0x80 && c < 0xA0) || Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space && !sb.isEmpty()) sb.append(' ');
            space = false;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= max && sb.length() < s.length()) sb.append("...");
        return sb.toString();
    }

    /** {@link #oneLine} with every non-ASCII character replaced by "?" (one per code point). */
    static String asciiLine(String s, int max) {
        String line = oneLine(s, max);
        if (isAscii(line)) return line;
        StringBuilder sb = new StringBuilder(line.length());
        line.codePoints().forEach(cp -> sb.append(cp < 0x80 ? (char) cp : '?'));
        return sb.toString();
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    /** Printable ASCII without space: what may stand for itself in an address or id field. */
    static boolean isPrintableWord(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F) return false;
        }
        return true;
    }

    /** Printable Unicode without white space or controls (for UTF-8 fields of RFC 6533). */
    static boolean isPrintableUnicodeWord(String s) {
        return !s.isEmpty() && oneLine(s, s.length()).equals(s) && s.indexOf(' ') < 0
                && s.indexOf('\uFFFD') < 0;
    }

    /**
     * A msg-id (RFC 5322 §3.6.4) fit to be copied into In-Reply-To/References: {@code <left@right>}, printable
     * ASCII, no white space, no further angle brackets, not absurdly long. Empty for anything else, so a
     * hostile original cannot smuggle text into our header through its Message-ID.
     */
    static Optional<String> msgId(String raw) {
        String s = raw.strip();
        if (s.length() < 5 || s.length() > 250 || s.charAt(0) != '<' || s.charAt(s.length() - 1) != '>') return Optional.empty();
        String inner = s.substring(1, s.length() - 1);
        int at = inner.indexOf('@');
        if (at <= 0 || at == inner.length() - 1 || inner.indexOf('@', at + 1) >= 0) return Optional.empty();
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == '<' || c == '>' || c == '"' || c == '\\' || c == '(' || c == ')') return Optional.empty();
        }
        return Optional.of(s);
    }

    /**
     * An RFC 5322 phrase for a display name: as is when it is atoms and spaces, a quoted string when it is
     * other printable ASCII, RFC 2047 encoded words (UTF-8, "B") otherwise.
     */
    static String phrase(String name) {
        String s = oneLine(name, 200);
        if (s.isEmpty()) return "";
        if (isAscii(s)) {
            boolean atoms = s.chars().allMatch(c -> c == ' ' || isAtext((char) c));
            if (atoms) return s;
            StringBuilder q = new StringBuilder("\"");
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') q.append('\\');
                q.append(c);
            }
            return q.append('"').toString();
        }
        return encodedWords(s);
    }

    /**
     * RFC 2047 "B" encoded words in UTF-8, each at most 75 characters and split only between code points
     * (§5: an encoded word must hold whole characters), separated by spaces so that {@link #fold} can fold.
     */
    static String encodedWords(String s) {
        String prefix = "=?UTF-8?B?";
        int maxBytes = (MAX_ENCODED_WORD - prefix.length() - 2) / 4 * 3; // base64 grows 3 octets into 4
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int end = i;
            int bytes = 0;
            while (end < s.length()) {
                int cp = s.codePointAt(end);
                int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
                if (bytes + n > maxBytes) break;
                bytes += n;
                end += Character.charCount(cp);
            }
            if (!out.isEmpty()) out.append(' ');
            out.append(prefix)
                    .append(Base64.getEncoder().encodeToString(s.substring(i, end).getBytes(StandardCharsets.UTF_8)))
                    .append("?=");
            i = end;
        }
        return out.toString();
    }

    /**
     * The field {@code name: value} folded (RFC 5322 §2.2.3) at spaces into lines of at most
     * {@link DsnLimits#FOLD_LINE_CHARS} where the words allow; a word too long for the hard limit of
     * {@link DsnLimits#MAX_LINE_CHARS} is split by a fold (which, unfolded, adds a space: no other way keeps
     * the line limit). Ends with CRLF. {@code value} must already be one line ({@link #oneLine}).
     */
    static String fold(String name, String value) {
        StringBuilder out = new StringBuilder(name.length() + value.length() + 16).append(name).append(':');
        int lineLength = out.length();
        int maxWord = DsnLimits.MAX_LINE_CHARS - 1;
        for (String word : value.split(" ")) {
            if (word.isEmpty()) continue;
            while (word.length() > maxWord) { // only hostile or broken text has a word of 997 characters
                out.append("\r\n ").append(word, 0, maxWord);
                word = word.substring(maxWord);
                lineLength = 1 + maxWord;
            }
            if (lineLength + 1 + word.length() > DsnLimits.FOLD_LINE_CHARS && lineLength > name.length() + 1) {
                out.append("\r\n");
                lineLength = 0;
            }
            out.append(' ').append(word);
            lineLength += 1 + word.length();
        }
        return out.append("\r\n").toString();
    }

    /** RFC 5322 §3.2.3 atext. */
    private static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }
}
