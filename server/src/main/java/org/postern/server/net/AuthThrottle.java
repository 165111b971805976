package org.postern.server.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins counted per client address and per account across connections and protocols (DESIGN.md
 * "Security defaults": failed logins slowed and counted per IP and account), so that reconnecting does not
 * reset a password guesser's count.
 *
 * <ul>
 * <li>Per address: after {@link #MAX_FAILURES_PER_ADDRESS} failures within {@link #WINDOW}, further attempts from
 *     that address are refused without checking the password (which also spares the Argon2 work) until the
 *     window has passed. IPv6 clients are counted per /64, since one host usually holds a whole /64.</li>
 * <li>Per account: never refused — an attacker could otherwise lock a user out of their own mailbox — but once
 *     the account has {@link #MAX_FAILURES_PER_ACCOUNT} failures within the window, every further failure on it
 *     waits {@link #ACCOUNT_PENALTY} more, which slows a guesser spread over many addresses.</li>
 * </ul>
 * Memory is bounded by {@link #MAX_TRACKED} keys per table. Thread-safe.
 */
public final class AuthThrottle {
    /** fail2ban's stock jails ban after 5 failures in 10 minutes; we allow more because many users may share one
     *  NAT address and mail clients retry a stale password on every poll. */
    public static final int MAX_FAILURES_PER_ADDRESS = 20;
    /** Per account: high enough that a user's own clients with an old password do not trip it quickly. */
    public static final int MAX_FAILURES_PER_ACCOUNT = 10;
    public static final Duration WINDOW = Duration.ofMinutes(15);
    /** Added to the per-failure delay on an account under attack: at most ~4 guesses a minute per connection. */
    public static final Duration ACCOUNT_PENALTY = Duration.ofSeconds(15);
    /** Keys kept per table (~100 bytes each): past it, expired entries are dropped, then the table is cleared,
     *  which errs towards letting clients try again rather than growing without bound under a wide attack. */
    public static final int MAX_TRACKED = 100_000;
    /** Longest account name kept as a key: an address is at most 254 characters (RFC 5321 §4.5.3.1.3). */
    static final int MAX_ACCOUNT_KEY = 254;

    /** No counting at all: for tests that exercise other things. */
    public static AuthThrottle disabled() {
        return new AuthThrottle(Clock.systemUTC(), false);
    }

    private record Count(Instant since, int failures) {}

    private final Clock clock;
    private final boolean enabled;
    private final Map<String, Count> byAddress = new ConcurrentHashMap<>();
    private final Map<String, Count> byAccount = new ConcurrentHashMap<>();

    public AuthThrottle(Clock clock) {
        this(clock, true);
    }

    private AuthThrottle(Clock clock, boolean enabled) {
        this.clock = clock;
        this.enabled = enabled;
    }

    /** Whether this address has failed too often lately: answer "try later" without checking the password. */
    public boolean refused(InetAddress client) {
        return enabled && current(byAddress, addressKey(client)) >= MAX_FAILURES_PER_ADDRESS;
    }

    /** Records a failed login; returns the extra delay to apply before answering (zero or {@link #ACCOUNT_PENALTY}). */
    public Duration failed(InetAddress client, String account) {
        if (!enabled) return Duration.ZERO;
        increment(byAddress, addressKey(client));
        int onAccount = increment(byAccount, accountKey(account));
        return onAccount > MAX_FAILURES_PER_ACCOUNT ? ACCOUNT_PENALTY : Duration.ZERO;
    }

    private int current(Map<String, Count> table, String key) {
        Count c = table.get(key);
        return c == null || expired(c) ? 0 : c.failures();
    }

    private int increment(Map<String, Count> table, String key) {
        if (table.size() >= MAX_TRACKED) {
            table.values().removeIf(this::expired);
            if (table.size() >= MAX_TRACKED) table.clear();
        }
        Instant now = clock.instant();
        return table.merge(key, new Count(now, 1),
                (old, one) -> expired(old) ? one : new Count(old.since(), old.failures() + 1)).failures();
    }

    private boolean expired(Count c) {
        return !clock.instant().isBefore(c.since().plus(WINDOW));
    }

    static String addressKey(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) b = Arrays.copyOf(b, 8);   // the /64
        return Arrays.toString(b);
    }

    /**
     * The name as an attacker typed it, normalized and cut to {@link #MAX_ACCOUNT_KEY} characters: no address
     * is longer (RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its brackets), and a kilobyte-long
     * POP3 USER name must not make each tracked entry ten times the size {@link #MAX_TRACKED} assumes.
     */
    static String accountKey(String account) {
        String k = account.strip().toLowerCase(Locale.ROOT);
        return k.length() > MAX_ACCOUNT_KEY ? k.substring(0, MAX_ACCOUNT_KEY) : k;
    }
}
