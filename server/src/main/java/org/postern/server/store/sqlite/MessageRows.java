package org.postern.server.store.sqlite;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postern.server.store.MessageMeta;

/**
 * The message records of recently read mailboxes, shared by the readers of one store, as Dovecot keeps a mailbox's
 * flags and sizes in its index. A client opening a folder asks for FETCH 1:* (FLAGS ENVELOPE) again and again (each
 * device, each reconnect); reading 10,000 rows through JDBC and making a record of each was a third of that
 * command's server time (JFR, a 10,000-message mailbox), repeated while nothing in the mailbox had changed.
 *
 * <p>Keyed like {@link UidLists}: by the mailbox id (never reused) and the mailbox's HIGHESTMODSEQ, which every
 * append, copy, move, expunge and flag change in the mailbox raises in its own transaction. So an entry is exact
 * for the committed state it was read from, and any change makes it miss. An entry grows by the UID ranges read at
 * its MODSEQ (a range read is all of the mailbox's messages in it, none left out), and answers a range only when it
 * covers all of it: FETCH 1:* fills it batch by batch, the next FETCH of any part of it reads no rows. Only reads of
 * committed snapshots fill it: the writer's own transaction may still roll back, and its MODSEQ be handed out again.
 */
final class MessageRows {
    /**
     * Records held at most, all mailboxes together: five 10,000-message mailboxes. ~240 bytes a record (the record,
     * its mailbox id, date and blob id, the map's node and key): ~12 MB. Past it the cache starts over.
     */
    static final long MAX_ROWS = 50_000;
    /** For the writer's transaction: never remembers anything. */
    static final MessageRows NONE = new MessageRows(0);

    /** The rows of one mailbox at one MODSEQ, and the UID ranges known in full (first to last, disjoint, apart). */
    private static final class Entry {
        final long modSeq;
        final TreeMap<Long, MessageMeta> rows = new TreeMap<>();
        final TreeMap<Long, Long> covered = new TreeMap<>();

        Entry(long modSeq) {
            this.modSeq = modSeq;
        }

        boolean covers(long first, long last) {
            Map.Entry<Long, Long> c = covered.floorEntry(first);
            return c != null && c.getValue() >= last;
        }

        /** Adds [first, last] to the covered ranges, merged with those it overlaps or touches. */
        void cover(long first, long last) {
            Map.Entry<Long, Long> before = covered.floorEntry(first);
            if (before != null && before.getValue() >= first - 1) {
                first = before.getKey();
                last = Math.max(last, before.getValue());
            }
            for (Map.Entry<Long, Long> after = covered.ceilingEntry(first);
                    after != null && after.getKey() - 1 <= last; after = covered.ceilingEntry(first)) {
                last = Math.max(last, after.getValue());
                covered.remove(after.getKey());
            }
            covered.put(first, last);
        }
    }

    private final long max;
    private final Map<Long, Entry> entries = new HashMap<>();
    private long held;

    MessageRows(long max) {
        this.max = max;
    }

    MessageRows() {
        this(MAX_ROWS);
    }

    /**
     * Appends the records of {@code mailbox} with UIDs {@code first} to {@code last} at {@code modSeq}, ascending,
     * to {@code out} and returns true; false (and {@code out} untouched) when they are not all known.
     */
    synchronized boolean collect(long mailbox, long modSeq, long first, long last, List<MessageMeta> out) {
        Entry e = entries.get(mailbox);
        if (e == null || e.modSeq != modSeq || !e.covers(first, last)) return false;
        out.addAll(e.rows.subMap(first, true, last, true).values());
        return true;
    }

    /**
     * Remembers {@code rows} as all the records of {@code mailbox} with UIDs {@code first} to {@code last} at
     * {@code modSeq}. A different MODSEQ replaces what the mailbox had; past the bound, starts over.
     */
    synchronized void put(long mailbox, long modSeq, long first, long last, List<MessageMeta> rows) {
        // more rows than the bound (a POP3 login or SEARCH of a huge mailbox) are not kept, and evict nothing
        if (max == 0 || first > last || rows.size() > max) return;
        Entry e = entries.get(mailbox);
        if (e == null || e.modSeq != modSeq) {
            if (e != null) held -= e.rows.size();
            e = new Entry(modSeq);
            entries.put(mailbox, e);
        }
        if (held + rows.size() > max) {
            entries.clear();   // cheap to refill, and no LRU bookkeeping on every hit
            held = 0;
            e = new Entry(modSeq);
            entries.put(mailbox, e);
        }
        for (MessageMeta m : rows) {
            if (e.rows.put(m.uid(), m) == null) held++;
        }
        e.cover(first, last);
    }

    synchronized long held() {
        return held;
    }
}
