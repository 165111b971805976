package org.postern.wire.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw header block (the bytes {@code [headerStart, bodyStart)} of a {@link Part}) into its fields,
 * by the same rules as {@link MessageParser}, so an IMAP server can answer BODY[HEADER.FIELDS (...)] and
 * BODY[HEADER.FIELDS.NOT (...)] (RFC 9051 §6.4.5) by copying the matching fields' raw bytes, folding and
 * line endings included, without parsing the message again.
 */
public final class HeaderFields {
    private HeaderFields() {}

    /** One field: its name as written and its raw bytes {@code [start, end)}, continuation lines included. */
    public record Field(String name, int start, int end) {
        public boolean named(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    /** The fields of {@code block[from, to)}; lines that are not fields are left out; an empty line ends it. */
    public static List<Field> split(byte[] block, int from, int to) {
        List<Field> out = new ArrayList<>();
        String name = null;
        int fieldStart = 0;
        int fieldEnd = 0;
        int i = from;
        while (i < to) {
            int lineStart = i;
            while (i < to && block[i] != '\n') i++;
            int lineEnd = i < to ? i + 1 : to;
            int contentEnd = i > lineStart && block[i - 1] == '\r' ? i - 1 : i;
            if (i == to && i > lineStart && block[i - 1] == '\r') contentEnd = i; // no LF: the CR is content
            i = lineEnd;
            if (contentEnd == lineStart) break; // RFC 5322 §2.1: the empty line ends the header
            byte first = block[lineStart];
            if (first == ' ' || first == '\t') { // RFC 5322 §2.2.3: continuation
                if (name != null) fieldEnd = lineEnd;
                continue;
            }
            if (name != null) out.add(new Field(name, fieldStart, fieldEnd));
            name = fieldName(block, lineStart, contentEnd); // null for junk: skipped with its continuations
            fieldStart = lineStart;
            fieldEnd = lineEnd;
        }
        if (name != null) out.add(new Field(name, fieldStart, fieldEnd));
        return out;
    }

    public static List<Field> split(byte[] block) {
        return split(block, 0, block.length);
    }

    /** The field name of a line, or null when the line is not a field (RFC 5322 §2.2, obsolete WSP allowed). */
    private static String fieldName(byte[] b, int s, int end) {
        int i = s;
        while (i < end && b[i] > ' ' && b[i] < 0x7F && b[i] != ':') i++;
        int nameEnd = i;
        while (i < end && (b[i] == ' ' || b[i] == '\t')) i++;
        if (nameEnd == s || i >= end || b[i] != ':') return null;
        return new String(b, s, nameEnd - s, StandardCharsets.US_ASCII);
    }
}
