package org.postern.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.server.store.StoreFixtures.text;
import static org.postern.server.store.StoreFixtures.withBlob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.queue.QueuedMessage;
import org.postern.server.store.AccountId;
import org.postern.server.store.BlobRef;
import org.postern.server.store.BlobStore;
import org.postern.server.store.Delivery;
import org.postern.server.store.Flags;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.NewMessage;
import org.postern.server.store.StoreException;
import org.postern.server.store.UidSet;
import org.postern.wire.testing.TestClock;

/** Small bodies inside mail.db: where they go, when they are durable, and that none leaks. */
class SqliteBlobStoreTest {
    private static final AccountId ALICE = new AccountId(1);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;
    final TestClock clock = new TestClock(T0);
    SqliteMailStore store;

    @BeforeEach
    void open() {
        store = SqliteMailStore.open(dir, clock);
        store.ensureAccount(ALICE);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() {
        store.close();
        store = SqliteMailStore.open(dir, clock);
    }

    /** Every byte different from its neighbours, so a misplaced chunk shows. */
    private static byte[] body(int size) {
        String head = text("inline", "");
        byte[] b = new byte[size];
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) b[i] = i < h.length ? h[i] : (byte) ('a' + i % 23);
        return b;
    }

    /** Written through begin() in uneven pieces, as the SMTP DATA reader writes. */
    private BlobStore.Stored write(byte[] bytes) throws IOException {
        try (BlobStore.Pending p = store.blobs().begin()) {
            OutputStream out = p.out();
            int off = 0;
            for (int step = 1000; off < bytes.length; step = step == 1000 ? 7 : 1000) {
                int n = Math.min(step, bytes.length - off);
                if (n == 1) out.write(bytes[off]);
                else out.write(bytes, off, n);
                off += n;
            }
            out.close();   // only flushes
            return p.commit();
        }
    }

    private byte[] read(BlobRef ref) throws IOException {
        try (InputStream in = store.blobs().open(ref)) {
            return in.readAllBytes();
        }
    }

