package org.postern.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.store.LocalStore.LocalMessage;

/** {@link LocalStore.Downloads}: messages from the server stored as a group, durable and visible after a flush. */
class LocalStoreDownloadsTest {
    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path dir;
    LocalStore store;

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(dir);
        store.ensureFolder("INBOX", Optional.of('/'), Set.of());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static InputStream mail(long uid) {
        return LocalStoreTest.mail("Message " + uid, "body " + uid);
    }

    private long files(String sub) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("mail/INBOX").resolve(sub))) {
            return s.count();
        }
    }

    @Test
    void aGroupIsInvisibleUntilItsFlushThenStoredLikeAdd() throws IOException {
        try (LocalStore.Downloads d = store.downloads("INBOX")) {
            assertThat(d.add(7, Set.of("\\Seen"), T, mail(7))).isTrue();
            assertThat(d.add(9, Set.of(), T, mail(9))).isTrue();
            assertThat(store.uids("INBOX")).isEmpty();
            assertThat(files("tmp")).isEqualTo(2);
            assertThat(files("cur")).isZero();
            assertThat(d.holds(7)).isTrue();
            assertThat(d.holds(8)).isFalse();
        }
        assertThat(store.uids("INBOX")).containsExactlyInAnyOrder(7L, 9L);
        assertThat(files("tmp")).isZero();
        LocalMessage m = store.byUid("INBOX", 7).orElseThrow();
        assertThat(m.file().getFileName().toString()).matches("\\d+\\.[0-9a-f]{16},U=7:2,S");
        assertThat(Files.readString(m.file())).endsWith("body 7\r\n");
        assertThat(m.size()).isEqualTo(Files.size(m.file()));
        assertThat(m.subject()).isEqualTo("Message 7");
        assertThat(m.internalDate()).isEqualTo(T);
        assertThat(m.flags()).containsExactly("\\Seen");
        assertThat(store.search("body", Optional.of("INBOX"), 10)).hasSize(2);
        assertThat(store.pending()).as("server copies are no offline APPEND").isEmpty();
    }

    @Test
    void aUidHeldOrAlreadyInTheGroupIsNotWrittenAgainAndItsStreamNotRead() throws IOException {
        store.add("INBOX", Optional.of(3L), Set.of(), T, mail(3));
        InputStream unread = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read");
            }
        };
        try (LocalStore.Downloads d = store.downloads("INBOX")) {
            assertThat(d.add(3, Set.of(), T, unread)).isFalse();
            assertThat(d.add(4, Set.of(), T, mail(4))).isTrue();
            assertThat(d.add(4, Set.of(), T, unread)).isFalse();
        }
        assertThat(store.uids("INBOX")).containsExactlyInAnyOrder(3L, 4L);
        assertThat(files("cur")).isEqualTo(2);
    }

    @Test
    void theGroupFlushesItselfAtItsMessageLimitNotBefore() throws IOException {
        try (LocalStore.Downloads d = store.downloads("INBOX")) {
            for (long uid = 1; uid < LocalStore.DOWNLOAD_GROUP_MESSAGES; uid++) d.add(uid, Set.of(), T, mail(uid));
            assertThat(store.uids("INBOX")).isEmpty();
            d.add(LocalStore.DOWNLOAD_GROUP_MESSAGES, Set.of(), T, mail(LocalStore.DOWNLOAD_GROUP_MESSAGES));
            assertThat(store.uids("INBOX")).hasSize(LocalStore.DOWNLOAD_GROUP_MESSAGES);
            assertThat(files("tmp")).isZero();
        }
    }

    @Test
    void aMessageOverTheLimitKeepsNothingOfItselfAndTheRestOfTheGroupIsStored() throws IOException {
        byte[] big = "Subject: big\r\n\r\n0123456789\r\n".getBytes(StandardCharsets.US_ASCII);
        try (LocalStore.Downloads d = store.downloads("INBOX")) {
            d.add(1, Set.of(), T, mail(1));
            assertThat(d.add(2, Set.of(), T, new ByteArrayInputStream(big), big.length)).isTrue();
            assertThatThrownBy(() -> d.add(3, Set.of(), T, new ByteArrayInputStream(big), big.length - 1))
                    .isInstanceOf(MessageTooLargeException.class);
            assertThat(d.holds(3)).isFalse();
        }
        assertThat(store.uids("INBOX")).containsExactlyInAnyOrder(1L, 2L);
        assertThat(files("tmp")).isZero();
        assertThat(files("cur")).isEqualTo(2);
    }

    @Test
    void aGroupNeverFlushedLeavesNothingAfterTheNextOpen() throws IOException {
        LocalStore.Downloads d = store.downloads("INBOX");
        d.add(1, Set.of(), T, mail(1));
        d.add(2, Set.of(), T, mail(2));
        store.close(); // as a crash before the flush: the files are in tmp/, no row
        store = LocalStore.open(dir);
        assertThat(store.uids("INBOX")).isEmpty();
        assertThat(files("tmp")).isZero();
        assertThat(files("cur")).isZero();
        assertThat(store.recovered()).containsExactly("INBOX: 2 unfinished files in tmp/ removed");
    }

    @Test
    void filesRenamedButNotCommittedAreAdoptedWithTheirUids() throws IOException {
        try (LocalStore.Downloads d = store.downloads("INBOX")) {
            d.add(11, Set.of("\\Flagged"), T, mail(11));
        }
        LocalMessage m = store.byUid("INBOX", 11).orElseThrow();
        // a crash after the rename, before the commit: the file is in cur/ and state.db has no row
        Path kept = Files.createTempFile(dir, "kept", "");
        Files.copy(m.file(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        store.close();
        try (var db = StateDb.open(dir.resolve("state.db"))) {
            db.begin();
            db.update("DELETE FROM message WHERE id = ?", m.id());
            db.update("DELETE FROM search WHERE rowid = ?", m.id());
            db.commit();
        }
        store = LocalStore.open(dir);
        LocalMessage adopted = store.byUid("INBOX", 11).orElseThrow();
        assertThat(adopted.flags()).containsExactly("\\Flagged");
        assertThat(Files.readAllBytes(adopted.file())).isEqualTo(Files.readAllBytes(kept));
        assertThat(store.pending()).isEmpty();
    }
}
