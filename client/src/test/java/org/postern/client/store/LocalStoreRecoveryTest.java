package org.postern.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.message.MessageView;
import org.postern.client.store.LocalStore.LocalMessage;
import org.postern.client.store.LocalStore.Pending;

/** What a crash, or another tool working on the Maildir, leaves behind; opening the store repairs it. */
class LocalStoreRecoveryTest {
    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path dir;
    LocalStore store;

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(dir);
        store.ensureFolder("INBOX", Optional.empty(), Set.of());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() throws IOException {
        store.close();
        store = LocalStore.open(dir);
    }

    private Path cur() {
        return dir.resolve("mail/INBOX/cur");
    }

    private static byte[] message(String subject) {
        return ("From: ann@example.org\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject + "@x>\r\n\r\n"
                + "words about " + subject + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aFileWithoutARowIsAdoptedWithItsUidAndFlags() throws IOException {
        Files.write(cur().resolve("1700000000.abc,U=17:2,FS"), message("orphan"));   // crash after rename, before commit
        reopen();
        assertThat(store.recovered()).anyMatch(s -> s.contains("1700000000.abc,U=17:2,FS had no row and was adopted with UID 17"));
        LocalMessage m = store.byUid("INBOX", 17).orElseThrow();
        assertThat(m.flags()).containsExactlyInAnyOrder("\\Flagged", "\\Seen");
        assertThat(m.baseFlags()).isEqualTo(m.flags());
        assertThat(m.subject()).isEqualTo("orphan");
        assertThat(m.size()).isEqualTo(message("orphan").length);
        assertThat(store.search("orphan", Optional.empty(), 5)).containsExactly(m);
        assertThat(store.pending()).isEmpty();
        reopen();
        assertThat(store.recovered()).isEmpty();
    }

    @Test
    void aUidlessFileWithoutARowIsAdoptedAsALocalMessageToUpload() throws IOException {
        Files.write(cur().resolve("1700000000.def:2,S"), message("local"));
        Files.write(dir.resolve("mail/INBOX/new/1700000001.ghi"), message("delivered"));  // another tool's delivery
        reopen();
        assertThat(store.list("INBOX", 0, 10)).extracting(LocalMessage::subject).containsExactlyInAnyOrder("local", "delivered");
        assertThat(store.pending()).extracting(Pending::kind).containsExactly(Pending.Kind.APPEND, Pending.Kind.APPEND);
        assertThat(Files.list(dir.resolve("mail/INBOX/new"))).isEmpty();
        assertThat(cur().resolve("1700000001.ghi:2,")).exists();
    }

    @Test
    void aFileDuplicatingAUidTheFolderHoldsIsRemoved() throws IOException {
        store.add("INBOX", Optional.of(5L), Set.of(), T, new java.io.ByteArrayInputStream(message("kept")));
        Path dup = Files.write(cur().resolve("1700000000.dup,U=5:2,"), message("dup"));
        reopen();
        assertThat(dup).doesNotExist();
        assertThat(store.byUid("INBOX", 5).orElseThrow().subject()).isEqualTo("kept");
        assertThat(store.recovered()).anyMatch(s -> s.contains("duplicates UID 5"));
    }

    @Test
    void aRowWhoseFileAnotherToolRemovedIsDroppedWithAWarning() throws IOException {
        LocalMessage m = store.add("INBOX", Optional.of(8L), Set.of(), T, new java.io.ByteArrayInputStream(message("gone")));
        store.setFlags(m.id(), Set.of("\\Seen"));
        Files.delete(store.message(m.id()).orElseThrow().file());
        reopen();
        assertThat(store.message(m.id())).isEmpty();
        assertThat(store.pending()).isEmpty();
        assertThat(store.search("gone", Optional.empty(), 5)).isEmpty();
        assertThat(store.recovered()).anyMatch(s -> s.contains("was removed from disk by something else; its row is dropped"));
    }

    @Test
    void aWholeFolderDirectoryRemovedLosesItsRowsNotTheStore() throws IOException {
        store.add("INBOX", Optional.of(1L), Set.of(), T, new java.io.ByteArrayInputStream(message("one")));
        store.close();
        try (var walk = Files.walk(dir.resolve("mail/INBOX"))) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        store = LocalStore.open(dir);
        assertThat(store.list("INBOX", 0, 10)).isEmpty();
        assertThat(store.folder("INBOX")).isPresent();
        assertThat(cur()).isDirectory();
    }

    @Test
    void aFileRenamedForNewFlagsIsFollowedAndTheChangeKeptAsPending() throws IOException {
        LocalMessage m = store.add("INBOX", Optional.of(4L), Set.of("\\Seen", "$Work"), T,
                new java.io.ByteArrayInputStream(message("renamed")));
        String name = m.file().getFileName().toString();
        Files.move(m.file(), m.file().resolveSibling(name.replace(":2,S", ":2,FRS")));   // mutt marks it, or a crash mid-setFlags
        reopen();
        LocalMessage after = store.message(m.id()).orElseThrow();
        assertThat(after.flags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged", "\\Answered", "$Work");
        assertThat(after.baseFlags()).containsExactlyInAnyOrder("\\Seen", "$Work");
        assertThat(after.file()).exists();
        assertThat(store.pending()).extracting(Pending::kind).containsExactly(Pending.Kind.FLAGS);
        assertThat(store.list("INBOX", 0, 10)).hasSize(1);
    }

    @Test
    void unfinishedTmpFilesAreRemoved() throws IOException {
        Path tmp = Files.write(dir.resolve("mail/INBOX/tmp/1700000000.cut"), "From: half".getBytes(StandardCharsets.US_ASCII));
        reopen();
        assertThat(tmp).doesNotExist();
        assertThat(store.list("INBOX", 0, 10)).isEmpty();
        assertThat(store.recovered()).anyMatch(s -> s.contains("unfinished files in tmp/ removed"));
    }

    @Test
    void aStreamThatFailsMidwayLeavesNoFileAndNoRow() throws IOException {
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 1000) throw new IOException("connection reset");
                return 'x';
            }
        };
        assertThatThrownBy(() -> store.add("INBOX", Optional.of(1L), Set.of(), T, failing))
                .isInstanceOf(IOException.class).hasMessage("connection reset");
        assertThat(store.uids("INBOX")).isEmpty();
        assertThat(Files.list(cur())).isEmpty();
        assertThat(Files.list(dir.resolve("mail/INBOX/tmp"))).isEmpty();
    }

