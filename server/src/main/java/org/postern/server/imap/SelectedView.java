package org.postern.server.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.postern.server.store.AccountId;
import org.postern.server.store.Change;
import org.postern.server.store.Flags;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxId;
import org.postern.wire.imap.ImapWriter.Condition;
import org.postern.wire.imap.ResponseCode;
import org.postern.wire.imap.SequenceSet;

/**
 * One session's view of its selected mailbox (RFC 9051 §2.3.1): the UIDs in sequence-number order, exactly as the
 * client has been told. Message n is {@code uids[n-1]}; UIDs ascend, so a UID's sequence number is a binary
 * search. Eight bytes a message.
 *
 * <p><b>Changes.</b> The store's change feed only wakes an IDLE session's view ({@link #signal}, called on a store
 * thread, never blocks). At the points RFC 9051 §7 allows, the session calls {@link #announce}: the view reads the
 * account's changes since the last MODSEQ it applied ({@code ReadTx.changesSince}: exact and in commit order,
 * whatever the feed's timing) and tells the client: EXPUNGE (or VANISHED with QRESYNC, RFC 7162 §3.2.10), EXISTS, and FETCH
 * FLAGS. Expunges that may not be told yet (after FETCH, STORE or SEARCH by sequence number, §7.5.1) wait in
 * {@code vanished}; until then the message keeps its sequence number. A message added and expunged between two
 * announcements is never mentioned.
 *
 * <p><b>Threads.</b> The session thread, or during IDLE the pusher thread, uses the view; a lock makes the
 * hand-over safe. {@link #signal} only sets a flag and unparks the IDLE pusher.
 */
final class SelectedView {
    /** The selected mailbox was deleted (by another session): the session ends with BYE, as Dovecot's does. */
    static final class MailboxGoneException extends RuntimeException {
        MailboxGoneException() {
            super("selected mailbox deleted", null, false, false);
        }
    }

    private final ImapSession s;
    private final AccountId account;
    private final MailboxId box;
    private final long uidValidity;
    private final boolean readOnly;
    private long[] uids;
    private int size;
    /** UIDs the store expunged that the client has not been told of yet, each with its expunge's MODSEQ. */
    private final TreeMap<Long, Long> vanished = new TreeMap<>();
    /** The account MODSEQ up to which changes have been applied. */
    private long modSeq;
    /** RFC 3501 \Recent: the messages this session was the first to learn of (see {@link RecentClaims}). */
    private final Set<Long> recent = new HashSet<>();
    /** MODSEQs of flag changes this session already reported itself (its STORE, its FETCH setting \Seen). */
    private final Set<Long> reported = new HashSet<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean dirty;
    private volatile Thread waiter;

    SelectedView(ImapSession s, AccountId account, Mailbox mailbox, boolean readOnly, long[] uids, long modSeq,
                 long[] recentUids) {
        this.s = s;
        for (long u : recentUids) recent.add(u);
        this.account = account;
        this.box = mailbox.id();
        this.uidValidity = mailbox.uidValidity();
        this.readOnly = readOnly;
        this.uids = uids;
        this.size = uids.length;
        this.modSeq = modSeq;
    }

    MailboxId box() {
        return box;
    }

    long uidValidity() {
        return uidValidity;
    }

    boolean readOnly() {
        return readOnly;
    }

    /** Messages the client knows of (its EXISTS). */
    int size() {
        return size;
    }

    long uid(int index) {
        return uids[index];
    }

    /** The UIDs in sequence order (a copy). */
    long[] uids() {
        return Arrays.copyOf(uids, size);
    }

    /** The \Recent messages of this session (RFC 3501 §2.3.2), a copy. */
    Set<Long> recent() {
        return Set.copyOf(recent);
    }

    /**
     * A message's flags as this session shows them: with \Recent for an IMAP4rev1 session that was the first to
     * learn of it (IMAP4rev2 has no \Recent, RFC 9051 Appendix E).
     */
    java.util.Collection<String> shown(long uid, Flags flags) {
        if (!showsRecent(uid)) return flags.names();
        List<String> withRecent = new ArrayList<>(flags.names());
        withRecent.add(Flags.RECENT);
        return withRecent;
    }

    /** Whether {@link #shown} adds \Recent to this message's flags. */
    boolean showsRecent(long uid) {
        return !s.rev2() && !recent.isEmpty() && recent.contains(uid);
    }

