package org.postern.server.store.sqlite;

import java.util.concurrent.TimeUnit;
import org.postern.server.store.MailStore;

/**
 * Test access to the SQLite store's search indexer from other packages (SearchEngineTest): stop it, so searches
 * take the path for text not indexed yet, and let it catch up, so they take the index.
 */
public final class SqliteSearchHooks {
    private SqliteSearchHooks() {}

    public static void pauseIndexing(MailStore store, boolean pause) {
        ((SqliteMailStore) store).pauseIndexing(pause);
    }

    /** Resumes indexing and returns once every stored text is in the index; fails after ten seconds. */
    public static void indexEverything(MailStore store) {
        SqliteMailStore sqlite = (SqliteMailStore) store;
        sqlite.pauseIndexing(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sqlite.unindexed() > 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("the indexer did not catch up in 10 s");
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the indexer", e);
            }
        }
    }

    /** Stored search texts not in the index yet. */
    public static long unindexed(MailStore store) {
        return ((SqliteMailStore) store).unindexed();
    }
}
