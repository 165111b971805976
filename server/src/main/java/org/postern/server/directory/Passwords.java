package org.postern.server.directory;

import java.nio.CharBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.postern.wire.Secret;

/**
 * Password hashing: Argon2id (RFC 9106) in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (salt and hash in unpadded standard base64, as the PHC
 * string format specifies), computed with Bouncy Castle's {@link Argon2BytesGenerator}.
 *
 * <p>Passwords are normalized to Unicode NFC before hashing (RFC 8265 §4.2, the OpaqueString profile), so the
 * same password typed on two systems that compose accents differently still verifies.
 *
 * <p>Parameters, measured on the 2-core development machine (Bouncy Castle 1.81, JDK 25, warmed up): the OWASP
 * minimum m=19456 KiB, t=2, p=1 takes about 34 ms per hash (about 58 ms cold); the next OWASP rows
 * (m=47104 t=1: 52 ms; m=65536 t=2: 135 ms) exceed the ~50 ms budget a login may cost, so the minimum it is.
 * Hashes stored with other parameters still verify (the parameters are read from the string);
 * {@link #needsRehash} says when one should be replaced by a hash with the current parameters.
 */
public final class Passwords {
    /** Memory in KiB: OWASP Password Storage Cheat Sheet minimum for Argon2id (19 MiB). */
    public static final int MEMORY_KIB = 19456;
    /** Passes over memory: OWASP minimum with 19 MiB. */
    public static final int ITERATIONS = 2;
    /** Lanes: OWASP's 1; a second lane would only share our 2 cores with the sessions. */
    public static final int PARALLELISM = 1;
    /** RFC 9106 §3.1: a 128-bit salt is sufficient for password hashing. */
    public static final int SALT_BYTES = 16;
    /** RFC 9106 §4: a 256-bit tag. */
    public static final int HASH_BYTES = 32;
    /** Longest password accepted, in UTF-16 chars: far beyond any passphrase, bounds the work per login. */
    public static final int MAX_LENGTH = 1024;

    /** Bounds on parameters read back from a stored hash, so a corrupt row cannot make one login cost gigabytes. */
    static final int MAX_STORED_MEMORY_KIB = 1 << 20, MAX_STORED_ITERATIONS = 64, MAX_STORED_PARALLELISM = 16;
    static final int MIN_STORED_SALT_BYTES = 8, MAX_STORED_BYTES = 128;

    private static final int VERSION = Argon2Parameters.ARGON2_VERSION_13;   // "v=19"
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private Passwords() {}

    /** Argon2id parameters and output as found in a PHC string. */
    public record Phc(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
        public Phc {
            if (memoryKib < 8 * parallelism || memoryKib > MAX_STORED_MEMORY_KIB)
                throw new IllegalArgumentException("argon2id memory out of range: " + memoryKib);
            if (iterations < 1 || iterations > MAX_STORED_ITERATIONS)
                throw new IllegalArgumentException("argon2id iterations out of range: " + iterations);
            if (parallelism < 1 || parallelism > MAX_STORED_PARALLELISM)
                throw new IllegalArgumentException("argon2id parallelism out of range: " + parallelism);
            if (salt.length < MIN_STORED_SALT_BYTES || salt.length > MAX_STORED_BYTES)
                throw new IllegalArgumentException("argon2id salt length out of range: " + salt.length);
            if (hash.length < 4 || hash.length > MAX_STORED_BYTES)   // RFC 9106 §3.1: tag length >= 4 bytes
                throw new IllegalArgumentException("argon2id hash length out of range: " + hash.length);
            salt = salt.clone();
            hash = hash.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public byte[] hash() {
            return hash.clone();
        }

        /** Parses {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}; throws IllegalArgumentException on anything else. */
        public static Phc parse(String s) {
            String[] f = s.split("\\$", -1);
            if (f.length != 6 || !f[0].isEmpty() || !f[1].equals("argon2id") || !f[2].equals("v=19"))
                throw new IllegalArgumentException("not an argon2id v=19 PHC string");
            String[] p = f[3].split(",", -1);
            if (p.length != 3 || !p[0].startsWith("m=") || !p[1].startsWith("t=") || !p[2].startsWith("p="))
                throw new IllegalArgumentException("argon2id parameters must be m=…,t=…,p=…");
            return new Phc(number(p[0]), number(p[1]), number(p[2]), base64(f[4]), base64(f[5]));
        }

        private static int number(String kv) {
            String digits = kv.substring(2);
            // PHC string format: decimal, no sign, no leading zero, at most 10 digits
            if (!digits.matches("0|[1-9][0-9]{0,9}")) throw new IllegalArgumentException("bad number in " + kv);
            long v = Long.parseLong(digits);
            if (v > Integer.MAX_VALUE) throw new IllegalArgumentException("number too large in " + kv);
            return (int) v;
        }

        private static byte[] base64(String s) {
            if (!s.matches("[A-Za-z0-9+/]+")) throw new IllegalArgumentException("bad base64 in PHC string");
            return B64D.decode(s);
        }

        public String format() {
            return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                    + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
        }

        @Override
        public String toString() {
            return "Phc[m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "]";
        }
    }

