package org.postern.server.pop3;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.postern.server.store.AccountId;
import org.postern.server.store.MailStore;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.UidSet;

/**
 * The account's INBOX as one POP3 session sees it (RFC 1939 §5): message numbers and sizes are fixed when the
 * session enters TRANSACTION, deletions are only marked until QUIT. Two longs per message, so a large
 * maildrop costs 16 bytes a message, not a list of objects.
 *
 * <p>UIDL (RFC 1939 §7) is {@code UIDVALIDITY.UID} of the INBOX: a UID is never reused within one UIDVALIDITY
 * and an account never hands out the same UIDVALIDITY twice (store contract), so the value names one message
 * forever, across sessions, restarts and later deliveries, and fits the 1–70 printable characters.
 */
final class Maildrop {
    final AccountId account;
    final MailboxId box;
    private final long uidValidity;
    private final long[] uids;
    private final long[] sizes;
    private final BitSet deleted = new BitSet();
    private final BitSet retrieved = new BitSet();
    private final java.util.SortedMap<Long, byte[]> ahead = new java.util.TreeMap<>();   // uid -> whole message

    private Maildrop(AccountId account, MailboxId box, long uidValidity, long[] uids, long[] sizes) {
        this.account = account;
        this.box = box;
        this.uidValidity = uidValidity;
        this.uids = uids;
        this.sizes = sizes;
    }

    /** Reads the INBOX in one read transaction (creating the account's default mailboxes if it has none). */
    static Maildrop load(MailStore store, AccountId account) {
        Optional<Maildrop> drop = store.read(account, Maildrop::read);
        if (drop.isPresent()) return drop.get();
        store.ensureAccount(account);
        return store.read(account, Maildrop::read).orElseThrow(() -> new IllegalStateException("no INBOX after ensureAccount"));
    }

    private static Optional<Maildrop> read(org.postern.server.store.ReadTx tx) {
        Optional<Mailbox> inbox = tx.mailbox(MailboxName.INBOX);
        if (inbox.isEmpty()) return Optional.empty();
        List<MessageMeta> all = tx.messages(inbox.get().id(), UidSet.ALL);   // in UID order: oldest first
        long[] uids = new long[all.size()], sizes = new long[all.size()];
        for (int i = 0; i < all.size(); i++) {
            uids[i] = all.get(i).uid();
            sizes[i] = all.get(i).size();
        }
        return Optional.of(new Maildrop(tx.account(), inbox.get().id(), inbox.get().uidValidity(), uids, sizes));
    }

    /**
     * The bytes of message {@code n}: from the read-ahead, else one store read of it and up to
     * {@link Pop3Limits#READ_AHEAD_MESSAGES} after it (bodies in files are opened on their own). Empty when
     * the message is gone (an IMAP session expunged it after this session logged in).
     */
    Optional<java.io.InputStream> open(MailStore store, int n) throws java.io.IOException {
        byte[] bytes = ahead.remove(uid(n));
        // not read ahead although later messages were: its body is a file (or it is gone); keep the rest
        if (bytes == null && !ahead.isEmpty() && uid(n) < ahead.lastKey()) return store.openMessage(account, box, uid(n));
        if (bytes == null) {
            ahead.clear();
            int last = Math.min(count(), n + Pop3Limits.READ_AHEAD_MESSAGES - 1);
            ahead.putAll(store.readAhead(account, box, uid(n), uid(last), Pop3Limits.READ_AHEAD_MESSAGES,
                    Pop3Limits.READ_AHEAD_BYTES));
            bytes = ahead.remove(uid(n));
        }
        if (bytes != null) return Optional.of(new java.io.ByteArrayInputStream(bytes));
        return store.openMessage(account, box, uid(n));
    }

    /** Messages at login, deleted ones included (the highest message number). */
    int count() {
        return uids.length;
    }

    /** A message number that names a message of this maildrop (deleted or not). */
    boolean valid(int n) {
        return n >= 1 && n <= uids.length;
    }

    boolean deleted(int n) {
        return deleted.get(n - 1);
    }

    void delete(int n) {
        deleted.set(n - 1);
    }

    void retrieved(int n) {
        retrieved.set(n - 1);
    }

    /** RSET (RFC 1939 §5): every deletion mark is removed. */
    void undeleteAll() {
        deleted.clear();
    }

    long uid(int n) {
        return uids[n - 1];
    }

    long size(int n) {
        return sizes[n - 1];
    }

    String uidl(int n) {
        return uidValidity + "." + uids[n - 1];
    }

    /** Messages not marked deleted. */
    int liveCount() {
        return uids.length - deleted.cardinality();
    }

    long liveOctets() {
        long total = 0;
        for (int i = 0; i < uids.length; i++) if (!deleted.get(i)) total += sizes[i];
        return total;
    }

    /** The UIDs marked deleted, for the UPDATE state's expunge. */
    UidSet deletedUids() {
        return uidSet(deleted);
    }

    /** Retrieved (RETR or TOP) and not deleted: flagged \Seen at QUIT, as IMAP clients expect of read mail. */
    UidSet seenUids() {
        BitSet seen = (BitSet) retrieved.clone();
        seen.andNot(deleted);
        return uidSet(seen);
    }

    boolean anyDeleted() {
        return !deleted.isEmpty();
    }

    /**
     * A run of consecutive message numbers becomes one UID range: no UID between two of a maildrop's can exist
     * later (UIDs only grow, RFC 9051 §2.3.1.1), so the range names exactly those messages and the store
     * expunges a deleted-everything maildrop with one statement.
     */
    private UidSet uidSet(BitSet bits) {
        List<UidSet.Range> ranges = new ArrayList<>();
        for (int i = bits.nextSetBit(0); i >= 0; ) {
            int end = bits.nextClearBit(i);   // exclusive
            ranges.add(new UidSet.Range(uids[i], uids[end - 1]));
            i = bits.nextSetBit(end);
        }
        return new UidSet(ranges);
    }
}
