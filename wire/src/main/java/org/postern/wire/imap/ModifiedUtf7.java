package org.postern.wire.imap;

/**
 * The modified UTF-7 of RFC 3501 §5.1.3, in which IMAP4rev1 clients name mailboxes: printable US-ASCII
 * (0x20-0x7E) stands for itself except "&amp;", written "&amp;-"; any other run of characters is a shift
 * sequence "&amp;" + modified BASE64 of its UTF-16BE code units (',' instead of '/', no '=' padding) + "-".
 *
 * <p>Decoding is strict: a name has exactly one encoding, and any other spelling (raw 8-bit or control
 * characters, a printable ASCII character inside a shift sequence, two adjacent shift sequences, leftover
 * non-zero bits, an unterminated shift, a lone surrogate) is a {@link MalformedException}, so two different
 * wire names can never reach the store as the same mailbox. IMAP4rev2 and UTF8=ACCEPT sessions name
 * mailboxes in UTF-8 instead (RFC 9051 §5.1, RFC 6855 §3) and do not use this class.
 */
public final class ModifiedUtf7 {
    private ModifiedUtf7() {}

    /** A name that is not canonical modified UTF-7. */
    public static final class MalformedException extends IllegalArgumentException {
        MalformedException(String message, String name) {
            super(message + ": " + name);
        }
    }

    // RFC 3501 §5.1.3: modified BASE64 of RFC 2152, with "," in place of "/"
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();
    private static final int[] VALUE = new int[128];

    static {
        java.util.Arrays.fill(VALUE, -1);
        for (int i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET[i]] = i;
    }

    private static boolean isDirect(char c) {
        return c >= 0x20 && c <= 0x7E;
    }

    /** The modified UTF-7 form of a mailbox name. */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c == '&') {
                out.append("&-");
                i++;
            } else if (isDirect(c)) {
                out.append(c);
                i++;
            } else {
                int end = i;
                while (end < name.length() && !isDirect(name.charAt(end))) end++;
                out.append('&');
                encodeRun(name, i, end, out);
                out.append('-');
                i = end;
            }
        }
        return out.toString();
    }

    private static void encodeRun(String s, int from, int to, StringBuilder out) {
        int bits = 0;
        int nbits = 0;
        for (int i = from; i < to; i++) {
            bits = (bits << 16) | s.charAt(i);
            nbits += 16;
            while (nbits >= 6) {
                nbits -= 6;
                out.append(ALPHABET[(bits >> nbits) & 0x3F]);
            }
            bits &= (1 << nbits) - 1;
        }
        if (nbits > 0) out.append(ALPHABET[(bits << (6 - nbits)) & 0x3F]);   // zero-filled, no padding
    }

    /**
     * The mailbox name a modified UTF-7 string spells.
     *
     * @throws MalformedException if {@code wire} is not the canonical encoding of any name
     */
    public static String decode(String wire) {
        StringBuilder out = new StringBuilder(wire.length());
        int i = 0;
        boolean afterShift = false;
        while (i < wire.length()) {
            char c = wire.charAt(i);
            if (!isDirect(c)) throw new MalformedException("character 0x" + Integer.toHexString(c)
                    + " must be in a shift sequence", wire);
            if (c != '&') {
                out.append(c);
                i++;
                afterShift = false;
                continue;
            }
            int end = wire.indexOf('-', i + 1);
            if (end < 0) throw new MalformedException("unterminated shift sequence", wire);
            if (end == i + 1) {
                out.append('&');
                i = end + 1;
                afterShift = false;
                continue;
            }
            // RFC 3501 §5.1.3: one shift sequence per run; "&AOQ-&AOQ-" must be written "&AOQA5A-"
            if (afterShift) throw new MalformedException("adjacent shift sequences", wire);
            decodeRun(wire, i + 1, end, out);
            i = end + 1;
            afterShift = true;
        }
        return out.toString();
    }

    private static void decodeRun(String wire, int from, int to, StringBuilder out) {
        int bits = 0;
        int nbits = 0;
        int start = out.length();
        for (int i = from; i < to; i++) {
            char c = wire.charAt(i);
            int v = c < 128 ? VALUE[c] : -1;
            if (v < 0) throw new MalformedException("'" + c + "' in a shift sequence", wire);
            bits = (bits << 6) | v;
            nbits += 6;
            if (nbits >= 16) {
                nbits -= 16;
                char u = (char) ((bits >> nbits) & 0xFFFF);
                bits &= (1 << nbits) - 1;
                // printable ASCII "MUST" represent itself (RFC 3501 §5.1.3), so encoding it is non-canonical
                if (isDirect(u)) throw new MalformedException("encoded printable character '" + u + "'", wire);
                out.append(u);
            }
        }
        // the last character may carry at most 4 fill bits (16 bits = 3 chars with 2 spare; 32 = 6 with 4;
        // 48 = 8 with 0), all zero; a whole spare character would be a non-canonical encoding
        if (nbits >= 6 || bits != 0) throw new MalformedException("partial or non-zero trailing bits", wire);
        if (out.length() == start) throw new MalformedException("empty shift sequence", wire);
        for (int k = start; k < out.length(); k++) {
            char u = out.charAt(k);
            if (Character.isHighSurrogate(u)) {
                if (k + 1 >= out.length() || !Character.isLowSurrogate(out.charAt(k + 1))) {
                    throw new MalformedException("lone surrogate", wire);
                }
                k++;
            } else if (Character.isLowSurrogate(u)) {
                throw new MalformedException("lone surrogate", wire);
            }
        }
    }
}