    /** Hashes {@code password} with a fresh salt and the current parameters; the PHC string. */
    public static String hash(Secret password) {
        char[] chars = checked(password);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        try {
            byte[] out = argon2(chars, MEMORY_KIB, ITERATIONS, PARALLELISM, salt, HASH_BYTES);
            return new Phc(MEMORY_KIB, ITERATIONS, PARALLELISM, salt, out).format();
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * Whether {@code password} matches {@code phc}. The comparison is constant-time; a malformed stored string
     * or an over-long password is a mismatch, after the same work as a real check.
     */
    public static boolean verify(Secret password, String phc) {
        Phc stored;
        try {
            stored = Phc.parse(phc);
        } catch (IllegalArgumentException e) {
            burn(password);
            return false;
        }
        char[] chars = normalized(password);
        try {
            boolean acceptable = chars.length > 0 && chars.length <= MAX_LENGTH;
            byte[] out = argon2(chars, stored.memoryKib, stored.iterations, stored.parallelism, stored.salt,
                    stored.hash.length);
            return MessageDigest.isEqual(out, stored.hash) & acceptable;
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** Does the work of one {@link #verify} and discards it: for unknown users, so timing does not tell. */
    public static void burn(Secret password) {
        verify(password, Dummy.PHC);
    }

    /** Whether {@code phc} was made with weaker parameters than the current ones (or is not ours at all). */
    public static boolean needsRehash(String phc) {
        try {
            Phc p = Phc.parse(phc);
            return p.memoryKib < MEMORY_KIB || p.iterations < ITERATIONS || p.salt.length < SALT_BYTES
                    || p.hash.length < HASH_BYTES;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** A valid hash of a random password, made once: what unknown users are checked against. */
    private static final class Dummy {
        static final String PHC;

        static {
            byte[] random = new byte[SALT_BYTES];
            RANDOM.nextBytes(random);
            PHC = hash(Secret.of(B64.encodeToString(random)));
        }
    }

    private static char[] checked(Secret password) {
        char[] chars = normalized(password);
        if (chars.length == 0) throw new DirectoryException("empty password refused: choose a password");
        if (chars.length > MAX_LENGTH) {
            Arrays.fill(chars, '\0');
            throw new DirectoryException("password longer than " + MAX_LENGTH + " characters refused");
        }
        return chars;
    }

    private static char[] normalized(Secret password) {
        char[] raw = password.chars();
        if (Normalizer.isNormalized(CharBuffer.wrap(raw), Normalizer.Form.NFC)) return raw;
        String n = Normalizer.normalize(CharBuffer.wrap(raw), Normalizer.Form.NFC);   // todo: a String copy lingers
        Arrays.fill(raw, '\0');
        return n.toCharArray();
    }

    private static byte[] argon2(char[] password, int memoryKib, int iterations, int parallelism, byte[] salt,
                                 int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(VERSION)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build());   // default char-to-byte conversion: UTF-8
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
