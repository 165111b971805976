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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.store.LocalStore.LocalMessage;
import org.postern.client.store.LocalStore.OutboxEntry;
import org.postern.client.store.LocalStore.Pending;

class LocalStoreTest {
    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path dir;
    LocalStore store;

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(dir);
        store.ensureFolder("INBOX", Optional.of('/'), Set.of());
        store.ensureFolder("Archive/2024", Optional.of('/'), Set.of("\\Archive"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() throws IOException {
        store.close();
        store = LocalStore.open(dir);
    }

    static InputStream mail(String subject, String body) {
        return mail(subject, body, "<" + subject.replace(' ', '.') + "@example.org>", "Tue, 5 Mar 2024 14:07:09 +0100");
    }

    static InputStream mail(String subject, String body, String messageId, String date) {
        String m = "From: Ann Example <ann@example.org>\r\nTo: bob@example.org\r\nCc: =?utf-8?q?Zo=C3=AB?= <zoe@example.org>\r\n"
                + "Subject: " + subject + "\r\nMessage-ID: " + messageId + "\r\nDate: " + date + "\r\n"
                + "References: <r1@x> <r2@x>\r\n\r\n" + body + "\r\n";
        return new ByteArrayInputStream(m.getBytes(StandardCharsets.UTF_8));
    }

    private LocalMessage add(String folder, long uid, String subject, Set<String> flags) throws IOException {
        return store.add(folder, Optional.of(uid), flags, T, mail(subject, "body of " + subject));
    }

    @Test
    void aMessageIsStoredInItsMaildirWithItsSummary() throws IOException {
        LocalMessage m = add("INBOX", 5, "Hello", Set.of("\\Seen", "$Work"));
        assertThat(m.file()).isEqualTo(dir.resolve("mail/INBOX/cur").resolve(m.file().getFileName()));
        assertThat(m.file().getFileName().toString()).matches("\\d+\\.[0-9a-f]{16},U=5:2,S");
        assertThat(Files.readString(m.file())).startsWith("From: Ann Example").endsWith("body of Hello\r\n");
        assertThat(m.size()).isEqualTo(Files.size(m.file()));
        assertThat(m.uid()).contains(5L);
        assertThat(m.flags()).containsExactlyInAnyOrder("\\Seen", "$Work");
        assertThat(m.baseFlags()).isEqualTo(m.flags());
        assertThat(m.from()).isEqualTo("Ann Example <ann@example.org>");
        assertThat(m.to()).isEqualTo("bob@example.org");
        assertThat(m.cc()).isEqualTo("Zoë <zoe@example.org>");
        assertThat(m.subject()).isEqualTo("Hello");
        assertThat(m.messageId()).contains("<Hello@example.org>");
        assertThat(m.date()).contains(Instant.parse("2024-03-05T13:07:09Z"));
        assertThat(m.internalDate()).isEqualTo(T);
        assertThat(m.hasAttachments()).isFalse();
        assertThat(m.state()).isEqualTo(LocalMessage.State.SYNCED);
        assertThat(store.byUid("INBOX", 5)).contains(m);
        assertThat(store.pending()).isEmpty();
        assertThat(Files.list(dir.resolve("mail/INBOX/tmp"))).isEmpty();
    }

    @Test
    void aUidTheFolderHoldsIsNotStoredTwiceAndItsStreamNotRead() throws IOException {
        LocalMessage m = add("INBOX", 5, "Once", Set.of());
        InputStream unread = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read");
            }
        };
        assertThat(store.add("INBOX", Optional.of(5L), Set.of(), T, unread)).isEqualTo(m);
        assertThat(store.uids("INBOX")).containsExactly(5L);
    }