    /** Every regular file under blobs/, temp files included. */
    private List<Path> blobFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("blobs"))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private long blobRows(BlobRef ref) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteMailStore.FILE));
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM blob WHERE id = '" + ref.id() + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private NewMessage message(BlobRef ref) {
        return withBlob(ref, text("inline", ""), Flags.NONE);
    }

    private MailboxId inbox() {
        return store.read(ALICE, tx -> tx.mailbox(MailboxName.INBOX)).orElseThrow().id();
    }

    private MessageMeta deliver(BlobRef ref) {
        return store.deliver(new Delivery(message(ref), List.of(ALICE), Optional.empty())).appended().getFirst();
    }

    @Test
    void aBodyOfExactlyTheInlineLimitStaysInMemoryUntilDeliveredAndNeverBecomesAFile() throws Exception {
        byte[] bytes = body(SqliteBlobStore.INLINE_MAX_BYTES);
        BlobStore.Stored stored = write(bytes);

        assertThat(stored.size()).isEqualTo(bytes.length);
        assertThat(store.blobs().isInline(stored.ref())).isTrue();
        assertThat(store.blobs().size(stored.ref())).isEqualTo(bytes.length);
        assertThat(read(stored.ref())).isEqualTo(bytes);
        assertThat(blobFiles()).isEmpty();

        deliver(stored.ref());
        assertThat(store.blobs().stagedCount()).isZero();
        assertThat(read(stored.ref())).isEqualTo(bytes);
        assertThat(store.blobs().size(stored.ref())).isEqualTo(bytes.length);
        reopen();
        assertThat(read(stored.ref())).isEqualTo(bytes);
        assertThat(store.blobs().isInline(stored.ref())).isTrue();
        assertThat(blobFiles()).isEmpty();
    }

    @Test
    void oneByteMoreThanTheInlineLimitGoesToAFileWithEveryByteInPlace() throws Exception {
        byte[] bytes = body(SqliteBlobStore.INLINE_MAX_BYTES + 1);
        BlobStore.Stored stored = write(bytes);

        assertThat(stored.size()).isEqualTo(bytes.length);
        assertThat(store.blobs().isInline(stored.ref())).isFalse();
        assertThat(store.blobs().stagedCount()).isZero();
        assertThat(blobFiles()).hasSize(1).allMatch(p -> p.getFileName().toString().equals(stored.ref().id()));
        deliver(stored.ref());
        reopen();
        assertThat(read(stored.ref())).isEqualTo(bytes);
        assertThat(store.blobs().size(stored.ref())).isEqualTo(bytes.length);
    }

    @Test
    void putPastItsMaximumKeepsNothingInMemoryOrOnDisk() throws Exception {
        int max = SqliteBlobStore.INLINE_MAX_BYTES + 5;
        assertThatThrownBy(() -> store.blobs().put(new ByteArrayInputStream(body(max + 1)), max))
                .isInstanceOf(BlobStore.TooLargeException.class);
        assertThat(store.blobs().stagedCount()).isZero();
        assertThat(blobFiles()).isEmpty();
    }

    @Test
    void aStagedBodyThatNothingReferencedIsGoneAfterReopenAndLeftNoFile() throws Exception {
        BlobStore.Stored stored = write(body(4096));
        reopen();
        assertThatThrownBy(() -> store.blobs().size(stored.ref())).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.blobs().open(stored.ref())).isInstanceOf(NoSuchFileException.class);
        assertThat(blobFiles()).isEmpty();
        assertThat(store.sweepOrphans(java.time.Duration.ZERO)).isZero();
    }

    @Test
    void aCopySharesTheInlineBodyWhichGoesWithTheLastReference() throws Exception {
        byte[] bytes = body(4096);
        BlobRef ref = write(bytes).ref();
        MessageMeta original = deliver(ref);
        MailboxId archive = store.read(ALICE, tx -> tx.mailbox(MailboxName.of("Archive"))).orElseThrow().id();
        store.write(ALICE, tx -> tx.copy(inbox(), UidSet.of(original.uid()), archive));

        store.write(ALICE, tx -> tx.expunge(inbox(), UidSet.of(original.uid())));
        assertThat(read(ref)).isEqualTo(bytes);
        assertThat(blobRows(ref)).isEqualTo(1);

        store.write(ALICE, tx -> tx.expunge(archive, UidSet.ALL));
        assertThat(blobRows(ref)).isZero();
        assertThatThrownBy(() -> read(ref)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aQueuedInlineBodyIsReadableThroughOpenUntilTheEntryIsRetired() throws Exception {
        byte[] bytes = body(4096);
        BlobRef ref = write(bytes).ref();
        store.deliver(new Delivery(message(ref), List.of(), Optional.of(new Delivery.Outbound("a@example.org",
                List.of("x@remote.example"), new byte[0], bytes.length))));
        assertThat(store.blobs().stagedCount()).isZero();
        reopen();

        QueuedMessage q = store.queue().list().getFirst();
        assertThat(q.body()).isEqualTo(ref);
        assertThat(read(q.body())).isEqualTo(bytes);
        store.queue().recordAttempt(q.recipients().getFirst().id(), true, "");
        store.queue().reschedule(q.id(), T0);
        assertThat(blobRows(ref)).isZero();
        assertThatThrownBy(() -> read(ref)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aDeliveryRolledBackThenDeletedLeavesNothing() throws Exception {
        BlobRef ref = write(body(4096)).ref();
        // a null sender violates NOT NULL after the append stored the inline bytes inside the unit
        Delivery broken = new Delivery(message(ref), List.of(ALICE), Optional.of(new Delivery.Outbound(null,
                List.of("x@remote.example"), new byte[0], 10)));
        assertThatThrownBy(() -> store.deliver(broken)).isInstanceOf(StoreException.class);
        assertThat(store.blobs().stagedCount()).as("kept for the caller to delete").isEqualTo(1);
        assertThat(blobRows(ref)).isZero();

        store.blobs().delete(ref);
        assertThat(store.blobs().stagedCount()).isZero();
        assertThatThrownBy(() -> read(ref)).isInstanceOf(NoSuchFileException.class);
        assertThat(blobFiles()).isEmpty();
    }

    @Test
    void deletingACommittedInlineBodyRemovesItsBytesAsForAFile() throws Exception {
        BlobRef ref = write(body(4096)).ref();
        deliver(ref);
        store.blobs().delete(ref);
        assertThatThrownBy(() -> read(ref)).isInstanceOf(NoSuchFileException.class);
        assertThat(blobRows(ref)).as("the message still references it").isEqualTo(1);
    }

    @Test
    void stagedBodiesOlderThanTheMaximumAgeArePrunedAtMostOncePerInterval() throws Exception {
        BlobRef ref = write(body(100)).ref();

        clock.set(T0.plus(SqliteBlobStore.STAGED_MAX_AGE));
        store.blobs().begin().close();   // prunes: the interval has passed, the body is exactly at the limit
        assertThat(store.blobs().stagedCount()).isEqualTo(1);

        clock.advance(SqliteBlobStore.PRUNE_INTERVAL.dividedBy(2));
        store.blobs().begin().close();   // past the age, but the last prune was too recent
        assertThat(store.blobs().stagedCount()).isEqualTo(1);

        clock.advance(SqliteBlobStore.PRUNE_INTERVAL.dividedBy(2));
        store.blobs().begin().close();
        assertThat(store.blobs().stagedCount()).isZero();
        assertThatThrownBy(() -> read(ref)).isInstanceOf(NoSuchFileException.class);
    }
}