    /** The UIDs at these 0-based indexes (as {@link #resolve} returns them), in the same order. */
    long[] uids(int[] indexes) {
        long[] out = new long[indexes.length];
        for (int i = 0; i < indexes.length; i++) out[i] = uids[indexes[i]];
        return out;
    }

    long lastUid() {
        return size == 0 ? 0 : uids[size - 1];
    }

    /** The 0-based index of {@code uid}, or a negative number when the view does not have it. */
    int indexOf(long uid) {
        return Arrays.binarySearch(uids, 0, size, uid);
    }

    /**
     * The messages a sequence set names, as ascending 0-based indexes. Sequence numbers past the last message
     * (or {@code *} in an empty mailbox) are a BAD command (RFC 3501 §9, seq-number: "the server should respond
     * with a tagged BAD response to a command that uses a message sequence number greater than the number of
     * messages in the selected mailbox"); UIDs that do not exist are simply not there (RFC 9051 §6.4.9).
     * {@code $} (RFC 5182) is the saved result, in either form.
     */
    int[] resolve(SequenceSet set, long[] savedUids) {
        BitSet chosen = new BitSet(size);
        if (set.savedResult()) {
            for (long u : savedUids) {
                int i = indexOf(u);
                if (i >= 0) chosen.set(i);
            }
        } else if (set.uid()) {
            for (SequenceSet.Range r : set.ranges()) {
                long[] ab = r.resolve(lastUid());
                int from = insertionPoint(ab[0]), to = insertionPoint(ab[1] + 1);
                if (from < to) chosen.set(from, to);
            }
        } else {
            for (SequenceSet.Range r : set.ranges()) {
                long[] ab = r.resolve(size);
                if (ab[0] < 1 || ab[1] > size)
                    throw ImapNo.bad(size == 0 ? "the mailbox is empty" : "no such message: the mailbox has " + size);
                chosen.set((int) ab[0] - 1, (int) ab[1]);
            }
        }
        return chosen.stream().toArray();
    }

    private int insertionPoint(long uid) {
        int i = Arrays.binarySearch(uids, 0, size, uid);
        return i >= 0 ? i : -i - 1;
    }

    /** Called by the store's subscriber thread after a commit that touched the account: wake, never block. */
    void signal() {
        dirty = true;
        Thread w = waiter;
        if (w != null) LockSupport.unpark(w);
    }

    /** Flag changes the session reported in its own FETCH responses; not reported again. */
    void reported(long changeModSeq) {
        lock.lock();
        try {
            reported.add(changeModSeq);
        } finally {
            lock.unlock();
        }
    }

    /** IDLE's pusher: parks until {@link #signal} (or {@code stop}), as the given thread. */
    void awaitSignal(Thread self, java.util.function.BooleanSupplier stop) {
        waiter = self;
        try {
            while (!dirty && !stop.getAsBoolean()) LockSupport.park(this);
        } finally {
            waiter = null;
        }
    }

    /** Wakes a thread parked in {@link #awaitSignal} so it can see its stop flag. */
    void wake(Thread t) {
        LockSupport.unpark(t);
    }