    @Test
    void foldersCountMessagesAndUnseenAndListNewestFirst() throws IOException {
        store.add("INBOX", Optional.of(1L), Set.of("\\Seen"), T, mail("old", "x", "<o@x>", "Mon, 1 Jan 2024 10:00:00 +0000"));
        store.add("INBOX", Optional.of(2L), Set.of(), T, mail("new", "x", "<n@x>", "Mon, 1 Apr 2024 10:00:00 +0000"));
        store.add("INBOX", Optional.of(3L), Set.of(), T, mail("mid", "x", "<m@x>", "Fri, 1 Mar 2024 10:00:00 +0000"));
        assertThat(store.list("INBOX", 0, 10)).extracting(LocalMessage::subject).containsExactly("new", "mid", "old");
        assertThat(store.list("INBOX", 1, 1)).extracting(LocalMessage::subject).containsExactly("mid");
        LocalStore.Folder inbox = store.folder("INBOX").orElseThrow();
        assertThat(inbox.messages()).isEqualTo(3);
        assertThat(inbox.unseen()).isEqualTo(2);
        assertThat(store.folders()).extracting(LocalStore.Folder::name).containsExactly("Archive/2024", "INBOX");
        assertThat(store.folder("Archive/2024").orElseThrow().attributes()).containsExactly("\\Archive");
        assertThat(Files.isDirectory(dir.resolve("mail/Archive/2024/cur"))).isTrue();
        store.saveSyncState("INBOX", 77, 4, 1234);
        reopen();
        assertThat(store.folder("INBOX").orElseThrow()).extracting(LocalStore.Folder::uidValidity,
                LocalStore.Folder::uidNext, LocalStore.Folder::highestModseq).containsExactly(77L, 4L, 1234L);
    }

    @Test
    void badFolderNamesAreRefusedBeforeAnythingIsCreated() {
        for (String bad : List.of("..", "../outside", "/abs", "a\u0000b", "INBOX/new")) {
            assertThatThrownBy(() -> store.ensureFolder(bad, Optional.empty(), Set.of())).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be stored");
        }
        assertThat(dir.resolve("outside")).doesNotExist();
        assertThatThrownBy(() -> store.add("Nope", Optional.empty(), Set.of(), T, mail("x", "y")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no folder \"Nope\" in the local store");
    }

    @Test
    void flagChangesRenameTheFileAndAreRecordedOnceAsPending() throws IOException {
        LocalMessage m = add("INBOX", 9, "Flags", Set.of());
        store.setFlags(m.id(), Set.of("\\Seen"));
        store.setFlags(m.id(), Set.of("\\Seen", "\\Flagged", "$Todo"));
        LocalMessage after = store.message(m.id()).orElseThrow();
        assertThat(after.file().getFileName().toString()).endsWith(",U=9:2,FS");
        assertThat(m.file()).doesNotExist();
        assertThat(after.file()).exists();
        assertThat(after.flags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged", "$Todo");
        assertThat(after.baseFlags()).isEmpty();
        assertThat(store.pending()).extracting(Pending::kind, Pending::messageId, Pending::folder, Pending::uid)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Pending.Kind.FLAGS, m.id(), "INBOX", Optional.of(9L)));

        // another device set \Answered and removed nothing; our additions survive the merge
        store.serverFlags(m.id(), Set.of("\\Answered"), 55);
        LocalMessage merged = store.message(m.id()).orElseThrow();
        assertThat(merged.flags()).containsExactlyInAnyOrder("\\Answered", "\\Seen", "\\Flagged", "$Todo");
        assertThat(merged.baseFlags()).containsExactly("\\Answered");
        assertThat(merged.file().getFileName().toString()).endsWith(":2,FRS");
    }

    @Test
    void deleteHidesTheMessageUntilTheServerExpungesIt() throws IOException {
        LocalMessage m = add("INBOX", 3, "Gone", Set.of());
        store.setFlags(m.id(), Set.of("\\Seen"));
        store.delete(m.id());
        assertThat(store.message(m.id()).orElseThrow().state()).isEqualTo(LocalMessage.State.DELETED);
        assertThat(store.list("INBOX", 0, 10)).isEmpty();
        assertThat(store.uids("INBOX")).containsExactly(3L);
        assertThat(store.pending()).extracting(Pending::kind).containsExactly(Pending.Kind.DELETE); // deletion wins
        assertThatThrownBy(() -> store.setFlags(m.id(), Set.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is DELETED");
        Path file = store.message(m.id()).orElseThrow().file();
        store.serverExpunged(m.id());
        assertThat(store.message(m.id())).isEmpty();
        assertThat(file).doesNotExist();
        assertThat(store.pending()).isEmpty();
        assertThat(store.search("Gone", Optional.empty(), 10)).isEmpty();
    }

    @Test
    void aLocalMessageIsAppendedLaterAndDeletedAtOnce() throws IOException {
        LocalMessage m = store.add("INBOX", Optional.empty(), Set.of("\\Seen", "\\Draft"), T, mail("Draft", "text"));
        assertThat(m.file().getFileName().toString()).doesNotContain(",U=").endsWith(":2,DS");
        assertThat(store.pending()).extracting(Pending::kind, Pending::uid)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Pending.Kind.APPEND, Optional.empty()));
        store.delete(m.id());
        assertThat(store.message(m.id())).isEmpty();
        assertThat(m.file()).doesNotExist();
        assertThat(store.pending()).isEmpty();
    }

