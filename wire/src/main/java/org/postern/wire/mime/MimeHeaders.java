package org.postern.wire.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Parsers for the structured MIME header fields (RFC 2045, RFC 2183, RFC 2231), tolerant of real mail. */
final class MimeHeaders {
    private MimeHeaders() {}

    /** RFC 2231 §3 section numbers beyond this are junk, not continuations. */
    private static final int MAX_SECTION = 999;

    record MediaType(String type, String subtype, List<Param> params) {}

    /** One RFC 2231 section: its value and whether it is percent-encoded ("name*n*="). */
    private record Piece(String value, boolean extended) {}

    /** "type/subtype; params" (RFC 2045 §5.1), or empty when the field is not a valid media type. */
    static Optional<MediaType> mediaType(String value) {
        int n = value.length();
        int i = skipCfws(value, 0);
        int start = i;
        while (i < n && isTokenChar(value.charAt(i))) i++;
        String type = value.substring(start, i);
        i = skipCfws(value, i);
        if (type.isEmpty() || i >= n || value.charAt(i) != '/') return Optional.empty();
        i = skipCfws(value, i + 1);
        start = i;
        while (i < n && isTokenChar(value.charAt(i))) i++;
        String subtype = value.substring(start, i);
        if (subtype.isEmpty()) return Optional.empty();
        return Optional.of(new MediaType(type, subtype, params(value, i)));
    }

    /** "type; params" (RFC 2183 §2), empty when there is no type. */
    static Optional<Disposition> disposition(String value) {
        int n = value.length();
        int i = skipCfws(value, 0);
        int start = i;
        while (i < n && isTokenChar(value.charAt(i))) i++;
        String type = value.substring(start, i);
        if (type.isEmpty()) return Optional.empty();
        return Optional.of(new Disposition(type, params(value, i)));
    }

    /** The transfer encoding token (RFC 2045 §6.1), lower case; "7bit" when empty. */
    static String encoding(String value) {
        int i = skipCfws(value, 0);
        if (i < value.length() && value.charAt(i) == '"') i++; // Content-Transfer-Encoding: "base64" happens
        int start = i;
        while (i < value.length() && isTokenChar(value.charAt(i))) i++;
        String token = value.substring(start, i).toLowerCase(Locale.ROOT);
        return token.isEmpty() ? "7bit" : token;
    }

    /** Content-Language (RFC 3282): comma-separated language tags, comments dropped. */
    static List<String> languages(String value) {
        List<String> out = new ArrayList<>();
        for (String piece : stripComments(value).split(",")) {
            String tag = piece.strip();
            if (!tag.isEmpty()) out.add(tag);
        }
        return out;
    }

