package org.postern.wire.mime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One MIME parameter (RFC 2045 §5.1). {@code name} is lower case, without RFC 2231 section or charset
 * markers; {@code value} is unquoted and RFC 2231 decoded (continuations joined, charset applied). Encoded
 * words (RFC 2047) that some mailers put in parameters are left as they are: IMAP clients expect them so.
 */
public record Param(String name, String value) {
    public Param {
        if (name.isEmpty()) throw new IllegalArgumentException("empty parameter name");
        name = name.toLowerCase(Locale.ROOT);
    }

    /** The value of the first parameter called {@code name} (case-insensitive). */
    public static Optional<String> find(List<Param> params, String name) {
        for (Param p : params) if (p.name.equalsIgnoreCase(name)) return Optional.of(p.value);
        return Optional.empty();
    }

    /** Whether the value is plain ASCII, so it can be written as is. */
    public boolean isAscii() {
        for (int i = 0; i < value.length(); i++) if (value.charAt(i) >= 0x80) return false;
        return true;
    }

    /**
     * The name to write in a protocol that wants ASCII (IMAP BODYSTRUCTURE without UTF8=ACCEPT): {@code name},
     * or {@code name*} when the value needs RFC 2231 encoding.
     */
    public String wireName() {
        return isAscii() ? name : name + "*";
    }

    /** The value to pair with {@link #wireName()}: as is, or RFC 2231 §4 {@code utf-8''percent%20encoded}. */
    public String wireValue() {
        if (isAscii()) return value;
        StringBuilder out = new StringBuilder("utf-8''");
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            // RFC 2231 §7: attribute-char excludes specials, space, '*', ''' and '%'
            if (c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?=*'%".indexOf(c) < 0) out.append((char) c);
            else out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
        }
        return out.toString();
    }
}
