package org.postern.client.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.postern.wire.mime.Address;

/**
 * Writes header fields as RFC 5322 wants them on the wire: ASCII only, CRLF, folded at white space so lines stay
 * near {@link #FOLD_AT} and always below {@link #MAX_LINE} (§2.1.1), non-ASCII text as RFC 2047 encoded words,
 * parameters with RFC 2231 encoding and continuations. Values never carry a line break of their own, so a user's
 * Subject cannot add a header field.
 */
final class HeaderWriter {
    /** RFC 5322 §2.1.1: "Each line of characters MUST be no more than 998 characters ... excluding the CRLF". */
    static final int MAX_LINE = 998;

    /** RFC 5322 §2.1.1: lines "SHOULD be no more than 78 characters"; we fold before a token would pass it. */
    static final int FOLD_AT = 78;

    /**
     * UTF-8 bytes per encoded word: 30 bytes are 40 base64 characters, 52 with "=?UTF-8?B?" and "?=", below the
     * 75 of RFC 2047 §2 even after "Subject: " on the first line.
     */
    static final int ENCODED_WORD_BYTES = 30;

    /** Characters of a parameter value per RFC 2231 §3 continuation section. */
    static final int PARAM_SECTION_CHARS = 60;

    private final StringBuilder out = new StringBuilder(512);

    /** An unstructured field (Subject): folded ASCII, or encoded words when not plain printable ASCII. */
    void unstructured(String name, String value) {
        String v = value.replaceAll("[\\r\\n]+", " ").strip();
        List<String> tokens = new ArrayList<>();
        if (isPrintableAscii(v) && !v.contains("=?") && longestWord(v) <= MAX_LINE - name.length() - 2) {
            for (String w : v.split(" +")) if (!w.isEmpty()) tokens.add(w);
        } else {
            tokens.addAll(encodedWords(v));
        }
        fold(name, tokens);
    }

    /** An address-list field: each mailbox as {@code phrase <addr>} with the phrase quoted or encoded. */
    void addresses(String name, List<Address.Mailbox> mailboxes) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < mailboxes.size(); i++) {
            Address.Mailbox m = mailboxes.get(i);
            String comma = i < mailboxes.size() - 1 ? "," : "";
            String address = m.address();
            if (address.length() > MAX_LINE - 40 || !address.chars().allMatch(c -> c > ' ' && c != 0x7F)) {
                throw new IllegalArgumentException("not a usable address: " + address.replaceAll("\\p{Cntrl}", "?"));
            }
            var display = Addresses.displayName(m);
            if (display.isEmpty()) {
                tokens.add(address + comma);
                continue;
            }
            String n = display.get();
            if (isPrintableAscii(n) && !n.contains("=?") && n.length() < MAX_LINE / 2) tokens.add(Addresses.quoteIfNeeded(n));
            else tokens.addAll(encodedWords(n));
            tokens.add("<" + address + ">" + comma);
        }
        fold(name, tokens);
    }

    /** A field of msg-ids (Message-ID, In-Reply-To, References), one per token. */
    void ids(String name, List<String> ids) {
        fold(name, ids);
    }

    /** A field whose value is already safe ASCII (Date, MIME-Version, Content-Transfer-Encoding). */
    void raw(String name, String value) {
        fold(name, List.of(value));
    }

    /** A structured MIME field: {@code value} then each parameter on its own folded line (RFC 2231 when needed). */
    void withParams(String name, String value, List<String[]> params) {
        out.append(name).append(": ").append(value);
        int line = name.length() + 2 + value.length();
        for (String[] p : params) {
            for (String piece : param(p[0], p[1])) {
                if (line + 2 + piece.length() <= FOLD_AT) {
                    out.append("; ").append(piece);
                    line += 2 + piece.length();
                } else {
                    out.append(";\r\n ").append(piece);
                    line = 1 + piece.length();
                }
            }
        }
        out.append("\r\n");
    }

    /** The written header block, without the empty line that ends it. */
    String text() {
        return out.toString();
    }

    /**
     * {@code name=value}, {@code name="value"}, or RFC 2231 {@code name*=utf-8''...} split into sections
     * {@code name*0*=}, {@code name*1*=} ... when long (RFC 2231 §3, §4).
     */
    static List<String> param(String name, String value) {
        if (isPrintableAscii(value) && value.length() <= PARAM_SECTION_CHARS) {
            if (!value.isEmpty() && value.chars().allMatch(HeaderWriter::isTokenChar)) return List.of(name + "=" + value);
            return List.of(name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        String encoded = percentEncode(value);
        if (encoded.length() + 7 <= PARAM_SECTION_CHARS) return List.of(name + "*=utf-8''" + encoded);
        List<String> out = new ArrayList<>();
        int i = 0;
        int section = 0;
        while (i < encoded.length()) {
            int end = Math.min(encoded.length(), i + PARAM_SECTION_CHARS);
            if (end < encoded.length() && encoded.charAt(end - 1) == '%') end -= 1;   // never split "%XX"
            else if (end < encoded.length() && end >= 2 && encoded.charAt(end - 2) == '%') end -= 2;
            out.add(name + "*" + section + "*=" + (section == 0 ? "utf-8''" : "") + encoded.substring(i, end));
            i = end;
            section++;
        }
        return out;
    }

    /** RFC 2231 §7: attribute-char stays, everything else is %XX of its UTF-8 bytes. */
    static String percentEncode(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?=*'%".indexOf(c) < 0) sb.append((char) c);
            else sb.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 0xF));
        }
        return sb.toString();
    }

    /** RFC 2047 §4.1 "B" words of at most {@link #ENCODED_WORD_BYTES} UTF-8 bytes, never splitting a character. */
    static List<String> encodedWords(String text) {
        List<String> words = new ArrayList<>();
        String clean = text.replaceAll("[\\p{Cntrl}&&[^\\t]]", " ");
        int i = 0;
        while (i < clean.length()) {
            int start = i;
            int bytes = 0;
            while (i < clean.length()) {
                int cp = clean.codePointAt(i);
                int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                if (bytes + len > ENCODED_WORD_BYTES) break;
                bytes += len;
                i += Character.charCount(cp);
            }
            byte[] chunk = clean.substring(start, i).getBytes(StandardCharsets.UTF_8);
            words.add("=?UTF-8?B?" + Base64.getEncoder().encodeToString(chunk) + "?=");
        }
        return words;
    }

    /** Writes "name: t1 t2 ..." breaking the line before a token that would pass {@link #FOLD_AT}. */
    private void fold(String name, List<String> tokens) {
        out.append(name).append(':');
        int line = name.length() + 1;
        for (String t : tokens) {
            if (line + 1 + t.length() > FOLD_AT && line > name.length() + 1) {
                out.append("\r\n");
                line = 0;
            }
            out.append(' ').append(t);
            line += 1 + t.length();
        }
        out.append("\r\n");
    }

    static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F) return false;
        }
        return true;
    }

    private static int longestWord(String s) {
        int max = 0;
        for (String w : s.split(" ")) max = Math.max(max, w.length());
        return max;
    }

    /** RFC 2045 §5.1 token characters. */
    private static boolean isTokenChar(int c) {
        return c > ' ' && c < 0x7F && "()<>@,;:\\\"/[]?=".indexOf(c) < 0;
    }
}
