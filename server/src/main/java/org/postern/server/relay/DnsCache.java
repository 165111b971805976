package org.postern.server.relay;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Answers kept until their TTL runs out, at most {@link #MAX_ENTRIES} of them, least recently used dropped
 * first. Time comes from the caller (an injected clock), so tests expire entries without sleeping.
 * Thread-safe; the lock is never held during a query.
 */
final class DnsCache {
    /** About 200 bytes to 1 KB an entry: up to ~10 MB. A queue rarely has more than a few thousand destination
     *  domains due at once, each needing an MX answer and two address answers per MX host. */
    static final int MAX_ENTRIES = 10_000;

    record Key(Name name, int type) {
        @Override
        public String toString() {
            return name + "/" + Type.string(type);
        }
    }

    private record Cached(DnsAnswer answer, Instant expires) {}

    private final int maxEntries;
    private final Map<Key, Cached> entries;

    DnsCache() {
        this(MAX_ENTRIES);
    }

    DnsCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
                return size() > DnsCache.this.maxEntries;
            }
        };
    }

    synchronized Optional<DnsAnswer> get(Key key, Instant now) {
        Cached e = entries.get(key);
        if (e == null) return Optional.empty();
        if (!now.isBefore(e.expires())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.answer());
    }

    /** Keeps {@code answer} until {@code expires}; an answer already expired (TTL 0) is not kept. */
    synchronized void put(Key key, DnsAnswer answer, Instant now, Instant expires) {
        if (answer instanceof DnsAnswer.Failed) throw new IllegalArgumentException("failures are not cached");
        if (expires.isAfter(now)) entries.put(key, new Cached(answer, expires));
    }

    synchronized int size() {
        return entries.size();
    }
}
