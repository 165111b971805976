package org.postern.wire.mime;

import java.nio.charset.Charset;
import java.util.Optional;

/**
 * RFC 2047 encoded words ({@code =?charset?Q?text?=}, {@code =?charset?B?text?=}) to Unicode, tolerantly.
 *
 * <ul>
 *   <li>White space between two encoded words is dropped (§6.2); adjacent words in the same charset are joined
 *       before decoding, so a multi-byte character split across two words (common) survives.</li>
 *   <li>An unknown charset or a malformed word leaves the word as it is.</li>
 *   <li>Words are recognised anywhere, also inside a longer word or a quoted string, and with a language
 *       (RFC 2231 §5, {@code =?utf-8*en?Q?...?=}), since real mailers put them there.</li>
 * </ul>
 */
public final class EncodedWords {
    private EncodedWords() {}

    /** A sane upper bound for a charset name; longer is not an encoded word. */
    private static final int MAX_CHARSET_CHARS = 64;

    public static String decode(String s) {
        int p = s.indexOf("=?");
        if (p < 0) return s;
        StringBuilder out = new StringBuilder(s.length());
        ByteBuf pending = new ByteBuf(64);
        Charset pendingCharset = null;
        int copied = 0;        // s[0, copied) is dealt with
        int lastWordEnd = -1;  // end of the last decoded word, for adjacency
        Finder close = Finder.of(s, "?=");
        Finder cr = Finder.of(s, "\r");
        Finder lf = Finder.of(s, "\n");
        while (p >= 0) {
            int[] word = parse(s, p, close, cr, lf); // {charsetEnd, encoding char, textStart, textEnd}
            if (word == null) {
                p = s.indexOf("=?", p + 2);
                continue;
            }
            int end = word[3] + 2;
            Optional<Charset> cs = Charsets.lookup(s.substring(p + 2, word[0]));
            boolean adjacent = lastWordEnd == copied && isBlank(s, copied, p);
            if (cs.isEmpty()) { // unknown charset: keep the word as it is
                pendingCharset = flush(out, pending, pendingCharset);
                out.append(s, copied, end);
                lastWordEnd = -1;
            } else {
                if (!adjacent || !cs.get().equals(pendingCharset)) pendingCharset = flush(out, pending, pendingCharset);
                if (!adjacent) out.append(s, copied, p);
                if (word[1] == 'B' || word[1] == 'b') {
                    byte[] bytes = Base64Decoder.decode(s.substring(word[2], word[3]));
                    pending.append(bytes, 0, bytes.length);
                } else {
                    decodeQ(s, word[2], word[3], pending);
                }
                pendingCharset = cs.get();
                lastWordEnd = end;
            }
            copied = end;
            p = s.indexOf("=?", end);
        }
        flush(out, pending, pendingCharset);
        out.append(s, copied, s.length());
        return out.toString();
    }

    /** Parses the encoded word at {@code p}: {charsetEnd, encoding, textStart, textEnd}, or null. */
    private static int[] parse(String s, int p, Finder close, Finder cr, Finder lf) {
        int q = p + 2;
        int n = s.length();
        while (q < n && q - p - 2 <= MAX_CHARSET_CHARS) {
            char c = s.charAt(q);
            if (c == '?') break;
            if (c <= ' ' || c >= 0x7F || c == '=') return null;
            q++;
        }
        if (q == p + 2 || q + 2 >= n || s.charAt(q) != '?' || s.charAt(q + 2) != '?') return null;
        char enc = s.charAt(q + 1);
        if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q') return null;
        int textStart = q + 3;
        int textEnd = close.next(textStart);
        if (textEnd < 0) return null;
        // white space inside is allowed (broken encoders put spaces in Q words), but not a line break
        int crAt = cr.next(textStart);
        int lfAt = lf.next(textStart);
        if ((crAt >= 0 && crAt < textEnd) || (lfAt >= 0 && lfAt < textEnd)) return null;
        return new int[] {q, enc, textStart, textEnd};
    }

    /** RFC 2047 §4.2: "_" is a space, "=XX" a byte; anything malformed is kept. */
    private static void decodeQ(String s, int from, int to, ByteBuf out) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '_') {
                out.append(' ');
            } else if (c == '=' && i + 2 < to && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.append(hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                i += 2;
            } else if (c < 0x100) {
                out.append(c);
            } else { // not ASCII: not really Q, keep the char's UTF-8 bytes
                byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.append(b, 0, b.length);
            }
        }
    }

    private static int hex(char c) {
        return QuotedPrintableDecoder.hex(c);
    }

    private static Charset flush(StringBuilder out, ByteBuf pending, Charset cs) {
        if (cs != null && pending.size() > 0) out.append(new String(pending.array(), 0, pending.size(), cs));
        pending.clear();
        return null;
    }

    private static boolean isBlank(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
        }
        return true;
    }
}
