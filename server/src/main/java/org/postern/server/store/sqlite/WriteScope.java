package org.postern.server.store.sqlite;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postern.server.store.BlobRef;
import org.postern.server.store.Change;

/**
 * What one unit of work in a group commit may touch and what it recorded: the writer connection, the
 * per-account MODSEQ counters (read once, counted in memory, written back by {@link #finish()}), and the
 * Changes to publish after commit. A unit that fails is rolled back to its savepoint and its scope dropped,
 * so nothing it counted or recorded survives.
 */
final class WriteScope {
    /** One change of one account, in commit order. */
    record Recorded(long account, Change change) {}

    private final Db db;
    private final Clock clock;
    private final SqliteBlobStore blobs;
    private final Set<BlobRef> inlined = new LinkedHashSet<>();
    private final Map<Long, long[]> modSeqs = new LinkedHashMap<>();
    private final List<Recorded> changes = new ArrayList<>();
    private int textRows;

    WriteScope(Db db, Clock clock, SqliteBlobStore blobs) {
        this.db = db;
        this.clock = clock;
        this.blobs = blobs;
    }

    Db db() {
        return db;
    }

    Clock clock() {
        return clock;
    }

    /**
     * Creates the account's counter row if missing. UIDVALIDITY is seeded with the current time in seconds
     * (RFC 9051 §2.3.1.1 suggests a time-based value), so a counter row created again after a loss still
     * starts above anything handed out before, unless mailboxes were created faster than one per second.
     */
    void ensureAccountRow(long account) {
        db.update("INSERT INTO account (id, modseq, uidvalidity_next) VALUES (?, 0, ?) ON CONFLICT (id) DO NOTHING",
                account, Math.max(1, clock.instant().getEpochSecond()));
    }

    /** The next MODSEQ of the account: strictly greater than every one handed out before (RFC 7162 §3.1). */
    long nextModSeq(long account) {
        long[] counter = modSeqs.get(account);
        if (counter == null) {
            ensureAccountRow(account);
            counter = new long[] {db.queryLong("SELECT modseq FROM account WHERE id = ?", account).orElseThrow()};
            modSeqs.put(account, counter);
        }
        return ++counter[0];
    }

    /** The account's highest MODSEQ as this unit sees it (including ones it handed out). */
    long highestModSeq(long account) {
        long[] counter = modSeqs.get(account);
        if (counter != null) return counter[0];
        return db.queryLong("SELECT modseq FROM account WHERE id = ?", account).orElse(0L);
    }

    /** A fresh UIDVALIDITY for a new mailbox of the account, never handed out before for this account. */
    long nextUidValidity(long account) {
        ensureAccountRow(account);
        return db.queryLong("UPDATE account SET uidvalidity_next = uidvalidity_next + 1 WHERE id = ? "
                + "RETURNING uidvalidity_next - 1", account).orElseThrow();
    }

    /** Stores the change row (same transaction) and remembers the change for publishing after commit. */
    void record(long account, Change change) {
        ChangeRows.insert(db, account, change);
        changes.add(new Recorded(account, change));
    }

    /** Writes the MODSEQ counters back; called by the writer before releasing the unit's savepoint. */
    void finish() {
        for (Map.Entry<Long, long[]> e : modSeqs.entrySet()) {
            db.update("UPDATE account SET modseq = ? WHERE id = ?", e.getValue()[0], e.getKey());
        }
    }

    /**
     * Called right after inserting a row that references {@code body}: when it is a staged inline body, its
     * bytes go into its {@code blob} row in this same transaction, so it is durable exactly when the reference
     * is (see {@link SqliteBlobStore}). The staged copy is dropped after COMMIT ({@link #inlined()}).
     */
    void referenced(BlobRef body) {
        if (inlined.contains(body)) return;
        blobs.staged(body).ifPresent(bytes -> {
            db.update("UPDATE blob SET data = ? WHERE id = ? AND data IS NULL", bytes, body.id());
            inlined.add(body);
        });
    }

    /** Staged inline bodies this unit stored in their rows. */
    Set<BlobRef> inlined() {
        return inlined;
    }

    /** The unit stored search text for the {@link Indexer}. */
    void markTextAdded() {
        textRows++;
    }

    int textRows() {
        return textRows;
    }

    List<Recorded> changes() {
        return changes;
    }
}