    @Test
    void aMoveLeavesTheSourceMovedAndAUidlessCopyInTheTarget() throws IOException {
        LocalMessage m = add("INBOX", 12, "Move me", Set.of("\\Seen"));
        store.move(m.id(), "Archive/2024");
        assertThat(store.message(m.id()).orElseThrow().state()).isEqualTo(LocalMessage.State.MOVED);
        assertThat(store.list("INBOX", 0, 10)).isEmpty();
        List<LocalMessage> copies = store.uidlessMatching("Archive/2024", "<Move.me@example.org>", m.size());
        assertThat(copies).hasSize(1);
        LocalMessage copy = copies.getFirst();
        assertThat(store.list("Archive/2024", 0, 10)).containsExactly(copy);
        assertThat(Files.mismatch(copy.file(), m.file())).isEqualTo(-1);
        assertThat(copy.flags()).containsExactly("\\Seen");
        assertThat(store.pending()).extracting(Pending::kind, Pending::uid, Pending::targetFolder).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Pending.Kind.MOVE, Optional.of(12L), Optional.of("Archive/2024")));
        assertThat(store.search("Move", Optional.of("Archive/2024"), 10)).containsExactly(copy);

        // sync: UID MOVE answered with COPYUID 40; the source goes as the server expunged it
        store.assignUid(copy.id(), 40);
        store.donePending(store.pending().getFirst().id());
        store.serverExpunged(m.id());
        LocalMessage moved = store.byUid("Archive/2024", 40).orElseThrow();
        assertThat(moved.file().getFileName().toString()).endsWith(",U=40:2,S");
        assertThat(Files.readString(moved.file())).contains("body of Move me");
        assertThat(store.uids("INBOX")).isEmpty();
    }

    @Test
    void aMoveOfAMessageExpungedOnTheServerIsDroppedWithItsCopy() throws IOException {
        LocalMessage m = add("INBOX", 13, "Lost move", Set.of());
        store.move(m.id(), "Archive/2024");
        store.serverExpunged(m.id());
        assertThat(store.list("Archive/2024", 0, 10)).isEmpty();
        assertThat(store.pending()).isEmpty();
        assertThat(Files.list(dir.resolve("mail/Archive/2024/cur"))).isEmpty();
    }

    @Test
    void aUidvalidityChangeForgetsUidsAndDropsTheChangesThatNamedThem() throws IOException {
        LocalMessage a = add("INBOX", 1, "A", Set.of());
        LocalMessage b = add("INBOX", 2, "B", Set.of("\\Seen"));
        store.setFlags(a.id(), Set.of("\\Flagged"));
        store.delete(b.id());
        LocalMessage local = store.add("INBOX", Optional.empty(), Set.of(), T, mail("C", "c"));
        store.forgetUids("INBOX");
        assertThat(store.uids("INBOX")).isEmpty();
        assertThat(store.pending()).extracting(Pending::kind, Pending::messageId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Pending.Kind.APPEND, local.id()));
        LocalMessage a2 = store.message(a.id()).orElseThrow();
        assertThat(a2.flags()).isEmpty();
        assertThat(a2.file().getFileName().toString()).doesNotContain(",U=");
        assertThat(a2.file()).exists();
        assertThat(store.message(b.id()).orElseThrow().state()).isEqualTo(LocalMessage.State.SYNCED);
        assertThat(store.uidlessMatching("INBOX", "<B@example.org>", b.size())).extracting(LocalMessage::id)
                .containsExactly(b.id());
    }

    @Test
    void searchFindsAWordInTheBodyOfOneMessageOf200() throws IOException {
        for (int i = 1; i <= 200; i++) {
            String body = "Routine status report number " + i + ".\r\nNothing to see here.";
            if (i == 137) body += "\r\nThe quarterly zeppelin budget is approved.";
            store.add(i % 2 == 0 ? "INBOX" : "Archive/2024", Optional.of((long) i), Set.of(), T,
                    mail("Status " + i, body, "<s" + i + "@example.org>", "Tue, 5 Mar 2024 14:07:09 +0100"));
        }
        List<LocalMessage> hits = store.search("zeppelin", Optional.empty(), 10);
        assertThat(hits).extracting(LocalMessage::subject).containsExactly("Status 137");
        assertThat(store.search("ZEPPELIN budget", Optional.empty(), 10)).hasSize(1);
        assertThat(store.search("zeppelin", Optional.of("INBOX"), 10)).isEmpty();
        assertThat(store.search("zeppelin", Optional.of("Archive/2024"), 10)).hasSize(1);
        assertThat(store.search("zoë", Optional.empty(), 500)).hasSize(200);          // Cc, decoded
        assertThat(store.search("zoe", Optional.empty(), 5)).hasSize(5);              // accents ignored
        assertThat(store.search("routine", Optional.empty(), 3)).hasSize(3);
        assertThat(store.search("\"unbalanced AND OR (", Optional.empty(), 3)).isEmpty(); // taken literally
        assertThat(store.search("   ", Optional.empty(), 3)).isEmpty();
    }

    @Test
    void aWordEndingAtTheIndexLimitIsFoundAndOneCharacterLaterItIsNot() throws IOException {
        // the parser's body text is the body plus "\n"; the index keeps MAX_INDEXED_BODY_CHARS of it
        String word = " edgeword";
        String atLimit = "a".repeat(LocalStore.MAX_INDEXED_BODY_CHARS - word.length()) + word;
        String pastLimit = "a" + atLimit;
        store.add("INBOX", Optional.of(1L), Set.of(), T, mail("at", atLimit));
        store.add("INBOX", Optional.of(2L), Set.of(), T, mail("past", pastLimit));
        assertThat(store.search("edgeword", Optional.empty(), 5)).extracting(LocalMessage::subject).containsExactly("at");
        assertThat(store.search("edgewor", Optional.empty(), 5)).extracting(LocalMessage::subject).containsExactly("past");
    }

    @Test
    void droppingAFolderRemovesItsMessagesAndKeepsNestedFolders() throws IOException {
        store.ensureFolder("Archive", Optional.of('/'), Set.of());
        LocalMessage m = add("Archive", 1, "old", Set.of());
        LocalMessage nested = add("Archive/2024", 1, "nested", Set.of());
        store.delete(m.id());
        store.dropFolder("Archive");
        assertThat(store.folder("Archive")).isEmpty();
        assertThat(store.message(m.id())).isEmpty();
        assertThat(store.pending()).isEmpty();
        assertThat(m.file()).doesNotExist();
        assertThat(dir.resolve("mail/Archive/cur")).doesNotExist();
        assertThat(nested.file()).exists();
        assertThat(store.list("Archive/2024", 0, 5)).containsExactly(nested);
        reopen();
        assertThat(store.recovered()).isEmpty();
    }

    @Test
    void outboxStatesPersistAcrossCloseAndOpen() throws IOException {
        Path written = Files.writeString(dir.resolve("draft.eml"), "From: a@b.c\r\nTo: d@e.f\r\n\r\nhi\r\n");
        OutboxEntry e = store.queue(written, "<q1@b.c>", "a@b.c", List.of("d@e.f", "hidden@e.f"));
        assertThat(e.state()).isEqualTo(OutboxEntry.State.QUEUED);
        assertThat(Files.mismatch(e.file(), written)).isEqualTo(-1);
        assertThat(e.file().getParent()).isEqualTo(dir.resolve("outbox/queue"));
        store.outboxState(e.id(), OutboxEntry.State.SENDING, Optional.empty());
        store.outboxState(e.id(), OutboxEntry.State.QUEUED, Optional.of("421 try later"));
        store.outboxState(e.id(), OutboxEntry.State.SENDING, Optional.empty());
        reopen();
        OutboxEntry sending = store.outbox().getFirst();
        assertThat(sending.state()).isEqualTo(OutboxEntry.State.SENDING);
        assertThat(sending.attempts()).isEqualTo(2);
        assertThat(sending.lastError()).contains("421 try later");
        assertThat(sending.recipients()).containsExactly("d@e.f", "hidden@e.f");
        assertThat(sending.messageIdHeader()).isEqualTo("<q1@b.c>");
        store.outboxState(e.id(), OutboxEntry.State.SENT, Optional.empty());
        reopen();
        assertThat(store.outbox().getFirst().state()).isEqualTo(OutboxEntry.State.SENT);
        for (OutboxEntry.State never : List.of(OutboxEntry.State.QUEUED, OutboxEntry.State.SENDING)) {
            assertThatThrownBy(() -> store.outboxState(e.id(), never, Optional.empty()))
                    .isInstanceOf(IllegalStateException.class).hasMessage("outbox entry " + e.id()
                            + " is SENT and cannot become " + never);
        }
        assertThatThrownBy(() -> store.outboxRemove(e.id())).isInstanceOf(IllegalStateException.class);
        store.outboxState(e.id(), OutboxEntry.State.FILED, Optional.empty());
        reopen();
        store.outboxRemove(e.id());
        assertThat(store.outbox()).isEmpty();
        assertThat(e.file()).doesNotExist();
    }

    @Test
    void aSecondOpenFailsNamingTheProcessThatHoldsTheAccount() {
        assertThatThrownBy(() -> LocalStore.open(dir)).isInstanceOf(StoreLockedException.class)
                .hasMessageContaining("another postern client is syncing this account (pid "
                        + ProcessHandle.current().pid() + ")");
    }

    @Test
    void aStateDbOfTheKnownSchemaOpensAndOneOfANewerSchemaIsRefusedWithASentence() throws Exception {
        store.close();
        assertThat(userVersion(null)).isEqualTo(StateDb.SCHEMA_VERSION);
        userVersion(StateDb.SCHEMA_VERSION + 1);
        assertThatThrownBy(() -> LocalStore.open(dir)).isInstanceOf(LocalStoreException.class)
                .hasMessage(dir.resolve("state.db") + " was written by a newer postern (schema "
                        + (StateDb.SCHEMA_VERSION + 1) + ", this one knows " + StateDb.SCHEMA_VERSION + ")");
        userVersion(StateDb.SCHEMA_VERSION); // the refused open released the lock
        store = LocalStore.open(dir);
        assertThat(store.folders()).hasSize(2);
    }

    /** Reads state.db's schema version, first setting it when {@code set} is given. */
    private long userVersion(Integer set) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state.db"));
             java.sql.Statement s = c.createStatement()) {
            if (set != null) s.executeUpdate("PRAGMA user_version = " + set);
            try (java.sql.ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void theLockIsFreeAfterClose() throws IOException {
        store.close();
        try (LocalStore again = LocalStore.open(dir)) {
            assertThat(again.folders()).hasSize(2);
        }
        store = LocalStore.open(dir);
    }

    @Test
    void aMessageAtTheSizeLimitIsStoredAndOneByteMoreIsRefusedLeavingNothing() throws IOException {
        byte[] m = "Subject: sized\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        LocalMessage stored = store.add("INBOX", Optional.of(1L), Set.of(), T, new ByteArrayInputStream(m), m.length);
        assertThat(stored.size()).isEqualTo(m.length);
        assertThatThrownBy(() -> store.add("INBOX", Optional.of(2L), Set.of(), T, new ByteArrayInputStream(m), m.length - 1))
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessage("message larger than " + (m.length - 1) + " bytes; not stored");
        assertThat(store.uids("INBOX")).containsExactly(1L);
        assertThat(Files.list(dir.resolve("mail/INBOX/tmp"))).isEmpty();
        assertThat(Files.list(dir.resolve("mail/INBOX/cur"))).hasSize(1);
    }

    @Test
    void uidlessListsTheFoldersSyncedMessagesWithoutAUidOnly() throws IOException {
        add("INBOX", 5, "on the server", Set.of());
        LocalMessage kept = store.add("INBOX", Optional.empty(), Set.of(), T, mail("written offline", "a"));
        LocalMessage gone = store.add("INBOX", Optional.empty(), Set.of(), T, mail("deleted offline", "b"));
        store.add("Archive/2024", Optional.empty(), Set.of(), T, mail("elsewhere", "c"));
        store.delete(gone.id());
        assertThat(store.uidless("INBOX")).extracting(LocalMessage::id).containsExactly(kept.id());
    }
}