    /**
     * Tells the client what changed since the last announcement (see the class comment). {@code allowExpunge}
     * false after FETCH, STORE and SEARCH by sequence number.
     *
     * @throws MailboxGoneException when the mailbox was deleted
     */
    void announce(boolean allowExpunge) throws IOException {
        lock.lock();
        try {
            List<Long> added = new ArrayList<>();
            Map<Long, Change.FlagsChanged> flagged = new LinkedHashMap<>();
            // Always read: the feed's wake-up may still be on its way for a commit another session has already
            // been told of (an SMTP 250, a STORE's OK), and the client must see it now. The read is one indexed
            // range (account, modseq > ours) that is empty when nothing changed.
            dirty = false;
            List<Change> changes = s.store().read(account, tx -> tx.changesSince(modSeq));
            for (Change c : changes) {
                modSeq = Math.max(modSeq, c.modSeq());
                switch (c) {
                    case Change.MessageAdded a when a.box().equals(box) -> {
                        if (a.uid() > lastUid() && (added.isEmpty() || a.uid() > added.getLast())) added.add(a.uid());
                    }
                    case Change.MessagesExpunged x when x.box().equals(box) -> {
                        for (long u : x.uids()) {
                            if (added.remove(Long.valueOf(u))) flagged.remove(u);
                            else if (indexOf(u) >= 0) vanished.putIfAbsent(u, x.modSeq());
                        }
                    }
                    case Change.FlagsChanged f when f.box().equals(box) -> {
                        // a change this session reported itself supersedes the earlier ones of the same message
                        // (the client saw the newer flags): they are dropped, not sent after it as stale FLAGS
                        if (reported.remove(f.modSeq())) flagged.remove(f.uid());
                        else flagged.put(f.uid(), f);
                    }
                    case Change.MailboxDeleted d when d.box().equals(box) -> throw new MailboxGoneException();
                    default -> { }
                }
            }
            if (allowExpunge && !vanished.isEmpty()) {
                long[] gone = vanished.keySet().stream().mapToLong(Long::longValue).toArray();
                vanished.clear();
                tellExpunged(gone);
            }
            if (!added.isEmpty()) {
                if (size + added.size() > uids.length) uids = Arrays.copyOf(uids, Math.max(uids.length * 2, size + added.size()));
                for (long u : added) uids[size++] = u;
                int exists = size;
                s.out.untagged(r -> r.number(exists).atom("EXISTS"));
                if (!readOnly) for (long u : s.server.recent().claim(box, Sets.toArray(added))) recent.add(u);
                if (!s.rev2()) {
                    int count = recent.size();
                    s.out.untagged(r -> r.number(count).atom("RECENT"));   // RFC 3501 §7.3.2
                }
            }
            for (Change.FlagsChanged f : flagged.values()) {
                int i = indexOf(f.uid());
                if (i >= 0 && !vanished.containsKey(f.uid())) fetchFlags(i + 1, f.uid(), f.flags(), f.modSeq(), s.condstore());
            }
            if (s.condstore() && !vanished.isEmpty()) {
                // RFC 7162 §3.2: MODSEQs higher than a held-back expunge's may have been sent (this command's or
                // the FETCHes above), so the client is told a HIGHESTMODSEQ below the expunge's: one that saves
                // the highest MODSEQ it saw and resynchronises from it later still learns of the expunge
                long below = vanished.values().stream().mapToLong(Long::longValue).min().getAsLong() - 1;
                s.out.untagged(Condition.OK, ResponseCode.highestModSeq(below), "expunges pending");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes expunged messages from the view and says so: with QRESYNC one {@code VANISHED} (RFC 7162 §3.2.10),
     * else one EXPUNGE per message, in ascending order with each number as it is after the ones before it
     * (RFC 9051 §7.5.1's example: 3, 3, 5, 8 for messages 3, 4, 7 and 11). UIDs the view lacks are ignored.
     */
    void tellExpunged(long[] ascendingUids) throws IOException {
        lock.lock();
        try {
            BitSet gone = new BitSet(size);
            List<Long> told = new ArrayList<>();
            for (long u : ascendingUids) {
                int i = indexOf(u);
                if (i >= 0) {
                    gone.set(i);
                    told.add(u);
                }
                vanished.remove(u);
                recent.remove(u);
            }
            if (told.isEmpty()) return;
            if (s.qresync()) {
                String set = Sets.compact(told);
                s.out.untagged(r -> r.atom("VANISHED").token(set));
            } else {
                int k = 0;
                for (int i = gone.nextSetBit(0); i >= 0; i = gone.nextSetBit(i + 1), k++) {
                    int seq = i + 1 - k;
                    s.out.untagged(r -> r.number(seq).atom("EXPUNGE"));
                }
            }
            int w = 0;
            for (int i = 0; i < size; i++) if (!gone.get(i)) uids[w++] = uids[i];
            size = w;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code * seq FETCH ([UID n] FLAGS (...) [MODSEQ (m)])}: MODSEQ once CONDSTORE is on. RFC 7162 §3.2.4 (this
     * server has QRESYNC): once a CONDSTORE-enabling command was issued, every untagged FETCH caused by a STORE, a
     * FETCH that set \Seen or another session carries both UID and MODSEQ; callers pass {@code withUid} so.
     */
    void fetchFlags(int seq, long uid, Flags flags, long messageModSeq, boolean withUid) throws IOException {
        boolean modseq = s.condstore();
        s.out.untagged(r -> {
            r.number(seq).atom("FETCH").open();
            if (withUid) r.atom("UID").number(uid);
            r.atom("FLAGS").flags(shown(uid, flags));
            if (modseq) r.atom("MODSEQ").open().number(messageModSeq).close();
            r.close();
        });
    }
}
