package org.postern.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.server.store.StoreFixtures.newMessage;
import static org.postern.server.store.StoreFixtures.text;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.store.AccountId;
import org.postern.server.store.Delivery;
import org.postern.server.store.ReadTx;

/** Each limit of the SQLite store at its value and one past it. */
class SqliteLimitsTest {
    private static final AccountId ALICE = new AccountId(1);

    @TempDir
    Path dir;
    SqliteMailStore store;

    @BeforeEach
    void open() {
        store = SqliteMailStore.open(dir);
        store.ensureAccount(ALICE);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Queues {@code units} no-op writes behind a blocked writer, releases it, returns the commits they took. */
    private long commitsFor(int units) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread blocker = Thread.ofVirtual().start(() -> store.write(ALICE, tx -> {
            inside.countDown();
            awaitQuietly(release);
            return null;
        }));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        long before = store.commits();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < units; i++) threads.add(Thread.ofVirtual().start(() -> store.write(ALICE, ReadTx::highestModSeq)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.queuedWrites() < units) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        release.countDown();
        blocker.join();
        for (Thread t : threads) t.join();
        return store.commits() - before - 1;   // minus the blocker's own batch
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void oneBatchTakesExactlyMaxBatchUnits() throws InterruptedException {
        assertThat(commitsFor(Writer.MAX_BATCH)).isEqualTo(1);
    }

    @Test
    void oneUnitPastMaxBatchTakesASecondCommit() throws InterruptedException {
        assertThat(commitsFor(Writer.MAX_BATCH + 1)).isEqualTo(2);
    }

    @Test
    void aDeliveryToSeveralAccountsAndTheQueueIsOneCommit() {
        Delivery d = new Delivery(newMessage(store.blobs(), text("one", "commit")), List.of(ALICE, new AccountId(2)),
                Optional.of(new Delivery.Outbound("a@example.org", List.of("x@remote.example"), new byte[0], 30)));
        long before = store.commits();
        store.deliver(d);
        assertThat(store.commits() - before).isEqualTo(1);
    }

    @Test
    void readersBeyondThePoolSizeWaitForAConnection() throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(ReaderPool.SIZE), release = new CountDownLatch(1);
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < ReaderPool.SIZE; i++) {
            holders.add(Thread.ofVirtual().start(() -> store.read(ALICE, tx -> {
                holding.countDown();
                awaitQuietly(release);
                return null;
            })));
        }
        assertThat(holding.await(10, TimeUnit.SECONDS)).as("all %d readers at once", ReaderPool.SIZE).isTrue();
        CountDownLatch extraDone = new CountDownLatch(1);
        Thread extra = Thread.ofVirtual().start(() -> {
            store.read(ALICE, ReadTx::mailboxes);
            extraDone.countDown();
        });

        assertThat(extraDone.await(200, TimeUnit.MILLISECONDS)).as("reader %d waits", ReaderPool.SIZE + 1).isFalse();
        release.countDown();
        assertThat(extraDone.await(10, TimeUnit.SECONDS)).isTrue();
        extra.join();
        for (Thread t : holders) t.join();
    }

    // ---- indexer steps, driven directly on a migrated database

    private int indexedAfterOneStep(List<Integer> textSizes) {
        store.close();
        try (Db db = Db.open(dir.resolve(SqliteMailStore.FILE), false)) {
            db.execute("DELETE FROM blob_text");
            for (int i = 0; i < textSizes.size(); i++) {
                db.update("INSERT INTO blob_text (num, headers, body) VALUES (?, '', ?)", i + 1,
                        "x".repeat(textSizes.get(i)));
            }
            Indexer indexer = new Indexer();
            db.execute("BEGIN IMMEDIATE");
            indexer.step(db);
            db.execute("COMMIT");
            return db.queryLong("SELECT count(*) FROM blob_text WHERE indexed = 1").orElseThrow().intValue();
        } finally {
            store = SqliteMailStore.open(dir);
        }
    }

    @Test
    void anIndexStepTakesAtMostMaxStepRows() {
        assertThat(indexedAfterOneStep(java.util.Collections.nCopies(Indexer.MAX_STEP_ROWS, 3)))
                .isEqualTo(Indexer.MAX_STEP_ROWS);
        assertThat(indexedAfterOneStep(java.util.Collections.nCopies(Indexer.MAX_STEP_ROWS + 1, 3)))
                .isEqualTo(Indexer.MAX_STEP_ROWS);
    }

    @Test
    void anIndexStepTakesAtMostMaxStepCharsButAlwaysOneRow() {
        int half = (int) (Indexer.MAX_STEP_CHARS / 2);
        assertThat(indexedAfterOneStep(List.of(half, half, 1))).isEqualTo(2);
        assertThat(indexedAfterOneStep(List.of(half, half + 1, 1))).isEqualTo(1);
        assertThat(indexedAfterOneStep(List.of((int) Indexer.MAX_STEP_CHARS + 1, 1))).isEqualTo(1);
    }
}
