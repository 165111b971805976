package org.postern.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.server.store.StoreFixtures.newMessage;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postern.server.store.MailStore;
import org.postern.server.store.ReadTx;
import org.postern.server.store.SearchContract;

/** The search contract on the SQLite store (trigram index plus a scan of the rows not indexed yet). */
class SqliteSearchTest extends SearchContract {
    @Override
    protected MailStore open(Path dir) {
        return SqliteMailStore.open(dir);
    }

    @Override
    protected void pauseIndexing(boolean pause) {
        SqliteSearchHooks.pauseIndexing(store, pause);
    }

    @Override
    protected void indexEverything() {
        SqliteSearchHooks.indexEverything(store);
    }

    @Override
    protected long unindexed() {
        return SqliteSearchHooks.unindexed(store);
    }

    @Test
    void firstHeaderValuesCutsAValueAtTheLimit() {
        int max = SqliteReadTx.MAX_HEADER_VALUE_CHARS;
        String atLimit = "a".repeat(max), pastLimit = "b".repeat(max + 1);
        long at = store.write(ALICE, tx -> tx.append(inbox, newMessage(store.blobs(), "X-Long: " + atLimit + "\r\n\r\nx\r\n"))).uid();
        long past = store.write(ALICE, tx -> tx.append(inbox, newMessage(store.blobs(), "X-Long: " + pastLimit + "\r\n\r\nx\r\n"))).uid();

        Map<Long, String> values = store.read(ALICE, (ReadTx tx) -> tx.firstHeaderValues(inbox, "X-Long"));
        assertThat(values.keySet()).containsExactlyInAnyOrder(at, past);
        assertThat(values.get(at).equals(atLimit)).as("the whole value at the limit").isTrue();
        assertThat(values.get(past).equals(pastLimit.substring(0, max))).as("cut one past the limit").isTrue();
    }
}
