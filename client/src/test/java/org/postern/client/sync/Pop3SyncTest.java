package org.postern.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.client.sync.SyncFixtures.message;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.store.LocalStore;
import org.postern.client.testing.TestPostern;

class Pop3SyncTest {
    private static Pop3Sync pop3(TestPostern postern, LocalStore store, Pop3Sync.Options options, Clock clock) {
        return new Pop3Sync(SyncFixtures.login(postern.pop3()), store, options, clock);
    }

    @Test
    void newMessagesAreDownloadedOnceAndLeftOnTheServerByDefault(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.deliver(TestPostern.USER, message("a", "a@example.org"));
            postern.deliver(TestPostern.USER, message("b", "b@example.org"));
            Pop3Sync sync = pop3(postern, store, Pop3Sync.Options.LEAVE_ON_SERVER, Clock.systemUTC());

            Pop3Sync.Report first = sync.sync(SyncProgress.NONE);
            postern.deliver(TestPostern.USER, message("c", "c@example.org"));
            Pop3Sync.Report second = sync.sync(SyncProgress.NONE);

            assertThat(first.downloaded()).isEqualTo(2);
            assertThat(second.downloaded()).isEqualTo(1);
            assertThat(first.deletedOnServer() + second.deletedOnServer()).isZero();
            assertThat(postern.messages(TestPostern.USER, "INBOX")).hasSize(3);
            assertThat(store.list("INBOX", 0, 100)).extracting(LocalStore.LocalMessage::subject)
                    .containsExactlyInAnyOrder("a", "b", "c");
            assertThat(store.pending()).as("nothing to upload: they came from the server").isEmpty();
        }
    }

    @Test
    void deleteAfterDownloadEmptiesTheServerAndKeepsEveryMessageLocally(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.deliver(TestPostern.USER, message("a", "a@example.org"));
            pop3(postern, store, Pop3Sync.Options.LEAVE_ON_SERVER, Clock.systemUTC()).sync(SyncProgress.NONE);
            postern.deliver(TestPostern.USER, message("b", "b@example.org"));

            Pop3Sync.Report r = pop3(postern, store, new Pop3Sync.Options(true, OptionalInt.empty()), Clock.systemUTC())
                    .sync(SyncProgress.NONE);

            assertThat(r.downloaded()).as("only the new one").isEqualTo(1);
            assertThat(r.deletedOnServer()).as("the one downloaded before too").isEqualTo(2);
            assertThat(postern.messages(TestPostern.USER, "INBOX")).isEmpty();
            assertThat(store.list("INBOX", 0, 100)).extracting(LocalStore.LocalMessage::subject).containsExactlyInAnyOrder("a", "b");
        }
    }

    @Test
    void deleteAfterDaysDeletesOnlyMessagesDownloadedThatLongAgo(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
            Pop3Sync.Options threeDays = new Pop3Sync.Options(false, OptionalInt.of(3));
            postern.deliver(TestPostern.USER, message("old", "old@example.org"));
            pop3(postern, store, threeDays, Clock.fixed(t0, ZoneOffset.UTC)).sync(SyncProgress.NONE);
            postern.deliver(TestPostern.USER, message("new", "new@example.org"));
            pop3(postern, store, threeDays, Clock.fixed(t0.plus(Duration.ofDays(2)), ZoneOffset.UTC)).sync(SyncProgress.NONE);

            Pop3Sync.Report justBefore = pop3(postern, store, threeDays,
                    Clock.fixed(t0.plus(Duration.ofDays(3)).minusSeconds(1), ZoneOffset.UTC)).sync(SyncProgress.NONE);
            assertThat(justBefore.deletedOnServer()).isZero();
            Pop3Sync.Report atThreeDays = pop3(postern, store, threeDays,
                    Clock.fixed(t0.plus(Duration.ofDays(3)), ZoneOffset.UTC)).sync(SyncProgress.NONE);

            assertThat(atThreeDays.deletedOnServer()).isEqualTo(1);
            assertThat(postern.messages(TestPostern.USER, "INBOX")).hasSize(1);
            assertThat(store.list("INBOX", 0, 100)).hasSize(2);
        }
    }

    /** A cut in the middle deletes nothing (no QUIT, RFC 1939 §6) and the next sync downloads only the rest. */
    @Test
    void aCutSyncDeletesNothingAndTheNextDownloadsOnlyTheRest(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"));
             SyncFixtures.CutProxy proxy = new SyncFixtures.CutProxy(postern.port("pop3"))) {
            int count = 12;
            // 256 KB each: more than the sockets on the way buffer, so the cut falls inside the downloads
            for (int i = 1; i <= count; i++) postern.deliver(TestPostern.USER, TestPostern.largeMessage("m" + i, 256 * 1024));
            Pop3Sync viaProxy = new Pop3Sync(SyncFixtures.login(proxy.endpoint(postern.pop3())), store,
                    new Pop3Sync.Options(true, OptionalInt.empty()), Clock.systemUTC());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> viaProxy.sync((folder, done, total) -> {
                if (done == 2) proxy.cut();
            })).isInstanceOf(IOException.class);
            int partial = store.list("INBOX", 0, 100).size();
            assertThat(partial).isBetween(2, count - 1);
            assertThat(postern.messages(TestPostern.USER, "INBOX")).as("no QUIT, nothing deleted").hasSize(count);

            Pop3Sync.Report r = viaProxy.sync(SyncProgress.NONE);

            assertThat(r.downloaded()).isEqualTo(count - partial);
            assertThat(r.deletedOnServer()).isEqualTo(count);
            assertThat(postern.messages(TestPostern.USER, "INBOX")).isEmpty();
            assertThat(store.list("INBOX", 0, 100)).extracting(LocalStore.LocalMessage::subject).doesNotHaveDuplicates()
                    .hasSize(count);
        }
    }
}
