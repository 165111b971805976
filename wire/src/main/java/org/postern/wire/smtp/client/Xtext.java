package org.postern.wire.smtp.client;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * RFC 3461 §4 xtext, the encoding of ENVID and ORCPT values (and of AUTH=, RFC 4954 §5):
 * {@code xchar} is any printable ASCII character but "+" and "=", everything else is {@code "+" 2HEXDIGIT}
 * per octet, upper-case hex.
 */
final class Xtext {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Xtext() {}

    static String encode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(UTF_8)) {
            int c = b & 0xff;
            if (c >= '!' && c <= '~' && c != '+' && c != '=') {
                sb.append((char) c);
            } else {
                sb.append('+').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /** RFC 3461 §4.2/§4.4: the values before encoding are printable US-ASCII (space included). */
    static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) return false;
        }
        return true;
    }
}