    /**
     * Parameters after the media type or disposition type. Tolerates missing ';' between parameters,
     * unquoted values with spaces, unclosed quotes; RFC 2231 continuations and charsets are decoded; the
     * first of duplicated parameters wins.
     */
    static List<Param> params(String s, int from) {
        List<String[]> raw = new ArrayList<>();
        int n = s.length();
        int i = from;
        while (i < n) {
            char c = s.charAt(i);
            if (c == ';' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
                continue;
            }
            if (c == '(') {
                i = skipComment(s, i);
                continue;
            }
            int start = i;
            while (i < n && s.charAt(i) != '=' && s.charAt(i) != ';' && !isSpace(s.charAt(i))) i++;
            String name = s.substring(start, i);
            while (i < n && isSpace(s.charAt(i))) i++;
            if (i >= n || s.charAt(i) != '=' || name.isEmpty()) { // junk without a value: skip to the next ';'
                while (i < n && s.charAt(i) != ';') i++;
                continue;
            }
            i++;
            while (i < n && isSpace(s.charAt(i))) i++;
            String value;
            if (i < n && s.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) i++;
                    sb.append(s.charAt(i++));
                }
                i++; // closing quote
                value = sb.toString();
            } else {
                int vStart = i;
                while (i < n && s.charAt(i) != ';') i++;
                int vEnd = i;
                // "charset=utf-8 format=flowed": a missing ';' shows as white space then "token="
                int next = nextParamStart(s, vStart, vEnd);
                if (next >= 0) {
                    vEnd = next;
                    i = next;
                }
                value = stripTrailingComment(s.substring(vStart, vEnd).strip());
            }
            raw.add(new String[] {name, value});
        }
        return assemble(raw);
    }

    /** Start of "token=" after white space inside an unquoted value [from, to), or -1. */
    private static int nextParamStart(String s, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (!isSpace(s.charAt(i - 1)) || isSpace(s.charAt(i))) continue;
            int j = i;
            while (j < to && isTokenChar(s.charAt(j))) j++;
            if (j > i && j < to && s.charAt(j) == '=') return i;
        }
        return -1;
    }

    private static String stripTrailingComment(String v) {
        if (v.endsWith(")")) {
            int open = v.lastIndexOf(" (");
            if (open > 0) return v.substring(0, open).strip();
        }
        return v;
    }

    /** RFC 2231 §3, §4: joins name*0, name*1... and decodes name*=charset'lang'%XX values. */
    private static List<Param> assemble(List<String[]> raw) {
        final class Pieces {
            String plain;
            String extended;
            final TreeMap<Integer, Piece> sections = new TreeMap<>();
        }
        Map<String, Pieces> byName = new LinkedHashMap<>();
        for (String[] r : raw) {
            String name = r[0].toLowerCase(Locale.ROOT);
            boolean ext = name.endsWith("*");
            if (ext) name = name.substring(0, name.length() - 1);
            int section = -1;
            int star = name.lastIndexOf('*');
            if (star > 0 && star < name.length() - 1 && name.length() - star - 1 <= 3
                    && name.substring(star + 1).chars().allMatch(Character::isDigit)) {
                section = Integer.parseInt(name.substring(star + 1));
                name = name.substring(0, star);
            }
            if (name.isEmpty() || section > MAX_SECTION) continue;
            Pieces p = byName.computeIfAbsent(name, k -> new Pieces());
            if (section < 0 && !ext) {
                if (p.plain == null) p.plain = r[1];
            } else if (section < 0) {
                if (p.extended == null) p.extended = r[1];
            } else {
                p.sections.putIfAbsent(section, new Piece(r[1], ext));
            }
        }
        List<Param> out = new ArrayList<>(byName.size());
        for (Map.Entry<String, Pieces> e : byName.entrySet()) {
            Pieces p = e.getValue();
            String value;
            if (p.extended != null) {
                value = decode2231(List.of(new Piece(p.extended, true)));
            } else if (!p.sections.isEmpty()) {
                value = decode2231(new ArrayList<>(p.sections.values()));
            } else {
                value = p.plain;
            }
            out.add(new Param(e.getKey(), value));
        }
        return out;
    }

    private static String decode2231(List<Piece> pieces) {
        ByteBuf bytes = new ByteBuf(64);
        String charset = "";
        boolean first = true;
        for (Piece piece : pieces) {
            String v = piece.value();
            if (piece.extended()) {
                if (first) {
                    int q1 = v.indexOf('\'');
                    int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
                    if (q2 >= 0) {
                        charset = v.substring(0, q1);
                        v = v.substring(q2 + 1);
                    }
                }
                percentDecode(v, bytes);
            } else {
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                bytes.append(b, 0, b.length);
            }
            first = false;
        }
        return Charsets.decodeText(bytes.array(), 0, bytes.size(), charset);
    }

    private static void percentDecode(String v, ByteBuf out) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%' && i + 2 < v.length() && QuotedPrintableDecoder.hex(v.charAt(i + 1)) >= 0
                    && QuotedPrintableDecoder.hex(v.charAt(i + 2)) >= 0) {
                out.append(QuotedPrintableDecoder.hex(v.charAt(i + 1)) << 4 | QuotedPrintableDecoder.hex(v.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                out.append(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.append(b, 0, b.length);
            }
        }
    }

    /** RFC 2045 §5.1 token characters, leniently: printable ASCII except tspecials and space. */
    static boolean isTokenChar(char c) {
        return c > ' ' && c < 0x7F && "()<>@,;:\\\"/[]?=".indexOf(c) < 0;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static int skipCfws(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (isSpace(c)) i++;
            else if (c == '(') i = skipComment(s, i);
            else break;
        }
        return i;
    }

    /** The index after the comment that starts at {@code i} (nested, with quoted pairs). */
    private static int skipComment(String s, int i) {
        int depth = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i + 1;
        }
        return s.length();
    }

    private static String stripComments(String s) {
        if (s.indexOf('(') < 0) return s;
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '(') {
                i = skipComment(s, i);
                sb.append(' ');
            } else {
                sb.append(s.charAt(i++));
            }
        }
        return sb.toString();
    }
}
