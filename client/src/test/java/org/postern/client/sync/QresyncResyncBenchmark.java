package org.postern.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.store.LocalStore;
import org.postern.client.testing.TestPostern;

/**
 * How long a sync takes when nothing changed, on a 10,000-message INBOX with QRESYNC: prints the figures, asserts
 * only what the sync did (nothing), never a time. Slow to set up (10,000 messages stored and downloaded once), so
 * it runs only when asked: {@code mvn -B -o -q -pl client test -Dtest=QresyncResyncBenchmark -Dpostern.bench=true}.
 */
@EnabledIfSystemProperty(named = "postern.bench", matches = "true")
class QresyncResyncBenchmark {
    static final int MESSAGES = 10_000;

    @Test
    void aNoChangeResyncOfTenThousandMessages(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            SyncFixtures.storeMessages(postern, MESSAGES);
            ImapSync sync = new ImapSync(SyncFixtures.imap(postern), store, Optional.empty());
            long t0 = System.nanoTime();
            SyncReport first = sync.sync(SyncProgress.NONE);
            long t1 = System.nanoTime();
            assertThat(first.downloaded()).isEqualTo(MESSAGES);
            for (int run = 1; run <= 3; run++) {
                long s = System.nanoTime();
                SyncReport again = sync.sync(SyncProgress.NONE);
                long e = System.nanoTime();
                assertThat(again.downloaded()).isZero();
                assertThat(again.folders()).allSatisfy(f -> assertThat(f.flagsUpdated() + f.expungedLocally() + f.pushed()).isZero());
                System.out.printf("QRESYNC no-change resync #%d of %d messages (6 folders, connect + login included): %d ms%n",
                        run, MESSAGES, (e - s) / 1_000_000);
            }
            System.out.printf("first sync (download of %d messages): %d ms%n", MESSAGES, (t1 - t0) / 1_000_000);

            // "mark all read" offline, then one sync pushes it
            for (LocalStore.LocalMessage m : store.list("INBOX", 0, Integer.MAX_VALUE)) {
                if (!m.flags().contains("\\Seen")) {
                    var flags = new java.util.HashSet<>(m.flags());
                    flags.add("\\Seen");
                    store.setFlags(m.id(), flags);
                }
            }
            int marked = store.pending().size();
            long p0 = System.nanoTime();
            SyncReport pushedAll = sync.sync(SyncProgress.NONE);
            long p1 = System.nanoTime();
            assertThat(store.pending()).isEmpty();
            assertThat(pushedAll.folders().stream().mapToInt(SyncReport.Folder::pushed).sum()).isEqualTo(marked);
            assertThat(postern.messages(TestPostern.USER, "INBOX")).allSatisfy(m -> assertThat(m.flags().has("\\Seen")).isTrue());
            postern.deliver(TestPostern.USER, SyncFixtures.message("one more", "one-more@example.org"));
            long n0 = System.nanoTime();
            SyncReport oneNew = sync.sync(SyncProgress.NONE);
            long n1 = System.nanoTime();
            assertThat(oneNew.downloaded()).isEqualTo(1);
            System.out.printf("sync downloading 1 new message into the %d-message INBOX: %d ms%n", MESSAGES, (n1 - n0) / 1_000_000);
            System.out.printf("sync pushing %d offline flag changes (\\Seen on each): %d ms%n", marked, (p1 - p0) / 1_000_000);
        }
    }
}