    @Test
    void theOutboxKeepsWhatItCannotSendAndDropsWhatIsGone() throws IOException {
        Path draft = Files.write(dir.resolve("d.eml"), message("out"));
        LocalStore.OutboxEntry kept = store.queue(draft, "<k@x>", "ann@example.org", List.of("bob@example.org"));
        LocalStore.OutboxEntry lost = store.queue(draft, "<l@x>", "ann@example.org", List.of("bob@example.org"));
        Files.delete(lost.file());
        Path noRow = Files.write(dir.resolve("outbox/queue/1700000000.norow.eml"), message("norow"));
        Path tmp = Files.write(dir.resolve("outbox/tmp/1700000000.cut.eml"), message("cut"));
        reopen();
        assertThat(store.outbox()).extracting(LocalStore.OutboxEntry::id).containsExactly(kept.id());
        assertThat(noRow).doesNotExist();
        assertThat(dir.resolve("outbox/orphaned/1700000000.norow.eml")).exists();
        assertThat(tmp).doesNotExist();
        assertThat(store.recovered()).hasSize(3);
    }

    /** A 20 MB attachment, produced on the fly (never in memory here), base64 in 76-character lines. */
    static final class BigMessage extends InputStream {
        static final int ATTACHMENT_BYTES = 20 * 1024 * 1024;
        private final byte[] head = ("From: ann@example.org\r\nSubject: big\r\nMessage-ID: <big@x>\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                + "see the attachment\r\n--b\r\nContent-Type: application/octet-stream; name=big.bin\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        private final byte[] tail = "\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII);
        final CRC32 crc = new CRC32();
        long produced;
        int eofs;
        private byte[] line = head;
        private int pos;
        private long raw;
        private long seed = 42;
        private boolean tailSent;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (pos == line.length) {
                if (!next()) {
                    eofs++;
                    return -1;
                }
            }
            int n = Math.min(len, line.length - pos);
            System.arraycopy(line, pos, b, off, n);
            pos += n;
            produced += n;
            return n;
        }

        private boolean next() {
            pos = 0;
            if (raw < ATTACHMENT_BYTES) {
                byte[] chunk = new byte[(int) Math.min(57, ATTACHMENT_BYTES - raw)]; // 57 bytes = 76 base64 characters
                for (int i = 0; i < chunk.length; i++) {
                    seed = seed * 6364136223846793005L + 1442695040888963407L;
                    chunk[i] = (byte) (seed >>> 56);
                }
                crc.update(chunk);
                raw += chunk.length;
                String encoded = Base64.getEncoder().encodeToString(chunk);
                line = (raw < ATTACHMENT_BYTES ? encoded + "\r\n" : encoded).getBytes(StandardCharsets.US_ASCII);
                return true;
            }
            if (!tailSent) {
                tailSent = true;
                line = tail;
                return true;
            }
            line = new byte[0];
            return false;
        }
    }

    @Test
    void aTwentyMegabyteMessageIsAddedFromAStreamReadOnce() throws IOException {
        BigMessage big = new BigMessage();
        LocalMessage m = store.add("INBOX", Optional.of(1L), Set.of(), T, big);
        assertThat(big.eofs).as("the stream was read to its end once").isEqualTo(1);
        assertThat(m.size()).isEqualTo(big.produced).isEqualTo(Files.size(m.file()));
        assertThat(m.hasAttachments()).isTrue();
        assertThat(m.subject()).isEqualTo("big");
        assertThat(store.search("attachment", Optional.empty(), 5)).containsExactly(m);
        MessageView v = MessageView.read(m.file());
        assertThat(v.attachments()).singleElement().satisfies(a -> {
            assertThat(a.fileName()).isEqualTo("big.bin");
            assertThat(a.size()).isEqualTo(BigMessage.ATTACHMENT_BYTES);
        });
        CRC32 crc = new CRC32();
        try (InputStream in = MessageView.openAttachment(m.file(), 1)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
        }
        assertThat(crc.getValue()).isEqualTo(big.crc.getValue());
    }
}
