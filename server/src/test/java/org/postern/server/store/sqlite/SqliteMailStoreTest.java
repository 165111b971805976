package org.postern.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.server.store.StoreFixtures.blobExists;
import static org.postern.server.store.StoreFixtures.newMessage;
import static org.postern.server.store.StoreFixtures.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.postern.server.store.BlobRef;
import org.postern.server.store.Change;
import org.postern.server.store.Delivery;
import org.postern.server.store.MailStore;
import org.postern.server.store.MailStoreContract;
import org.postern.server.store.Flags;
import org.postern.server.store.MailboxCounts;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.NewMessage;
import org.postern.server.store.ReadTx;
import org.postern.server.store.StoreException;
import org.postern.server.store.UidSet;

/** The contract, plus what is SQLite's own: group commit, migrations, PRAGMAs, orphan sweep. */
class SqliteMailStoreTest extends MailStoreContract {
    @Override
    protected MailStore open(Path dir) {
        return SqliteMailStore.open(dir);
    }

    private SqliteMailStore sqlite() {
        return (SqliteMailStore) store;
    }

    /** Occupies the writer until {@code release} opens; returns once the blocking unit is running. */
    private Thread blockWriter(CountDownLatch release) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        Thread t = Thread.ofVirtual().start(() -> store.write(ALICE, tx -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        return t;
    }

    private void awaitQueued(int units) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sqlite().queuedWrites() < units) {
            assertThat(System.nanoTime()).as("writes queued in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static Thread start(ConcurrentLinkedQueue<Object> outcomes, Supplier<?> work) {
        return Thread.ofVirtual().start(() -> {
            try {
                outcomes.add(work.get());
            } catch (RuntimeException e) {
                outcomes.add(e);
            }
        });
    }

    @Test
    void groupCommitRunsEveryQueuedDeliveryInOneTransaction() throws InterruptedException {
        int deliveries = 32;
        List<Delivery> pending = new ArrayList<>();
        for (int i = 0; i < deliveries; i++) {
            pending.add(new Delivery(newMessage(store.blobs(), text("m" + i, "x")), List.of(ALICE), Optional.empty()));
        }
        CountDownLatch release = new CountDownLatch(1);
        Thread blocker = blockWriter(release);
        long before = sqlite().commits();
        ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (Delivery d : pending) threads.add(start(outcomes, () -> store.deliver(d)));
        awaitQueued(deliveries);

        release.countDown();
        blocker.join();
        for (Thread t : threads) t.join();

        assertThat(outcomes).hasSize(deliveries).allMatch(o -> o instanceof Delivery.Receipt);
        assertThat(sqlite().commits() - before).isEqualTo(2);   // the blocker's batch, then all 32 at once
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.counts(inbox(ALICE))).messages()).isEqualTo(deliveries);
    }

    @Test
    void aFailingUnitIsUndoneAloneWhileTheRestOfItsBatchCommits() throws InterruptedException {
        MailboxId inbox = inbox(ALICE);
        List<NewMessage> messages = new ArrayList<>();
        for (int i = 0; i < 9; i++) messages.add(newMessage(store.blobs(), text("m" + i, "x")));
        CountDownLatch release = new CountDownLatch(1);
        Thread blocker = blockWriter(release);
        long before = sqlite().commits();
        ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            NewMessage m = messages.get(i);
            boolean fail = i == 4;
            threads.add(start(outcomes, () -> store.write(ALICE, tx -> {
                MessageMeta meta = tx.append(inbox, m);
                if (fail) throw new IllegalStateException("unit 4 fails after appending");
                return meta;
            })));
        }
        awaitQueued(messages.size());

        release.countDown();
        blocker.join();
        for (Thread t : threads) t.join();

        assertThat(sqlite().commits() - before).isEqualTo(2);
        assertThat(outcomes).filteredOn(IllegalStateException.class::isInstance).hasSize(1);
        List<MessageMeta> committed = outcomes.stream().filter(MessageMeta.class::isInstance)
                .map(MessageMeta.class::cast).toList();
        assertThat(committed).hasSize(8);
        assertThat(uids(ALICE, inbox)).containsExactlyInAnyOrderElementsOf(
                committed.stream().map(MessageMeta::uid).toList());
        assertThat(changesSince(ALICE, 0)).filteredOn(Change.MessageAdded.class::isInstance).hasSize(8);
        assertThat(blobExists(store.blobs(), messages.get(4).body())).isTrue();   // the caller's to clean up
    }

    @Test
    void aDeliveryThatFailsPartWayLeavesNothing() {
        NewMessage m = newMessage(store.blobs(), text("half", "way"));
        long modSeq = highestModSeq(ALICE);
        // A null sender violates NOT NULL only after both appends ran inside the unit.
        Delivery broken = new Delivery(m, List.of(ALICE, BOB), Optional.of(new Delivery.Outbound(null,
                List.of("x@remote.example"), new byte[0], 10)));

        assertThatThrownBy(() -> store.deliver(broken)).isInstanceOf(StoreException.class);

        assertThat(uids(ALICE, inbox(ALICE))).isEmpty();
        assertThat(highestModSeq(ALICE)).isEqualTo(modSeq);
        assertThat(store.read(BOB, ReadTx::mailboxes)).isEmpty();
        assertThat(store.queue().list()).isEmpty();
    }

    @Test
    void closeWaitsForQueuedWritesToCommit() throws InterruptedException {
        MailboxId inbox = inbox(ALICE);
        List<NewMessage> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) messages.add(newMessage(store.blobs(), text("m" + i, "x")));
        CountDownLatch release = new CountDownLatch(1);
        Thread blocker = blockWriter(release);
        ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (NewMessage m : messages) threads.add(start(outcomes, () -> store.write(ALICE, tx -> tx.append(inbox, m))));
        awaitQueued(messages.size());

        Thread closer = Thread.ofVirtual().start(store::close);
        closer.join(200);
        assertThat(closer.isAlive()).as("close waits for the queued writes").isTrue();
        release.countDown();
        closer.join();
        blocker.join();
        for (Thread t : threads) t.join();
        assertThatThrownBy(() -> append(ALICE, inbox, "too late")).isInstanceOf(StoreException.class);

        store = open(dir);
        assertThat(outcomes).hasSize(10).allMatch(MessageMeta.class::isInstance);
        assertThat(uids(ALICE, inbox)).hasSize(10);
    }

    @Test
    void aWriteCannotStartAnotherWrite() {
        assertThatThrownBy(() -> store.write(ALICE, tx -> store.write(BOB, inner -> null)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theConnectionIsDurableAndChecksForeignKeys() {
        try (Db db = Db.open(dir.resolve(SqliteMailStore.FILE), false)) {
            assertThat(db.queryOne("PRAGMA journal_mode", rs -> rs.getString(1))).contains("wal");
            assertThat(db.queryLong("PRAGMA synchronous")).contains(2L);   // FULL
            assertThat(db.queryLong("PRAGMA foreign_keys")).contains(1L);
            assertThat(db.queryLong("PRAGMA busy_timeout")).contains(Db.BUSY_TIMEOUT.toMillis());
            assertThat(db.queryOne("PRAGMA compile_options", rs -> rs.getString(1))).isPresent();
        }
    }

    @Test
    void migrationsAreAppliedOnceAndReopeningChangesNothing() throws SQLException {
        store.close();
        store = open(dir);
        store.close();
        store = open(dir);

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteMailStore.FILE));
             var rs = c.createStatement().executeQuery("SELECT count(*), max(version) FROM schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(Migrations.latest());
            assertThat(rs.getInt(2)).isEqualTo(Migrations.latest());
        }
        assertThat(store.read(ALICE, ReadTx::mailboxes)).hasSize(MailStore.DEFAULT_MAILBOXES.size());
    }

    @Test
    void schemaV3FillsInTheCountersAndKeywordsOfAnExistingStore() throws SQLException {
        MailboxId inbox = inbox(ALICE);
        append(ALICE, inbox, "a", Flags.of(Flags.SEEN, "$Work"));
        MessageMeta b = append(ALICE, inbox, "b", Flags.of(Flags.DELETED, "todo", "$work"));
        MessageMeta c = append(ALICE, inbox, "c", Flags.NONE);
        long size = store.read(ALICE, (ReadTx tx) -> tx.messages(inbox, UidSet.ALL)).stream().mapToLong(MessageMeta::size).sum();
        store.close();
        // back to what a V2 store looked like: no counters, no keyword list, no triggers (V4 undone first)
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteMailStore.FILE));
             var st = conn.createStatement()) {
            // undo V4 (the relay queue's columns) first
            for (String column : List.of("ret", "envid", "eight_bit", "smtputf8", "delay_notified", "bounce_requested"))
                st.executeUpdate("ALTER TABLE queue_message DROP COLUMN " + column);
            for (String column : List.of("notify", "orcpt", "remote_host", "status"))
                st.executeUpdate("ALTER TABLE queue_recipient DROP COLUMN " + column);
            for (String t : List.of("message_counts_insert", "message_counts_delete", "message_counts_update", "message_counts_move"))
                st.executeUpdate("DROP TRIGGER " + t);
            st.executeUpdate("DROP INDEX message_unseen");
            for (String column : List.of("messages", "unseen", "deleted", "size", "deleted_size", "keywords"))
                st.executeUpdate("ALTER TABLE mailbox DROP COLUMN " + column);
            st.executeUpdate("DELETE FROM schema_version WHERE version >= 3");
        }

        store = open(dir);

        assertThat(store.read(ALICE, (ReadTx tx) -> tx.counts(inbox))).isEqualTo(new MailboxCounts(3, 2, 1, size, b.uid()));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.deletedSize(inbox))).isEqualTo(b.size());
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.keywords(inbox))).as("case-insensitively once each")
                .hasSize(2).containsOnly("$work", "todo");
        // and the triggers keep them from now on
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(c.uid())));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.counts(inbox)).messages()).isEqualTo(2);
    }

    @Test
    void aRememberedUidListIsNeverStaleAfterAppendExpungeCopyOrAFailedWrite() {
        MailboxId inbox = inbox(ALICE);
        for (int i = 0; i < 5; i++) append(ALICE, inbox, "m" + i);
        long[] first = store.read(ALICE, (ReadTx tx) -> tx.uids(inbox));
        first[0] = 42;   // the caller's copy
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.uids(inbox))).containsExactly(1, 2, 3, 4, 5);
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(2)));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.uids(inbox))).containsExactly(1, 3, 4, 5);
        append(ALICE, inbox, "m5");
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.uids(inbox))).containsExactly(1, 3, 4, 5, 6);
        MailboxId sent = box(ALICE, "Sent").id();
        store.write(ALICE, tx -> tx.copy(inbox, UidSet.of(1, 3), sent));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.uids(sent))).containsExactly(1, 2);
        // a write that reads the list, then fails, leaves nothing remembered under the MODSEQ it had reached
        assertThatThrownBy(() -> store.write(ALICE, tx -> {
            tx.expunge(inbox, UidSet.of(1));
            assertThat(tx.uids(inbox)).containsExactly(3, 4, 5, 6);
            throw new IllegalStateException("undone");
        })).hasMessage("undone");
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.uids(inbox))).containsExactly(1, 3, 4, 5, 6);
        store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.of(4), new org.postern.server.store.FlagUpdate(
                org.postern.server.store.FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN)), java.util.OptionalLong.empty()));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.uids(inbox))).containsExactly(1, 3, 4, 5, 6);
    }

    @Test
    void aRememberedMessageRecordIsNeverStaleAfterAFlagChangeExpungeAppendOrAFailedWrite() {
        MailboxId inbox = inbox(ALICE);
        for (int i = 0; i < 5; i++) append(ALICE, inbox, "m" + i);
        UidSet all = new UidSet(List.of(new UidSet.Range(1, Long.MAX_VALUE)));
        java.util.function.Supplier<List<String>> read = () -> store.read(ALICE, (ReadTx tx) -> tx.messages(inbox, all))
                .stream().map(m -> m.uid() + ":" + m.flags()).toList();
        assertThat(read.get()).containsExactly("1:", "2:", "3:", "4:", "5:");
        assertThat(read.get()).as("answered again, from what the first read kept").containsExactly("1:", "2:", "3:", "4:", "5:");
        store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.of(4), new org.postern.server.store.FlagUpdate(
                org.postern.server.store.FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN)), java.util.OptionalLong.empty()));
        assertThat(read.get()).containsExactly("1:", "2:", "3:", "4:\\Seen", "5:");
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(2)));
        assertThat(read.get()).containsExactly("1:", "3:", "4:\\Seen", "5:");
        append(ALICE, inbox, "m5");
        assertThat(read.get()).containsExactly("1:", "3:", "4:\\Seen", "5:", "6:");
        // the writer reads records too, then fails: nothing of its transaction is remembered
        assertThatThrownBy(() -> store.write(ALICE, tx -> {
            tx.setFlags(inbox, UidSet.of(1), new org.postern.server.store.FlagUpdate(
                    org.postern.server.store.FlagUpdate.Mode.ADD, Flags.of(Flags.FLAGGED)), java.util.OptionalLong.empty());
            assertThat(tx.messages(inbox, all).getFirst().flags().has(Flags.FLAGGED)).isTrue();
            throw new IllegalStateException("undone");
        })).hasMessage("undone");
        assertThat(read.get()).containsExactly("1:", "3:", "4:\\Seen", "5:", "6:");
        // the next change takes the MODSEQ the failed write had used: what that write read must not answer for it
        store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.of(3), new org.postern.server.store.FlagUpdate(
                org.postern.server.store.FlagUpdate.Mode.ADD, Flags.of(Flags.FLAGGED)), java.util.OptionalLong.empty()));
        assertThat(read.get()).containsExactly("1:", "3:\\Flagged", "4:\\Seen", "5:", "6:");
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.messages(inbox, UidSet.of(3, 5))).stream().map(MessageMeta::uid))
                .as("part of a remembered range").containsExactly(3L, 5L);
    }

    @Test
    void aDatabaseFromANewerPosternIsRefused() throws SQLException {
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteMailStore.FILE))) {
            c.createStatement().executeUpdate("INSERT INTO schema_version (version, applied) VALUES (7, 0)");
        }

        assertThatThrownBy(() -> open(dir)).isInstanceOf(StoreException.class).hasMessage(
                "mail.db is at schema version 7 but this Postern knows up to " + Migrations.latest() + ": upgrade Postern");

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteMailStore.FILE))) {
            c.createStatement().executeUpdate("DELETE FROM schema_version WHERE version = 7");
        }
        store = open(dir);
    }

    @Test
    void sweepOrphansDeletesOnlyUnreferencedBlobsOlderThanTheMinimumAge() throws IOException {
        BlobRef orphan = put("x".repeat(SqliteBlobStore.INLINE_MAX_BYTES + 1));   // a file: inline bodies are not
        MessageMeta kept = append(ALICE, inbox(ALICE), "referenced");

        assertThat(sqlite().sweepOrphans(Duration.ofHours(1))).isZero();
        assertThat(blobExists(store.blobs(), orphan)).isTrue();

        assertThat(sqlite().sweepOrphans(Duration.ZERO)).isEqualTo(1);
        assertThat(blobExists(store.blobs(), orphan)).isFalse();
        assertThat(blobExists(store.blobs(), kept.body())).isTrue();
    }

    @Test
    void readAheadReturnsTheInlineMessagesOfTheRangeUpToTheLimits() {
        MailboxId inbox = inbox(ALICE);
        List<Long> uids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) uids.add(append(ALICE, inbox, "message " + i).uid());
        assertThat(store.readAhead(ALICE, inbox, uids.get(0), uids.get(4), 16, Long.MAX_VALUE).keySet()).containsExactlyElementsOf(uids);
        assertThat(store.readAhead(ALICE, inbox, uids.get(1), uids.get(4), 2, Long.MAX_VALUE).keySet()).containsExactly(uids.get(1), uids.get(2));
        assertThat(store.readAhead(ALICE, inbox, uids.get(0), uids.get(4), 16, 1).keySet()).containsExactly(uids.get(0));
    }

    @Test
    void theIndexerWaitsWhileSessionsKeepReadingAndCatchesUpOnceReadsRest() throws InterruptedException {
        MailboxId inbox = inbox(ALICE);
        sqlite().pauseIndexing(true);
        for (int i = 0; i < 5; i++) append(ALICE, inbox, "message " + i);
        sqlite().pauseIndexing(false);
        long readUntil = System.nanoTime() + Indexer.IDLE.multipliedBy(3).toNanos();
        while (System.nanoTime() < readUntil) {   // a client downloading: a read every 50 ms, writes at rest
            store.read(ALICE, (ReadTx tx) -> tx.messages(inbox, UidSet.ALL));
            Thread.sleep(50);
        }
        assertThat(sqlite().unindexed()).as("nothing indexed while reads went on").isEqualTo(5);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sqlite().unindexed() > 0) {
            assertThat(System.nanoTime()).as("indexed once reads rested").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void atRestTheIndexerTakesStepAfterStepWithoutWaitingForRestAgain() throws InterruptedException {
        MailboxId inbox = inbox(ALICE);
        sqlite().pauseIndexing(true);
        int messages = Indexer.MAX_STEP_ROWS * 2 + 1;   // three steps at least
        for (int i = 0; i < messages; i++) append(ALICE, inbox, "message " + i);
        long waitsBefore = sqlite().restWaits();
        sqlite().pauseIndexing(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sqlite().unindexed() > 0) {
            assertThat(System.nanoTime()).as("indexed").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(sqlite().restWaits() - waitsBefore).as("one wait for rest, then step after step").isEqualTo(1);
    }

    @Test
    void searchGivesTheSameAnswersBeforeAndAfterTheIndexerRuns() throws InterruptedException, SQLException {
        MailboxId inbox = inbox(ALICE);
        sqlite().pauseIndexing(true);
        for (String s : List.of("Invoice 2024", "invoice reminder", "Grüße", "Lunch", "Weekly report")) {
            append(ALICE, inbox, s);
        }
        List<String> needles = List.of("INVOICE", "GRÜßE", "ÜßE", "üß", "e", "weekly rep", "nowhere");
        assertThat(sqlite().unindexed()).isEqualTo(5);
        List<List<Long>> scanned = needles.stream().map(n -> store.read(ALICE, (ReadTx tx) -> tx.searchText(inbox, n)))
                .toList();

        sqlite().pauseIndexing(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sqlite().unindexed() > 0) {
            assertThat(System.nanoTime()).as("indexed in time").isLessThan(deadline);
            Thread.sleep(10);
        }
        List<List<Long>> indexed = needles.stream().map(n -> store.read(ALICE, (ReadTx tx) -> tx.searchText(inbox, n)))
                .toList();

        assertThat(scanned).containsExactly(List.of(1L, 2L), List.of(3L), List.of(3L), List.of(3L),
                List.of(1L, 2L, 3L, 4L, 5L), List.of(5L), List.of());
        assertThat(indexed).isEqualTo(scanned);
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(1)));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.searchText(inbox, "invoice"))).containsExactly(2L);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteMailStore.FILE))) {
            c.createStatement().execute("PRAGMA busy_timeout = 10000");
            // FTS5 checks its index against the external content: deletes were passed on correctly
            c.createStatement().executeUpdate("INSERT INTO blob_fts (blob_fts, rank) VALUES ('integrity-check', 1)");
        }
    }

    private BlobRef put(String content) throws IOException {
        return store.blobs().put(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), Long.MAX_VALUE).ref();
    }
}
