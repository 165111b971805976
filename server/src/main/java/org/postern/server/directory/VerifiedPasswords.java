package org.postern.server.directory;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.postern.server.store.AccountId;
import org.postern.wire.Secret;

/**
 * Remembers for a while that a password matched an account's stored hash, so a mail client that logs in every
 * few minutes (POP3 and IMAP clients poll, and log in each time) costs one Argon2id an hour, not one per poll.
 * Dovecot's {@code auth_cache} does the same (its {@code auth_cache_ttl} defaults to 1 hour).
 *
 * <ul>
 * <li>Only successes are remembered: a wrong password always pays the full Argon2id, so guessing stays slow.</li>
 * <li>An entry is HMAC-SHA256 under a random key made at startup (never stored) of the account, its stored
 *     hash and the password: no password and no fast unkeyed hash of one is kept. A changed password changes
 *     the stored hash, so the old password's entry no longer matches.</li>
 * <li>Bounded: at {@link #MAX_ENTRIES} the expired entries go, and if that is not enough, all of them.</li>
 * </ul>
 */
public final class VerifiedPasswords {
    /** How long a verified password is trusted without Argon2id again (Dovecot's auth_cache_ttl default). */
    public static final Duration TTL = Duration.ofHours(1);
    /** Entries kept at most (about 100 bytes each): a site's active users, not an attacker's list. */
    public static final int MAX_ENTRIES = 10_000;

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] key = new byte[32];
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Long> entries = new ConcurrentHashMap<>();   // tag -> expiry (nanoTime)

    public VerifiedPasswords() {
        this(TTL);
    }

    VerifiedPasswords(Duration ttl) {
        new SecureRandom().nextBytes(key);
        this.ttlNanos = ttl.toNanos();
    }

    /** True when this password was verified against this stored hash within {@link #TTL}. */
    public boolean matches(AccountId account, String storedHash, Secret password) {
        String tag = tag(account, storedHash, password);
        Long expires = entries.get(tag);
        if (expires == null) return false;
        if (System.nanoTime() - expires < 0) return true;
        entries.remove(tag, expires);
        return false;
    }

    /** Call only after Argon2id said the password matches {@code storedHash}. */
    public void remember(AccountId account, String storedHash, Secret password) {
        if (entries.size() >= MAX_ENTRIES) {
            long now = System.nanoTime();
            entries.values().removeIf(expires -> now - expires >= 0);
            if (entries.size() >= MAX_ENTRIES) entries.clear();
        }
        entries.put(tag(account, storedHash, password), System.nanoTime() + ttlNanos);
    }

    int size() {
        return entries.size();
    }

    private String tag(AccountId account, String storedHash, Secret password) {
        char[] chars = password.chars();
        ByteBuffer pw = UTF_8.encode(CharBuffer.wrap(chars));
        Arrays.fill(chars, '\0');
        byte[] pwBytes = new byte[pw.remaining()];
        pw.get(pwBytes);
        if (pw.hasArray()) Arrays.fill(pw.array(), (byte) 0);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(account.value()).array());
            mac.update(storedHash.getBytes(UTF_8));
            mac.update((byte) 0);
            mac.update(pwBytes);
            return HEX.formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        } finally {
            Arrays.fill(pwBytes, (byte) 0);
        }
    }
}
