package org.postern.server.store.sqlite;

import java.util.HashMap;
import java.util.Map;

/**
 * The UID lists of recently opened mailboxes, shared by the readers of one store: listing 10,000 UIDs through JDBC
 * was most of a SELECT's server time (~1 ms; the counters and keywords are one row each since schema V3).
 *
 * <p>An entry is keyed by the mailbox id (never reused) and the mailbox's HIGHESTMODSEQ. Every append, copy, move
 * and expunge in a mailbox raises that in the same transaction, so an entry is exact for the committed state it
 * was read from, and any change to the mailbox simply makes it miss. Only reads of committed snapshots fill it:
 * the writer's own transaction may still roll back, and its MODSEQ be handed out again for other changes.
 */
final class UidLists {
    /** UIDs held at most, all mailboxes together: 8 MB of longs, a few very large mailboxes or many small ones. */
    static final long MAX_UIDS = 1_000_000;
    /** For the writer's transaction: never remembers anything. */
    static final UidLists NONE = new UidLists(0);

    private record Entry(long modSeq, long[] uids) {}

    private final long max;
    private final Map<Long, Entry> lists = new HashMap<>();
    private long held;

    UidLists(long max) {
        this.max = max;
    }

    UidLists() {
        this(MAX_UIDS);
    }

    /** A copy of the list of {@code mailbox} at {@code modSeq}, or null (the caller may change its copy). */
    synchronized long[] get(long mailbox, long modSeq) {
        Entry e = lists.get(mailbox);
        return e != null && e.modSeq() == modSeq ? e.uids().clone() : null;
    }

    /** Remembers a copy of {@code uids} as the list of {@code mailbox} at {@code modSeq}; past the bound, starts over. */
    synchronized void put(long mailbox, long modSeq, long[] uids) {
        if (max == 0 || uids.length > max) return;
        Entry old = lists.remove(mailbox);
        if (old != null) held -= old.uids().length;
        if (held + uids.length > max) {
            lists.clear();   // cheap to refill, and no LRU bookkeeping on every hit
            held = 0;
        }
        lists.put(mailbox, new Entry(modSeq, uids.clone()));
        held += uids.length;
    }

    synchronized long held() {
        return held;
    }
}
