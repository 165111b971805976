package org.postern.client.sync;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.store.LocalStore;
import org.postern.client.testing.TestPostern;
import org.postern.server.store.BlobStore;
import org.postern.server.store.Flags;
import org.postern.server.store.MailboxName;
import org.postern.server.store.NewMessage;
import org.postern.wire.mime.MessageParser;

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
            var account = postern.account(TestPostern.USER);
            BlobStore blobs = postern.server().store().blobs();
            for (int batch = 0; batch < MESSAGES; batch += 1000) {
                List<NewMessage> messages = new ArrayList<>();
                for (int i = batch; i < batch + 1000; i++) {
                    String raw = SyncFixtures.message("message " + i, "m" + i + "@example.org");
                    try {
                        BlobStore.Stored blob = blobs.put(new ByteArrayInputStream(raw.getBytes(UTF_8)), Long.MAX_VALUE);
                        messages.add(NewMessage.of(blob.ref(), new byte[0], i % 3 == 0 ? Flags.of("\\Seen") : Flags.NONE,
                                Instant.parse("2026-12-01T00:00:00Z").plusSeconds(i), MessageParser.parse(raw)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                postern.server().store().write(account, tx -> {
                    var box = tx.mailbox(MailboxName.INBOX).orElseThrow().id();
                    for (NewMessage m : messages) tx.append(box, m);
                    return null;
                });
            }
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
        }
    }
}
