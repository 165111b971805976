package org.postern.server.delivery;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Transaction ids for "250 OK queued as …" and the Received field's {@code id} clause: 16 characters of
 * Crockford base32, milliseconds first (so ids sort by time in logs) then 32 random bits (so they do not
 * reveal how much mail we handle).
 */
final class QueueIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom random = new SecureRandom();

    private QueueIds() {}

    static String next(Instant now) {
        long time = now.toEpochMilli() & ((1L << 48) - 1);
        long rnd = random.nextInt() & 0xffffffffL;
        char[] out = new char[16];
        // 80 bits: 48 of time, 32 random; 5 bits per character
        for (int i = 15; i >= 0; i--) {
            out[i] = ALPHABET[(int) (rnd & 31)];
            rnd = (rnd >>> 5) | ((time & 31) << 27);
            time >>>= 5;
        }
        return new String(out);
    }
}
