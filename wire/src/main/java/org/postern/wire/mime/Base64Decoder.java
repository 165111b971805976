package org.postern.wire.mime;

/**
 * Streaming, tolerant base64 (RFC 2045 §6.8): characters outside the alphabet (line breaks, junk) are
 * ignored, and '=' ends a quantum, so concatenated encodings still decode.
 */
final class Base64Decoder {
    private static final byte[] VALUES = new byte[256];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) VALUES[alphabet.charAt(i)] = (byte) i;
    }

    private int bits;
    private int acc;

    /** Decodes {@code len} bytes, appending at most up to {@code max} total bytes to {@code out}. */
    void decode(byte[] b, int off, int len, ByteBuf out, int max) {
        for (int i = off, end = off + len; i < end; i++) {
            int c = b[i] & 0xFF;
            int v = VALUES[c];
            if (v < 0) {
                if (c == '=') {
                    bits = 0;
                    acc = 0;
                }
                continue;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                if (out.size() < max) out.append(acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
    }

    /** Decodes a whole string (an RFC 2047 "B" encoded word). */
    static byte[] decode(String s) {
        ByteBuf out = new ByteBuf(s.length());
        Base64Decoder d = new Base64Decoder();
        byte[] in = new byte[s.length()];
        for (int i = 0; i < in.length; i++) in[i] = (byte) s.charAt(i);
        d.decode(in, 0, in.length, out, Integer.MAX_VALUE);
        return java.util.Arrays.copyOf(out.array(), out.size());
    }
}
