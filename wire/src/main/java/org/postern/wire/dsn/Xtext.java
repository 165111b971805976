package org.postern.wire.dsn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RFC 3461 §4 xtext, the encoding of the ENVID and ORCPT parameters (and of RFC 4954's AUTH=):
 * {@code xchar} is any ASCII character from 33 to 126 but "+" and "="; any other octet is "+" and two
 * upper-case hex digits. {@code bob+x@example.org} is {@code bob+2Bx@example.org}.
 *
 * <p>Encoding works on the UTF-8 octets of the text. Decoding accepts lower-case hex digits too (robustness:
 * some clients send them) and gives the octets as UTF-8 text, malformed sequences as U+FFFD.
 */
public final class Xtext {
    private Xtext() {}

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public static String encode(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (isXchar(c)) sb.append((char) c);
            else sb.append('+').append(HEX[c >> 4]).append(HEX[c & 0xF]);
        }
        return sb.toString();
    }

    /**
     * Decodes {@code xtext}.
     *
     * @throws IllegalArgumentException for a character that is not an xchar or a "+" without two hex digits
     */
    public static String decode(String xtext) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                int hi = i + 2 < xtext.length() ? Character.digit(xtext.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(xtext.charAt(i + 2), 16) : -1;
                if (lo < 0) throw new IllegalArgumentException("'+' without two hex digits in xtext");
                out.write(hi << 4 | lo);
                i += 2;
            } else if (isXchar(c)) {
                out.write(c);
            } else {
                throw new IllegalArgumentException("character " + (int) c + " not allowed in xtext");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Whether {@code s} is valid xtext. */
    public static boolean isValid(String s) {
        try {
            decode(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** RFC 3461 §4: xchar = any ASCII CHAR between "!" (33) and "~" (126) inclusive, except "+" and "=". */
    static boolean isXchar(int c) {
        return c >= 33 && c <= 126 && c != '+' && c != '=';
    }
}
