package org.postern.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.client.sync.SyncFixtures.assertMirrors;
import static org.postern.client.sync.SyncFixtures.imap;
import static org.postern.client.sync.SyncFixtures.message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.imap.ImapClient;
import org.postern.client.message.MessageBuilder;
import org.postern.client.message.MessageView;
import org.postern.client.store.LocalStore;
import org.postern.client.store.LocalStore.LocalMessage;
import org.postern.client.testing.TestPostern;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;

class ImapSyncTest {
    private static final String BOB = "bob@example.org";

    private static ImapSync sync(TestPostern postern, LocalStore store) {
        return new ImapSync(imap(postern), store, Optional.empty());
    }

    private static ImapSync sync(TestPostern postern, LocalStore store, FolderSync.Mode mode) {
        return new ImapSync(imap(postern), store, Optional.empty(), mode);
    }

    private static LocalMessage bySubject(LocalStore store, String folder, String subject) {
        return store.list(folder, 0, Integer.MAX_VALUE).stream().filter(m -> m.subject().equals(subject)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + subject + " in local " + folder));
    }

    private static Set<String> plus(Set<String> a, String b) {
        Set<String> out = new HashSet<>(a);
        out.add(b);
        return out;
    }

    @Test
    void aFirstSyncDownloadsEveryMessageAndASecondFindsNothingToDo(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            for (int i = 1; i <= 3; i++) postern.deliver(TestPostern.USER, message("m" + i, "m" + i + "@example.org"));
            postern.addFlags(TestPostern.USER, "INBOX", 2, "\\Seen", "$Label1");
            List<String> progress = new java.util.ArrayList<>();
            SyncReport first = sync(postern, store).sync((folder, done, total) -> progress.add(folder + " " + done + "/" + total));

            assertThat(first.downloaded()).isEqualTo(3);
            assertThat(progress).contains("INBOX 1/3", "INBOX 3/3");
            assertMirrors(store, postern, "INBOX", "Sent", "Archive");
            assertThat(store.folders()).extracting(LocalStore.Folder::name).contains("INBOX", "Sent", "Drafts", "Trash");
            assertThat(bySubject(store, "INBOX", "m2").flags()).contains("\\Seen", "$Label1");

            SyncReport second = sync(postern, store).sync(SyncProgress.NONE);
            assertThat(second.downloaded()).isZero();
            assertThat(second.folders()).allSatisfy(f -> {
                assertThat(f.flagsUpdated()).as(f.name()).isZero();
                assertThat(f.expungedLocally()).as(f.name()).isZero();
            });
            assertMirrors(store, postern, "INBOX");
        }
    }

    @Test
    void aDownloadOfOneBatchAndOfOneMoreThanABatchGetsEveryMessageOnce(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"))) {
            int stored = 0;
            for (int count : List.of(FolderSync.DOWNLOAD_BATCH, FolderSync.DOWNLOAD_BATCH + 1)) {
                SyncFixtures.storeMessages(postern, count - stored);
                stored = count;
                try (LocalStore store = LocalStore.open(dir.resolve("client-" + count))) { // a fresh copy each time
                    long[] last = {0};
                    SyncReport r = sync(postern, store).sync((folder, done, total) -> {
                        if (folder.equals("INBOX")) last[0] = done;
                    });
                    assertThat(r.downloaded()).isEqualTo(count);
                    assertThat(last[0]).isEqualTo(count);
                    assertMirrors(store, postern, "INBOX");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(FolderSync.Mode.class)
    void changesOnTheServerReachTheLocalCopy(FolderSync.Mode mode, @TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            for (int i = 1; i <= 4; i++) postern.deliver(TestPostern.USER, message("m" + i, "m" + i + "@example.org"));
            sync(postern, store, mode).sync(SyncProgress.NONE);
            postern.addFlags(TestPostern.USER, "INBOX", 1, "\\Flagged");
            postern.expunge(TestPostern.USER, "INBOX", 3);
            postern.deliver(TestPostern.USER, message("m5", "m5@example.org"));

            SyncReport r = sync(postern, store, mode).sync(SyncProgress.NONE);
            SyncReport.Folder inbox = r.folders().stream().filter(f -> f.name().equals("INBOX")).findFirst().orElseThrow();
            assertThat(inbox.downloaded()).isEqualTo(1);
            assertThat(inbox.flagsUpdated()).isEqualTo(1);
            assertThat(inbox.expungedLocally()).isEqualTo(1);
            assertMirrors(store, postern, "INBOX");
        }
    }

    /**
     * The offline story of issue 6: sync; the server stops; offline the person flags one message, deletes one,
     * moves one and queues a reply with an attachment; meanwhile new mail reaches the server; the server comes back
     * on the same data; one sync sends the reply, pushes the flag, delete and move, pulls the new mail, and the
     * local copy equals the server.
     */
    @Test
    void theOfflineStory(@TempDir Path dir) throws IOException {
        Path serverDir = dir.resolve("server");
        TestPostern postern = TestPostern.start(serverDir);
        postern.addUser(BOB, "bob password");
        LocalStore store = LocalStore.open(dir.resolve("client"));
        try (store) {
            for (int i = 1; i <= 4; i++) postern.deliver(TestPostern.USER, message("m" + i, "m" + i + "@example.org"));
            sync(postern, store).sync(SyncProgress.NONE);
            ImapSync offline = sync(postern, store);
            postern.close();

            assertThatThrownBy(() -> offline.sync(SyncProgress.NONE)).isInstanceOf(IOException.class);

            LocalMessage flagged = bySubject(store, "INBOX", "m1");
            store.setFlags(flagged.id(), plus(flagged.flags(), "\\Flagged"));
            store.delete(bySubject(store, "INBOX", "m2").id());
            store.move(bySubject(store, "INBOX", "m3").id(), "Archive");
            LocalMessage original = bySubject(store, "INBOX", "m4");
            Path attachment = Files.writeString(dir.resolve("notes.txt"), "the notes\r\n");
            MessageBuilder.Draft reply = MessageBuilder.reply(MessageView.read(original.file()), TestPostern.USER, false,
                    "Here they are.");
            MessageBuilder.Draft withAttachment = new MessageBuilder.Draft(reply.from(), reply.to(), reply.cc(), reply.bcc(),
                    reply.subject(), reply.text(), List.of(attachment), reply.forwarded(), reply.inReplyTo(), reply.references());
            Path written = dir.resolve("reply.eml");
            String replyId = MessageBuilder.write(withAttachment, ZonedDateTime.now(), written);
            store.queue(written, replyId, TestPostern.USER, List.of(BOB));

            postern = TestPostern.start(serverDir);
            postern.deliver(TestPostern.USER, message("m5", "m5@example.org"));

            SyncReport r = new ImapSync(imap(postern), store, Optional.of(new OutboxSender(SyncFixtures.submission(postern),
                    store, Clock.systemUTC()))).sync(SyncProgress.NONE);

            assertThat(r.outbox()).hasValueSatisfying(o -> assertThat(o.sent()).isEqualTo(1));
            List<MessageMeta> bobs = postern.messages(BOB, "INBOX");
            assertThat(bobs).hasSize(1);
            String arrived = new String(postern.content(BOB, "INBOX", bobs.get(0).uid()), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(arrived).contains(replyId).contains("notes.txt").contains("Subject: Re: m4");
            assertThat(postern.messages(TestPostern.USER, "Sent")).hasSize(1);
            assertThat(store.outbox()).isEmpty();
            assertThat(store.pending()).isEmpty();

            assertThat(SyncFixtures.serverState(postern, "INBOX")).hasSize(3); // m1, m4, m5
            assertThat(SyncFixtures.serverState(postern, "INBOX").get(flagged.uid().orElseThrow())).contains("\\Flagged");
            assertThat(SyncFixtures.serverState(postern, "Archive")).hasSize(1);
            assertMirrors(store, postern, "INBOX", "Archive", "Sent");
            assertThat(bySubject(store, "INBOX", "m5")).isNotNull();
            assertThat(bySubject(store, "Archive", "m3")).isNotNull();
            assertThat(bySubject(store, "Sent", "Re: m4").messageId()).hasValue(replyId);

            SyncReport again = sync(postern, store).sync(SyncProgress.NONE);
            assertThat(again.downloaded()).isZero();
            assertMirrors(store, postern, "INBOX", "Archive", "Sent");
        } finally {
            postern.close();
        }
    }

    @Test
    void aChangedUidValidityFetchesTheFolderAgainWithoutDuplicatesAndDropsTheOfflineChangesThatNamedOldUids(@TempDir Path dir)
            throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            Path one = Files.writeString(dir.resolve("one.eml"), message("one", "one@example.org"));
            Path two = Files.writeString(dir.resolve("two.eml"), message("two", "two@example.org"));
            try (ImapClient c = ImapClient.connect(postern.imap(), TestPostern.TIMEOUT)) {
                c.login(TestPostern.USER, TestPostern.PASSWORD.toCharArray(), false);
                c.create("Lists");
                c.append("Lists", Set.of(), Optional.empty(), one);
                c.append("Lists", Set.of(), Optional.empty(), two);
            }
            sync(postern, store).sync(SyncProgress.NONE);
            long oldValidity = store.folder("Lists").orElseThrow().uidValidity();
            LocalMessage localOne = bySubject(store, "Lists", "one");
            LocalMessage localTwo = bySubject(store, "Lists", "two");
            store.setFlags(localOne.id(), plus(localOne.flags(), "\\Flagged"));

            // The folder is deleted and made again on the server (another client, a restore): new UIDVALIDITY.
            var account = postern.account(TestPostern.USER);
            postern.server().store().write(account, tx -> {
                tx.deleteMailbox(tx.mailbox(MailboxName.of("Lists")).orElseThrow().id());
                return tx.createMailbox(MailboxName.of("Lists"), Set.of());
            });
            Path three = Files.writeString(dir.resolve("three.eml"), message("three", "three@example.org"));
            try (ImapClient c = ImapClient.connect(postern.imap(), TestPostern.TIMEOUT)) {
                c.login(TestPostern.USER, TestPostern.PASSWORD.toCharArray(), false);
                c.append("Lists", Set.of(), Optional.empty(), three);
                c.append("Lists", Set.of(), Optional.empty(), two);
                c.append("Lists", Set.of(), Optional.empty(), one);
            }

            SyncReport r = sync(postern, store).sync(SyncProgress.NONE);

            assertThat(store.folder("Lists").orElseThrow().uidValidity()).isNotEqualTo(oldValidity);
            SyncReport.Folder lists = r.folders().stream().filter(f -> f.name().equals("Lists")).findFirst().orElseThrow();
            assertThat(lists.downloaded()).as("only the message the client did not have").isEqualTo(1);
            assertThat(lists.warnings()).anySatisfy(w -> assertThat(w).contains("UIDVALIDITY changed"));
            assertThat(bySubject(store, "Lists", "one").id()).as("adopted, not copied").isEqualTo(localOne.id());
            assertThat(bySubject(store, "Lists", "two").id()).isEqualTo(localTwo.id());
            assertThat(lists.warnings()).anySatisfy(w -> assertThat(w).contains("1 offline change(s)"));
            assertMirrors(store, postern, "Lists");
            assertThat(bySubject(store, "Lists", "one").flags()).doesNotContain("\\Flagged");
            assertThat(store.pending()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(FolderSync.Mode.class)
    void aMessageDeletedOnTheServerWhileFlaggedLocallyIsDeleted(FolderSync.Mode mode, @TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.deliver(TestPostern.USER, message("a", "a@example.org"));
            postern.deliver(TestPostern.USER, message("b", "b@example.org"));
            sync(postern, store, mode).sync(SyncProgress.NONE);
            LocalMessage a = bySubject(store, "INBOX", "a");
            store.setFlags(a.id(), plus(a.flags(), "\\Flagged"));
            postern.expunge(TestPostern.USER, "INBOX", a.uid().orElseThrow());

            SyncReport r = sync(postern, store, mode).sync(SyncProgress.NONE);

            assertThat(store.message(a.id())).isEmpty();
            assertThat(store.pending()).isEmpty();
            assertThat(r.allWarnings()).anySatisfy(w -> assertThat(w).contains("flag change was dropped"));
            assertMirrors(store, postern, "INBOX");
            assertThat(SyncFixtures.serverState(postern, "INBOX")).hasSize(1);
        }
    }

    @Test
    void aMessageMovedOfflineButDeletedOnTheServerIsDeletedAndTheMoveDropped(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.deliver(TestPostern.USER, message("a", "a@example.org"));
            sync(postern, store).sync(SyncProgress.NONE);
            LocalMessage a = bySubject(store, "INBOX", "a");
            store.move(a.id(), "Archive");
            postern.expunge(TestPostern.USER, "INBOX", a.uid().orElseThrow());

            SyncReport r = sync(postern, store).sync(SyncProgress.NONE);

            assertThat(r.allWarnings()).anySatisfy(w -> assertThat(w).contains("move to Archive was dropped"));
            assertThat(store.pending()).isEmpty();
            assertMirrors(store, postern, "INBOX", "Archive");
            assertThat(SyncFixtures.serverState(postern, "Archive")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(FolderSync.Mode.class)
    void flagsChangedOnBothSidesAreMerged(FolderSync.Mode mode, @TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.deliver(TestPostern.USER, message("a", "a@example.org"));
            postern.addFlags(TestPostern.USER, "INBOX", 1, "$Old");
            sync(postern, store, mode).sync(SyncProgress.NONE);
            LocalMessage a = bySubject(store, "INBOX", "a");
            // here: +\Flagged and -$Old; there (another device): +\Seen and +$Work
            Set<String> local = plus(a.flags(), "\\Flagged");
            local.remove("$Old");
            store.setFlags(a.id(), local);
            postern.addFlags(TestPostern.USER, "INBOX", 1, "\\Seen", "$Work");

            sync(postern, store, mode).sync(SyncProgress.NONE);

            assertThat(SyncFixtures.serverState(postern, "INBOX").get(1L)).containsExactlyInAnyOrder("\\Seen", "$Work", "\\Flagged");
            assertMirrors(store, postern, "INBOX");
            assertThat(store.pending()).isEmpty();
        }
    }

    /** A sync cut in the middle of the download (the connection dies) is completed by the next one: no duplicates. */
    @Test
    void aSyncCutDuringTheDownloadIsCompletedByTheNextWithoutDuplicates(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"));
             SyncFixtures.CutProxy proxy = new SyncFixtures.CutProxy(postern.port("imap"))) {
            // 40 x 256 KB: more than the sockets on the way buffer, so the cut falls in the middle of the FETCH
            int count = 40;
            for (int i = 1; i <= count; i++) postern.deliver(TestPostern.USER, TestPostern.largeMessage("m" + i, 256 * 1024));
            AtomicBoolean cut = new AtomicBoolean();
            ImapSync viaProxy = new ImapSync(SyncFixtures.login(proxy.endpoint(postern.imap())), store, Optional.empty());

            assertThatThrownBy(() -> viaProxy.sync((folder, done, total) -> {
                if (folder.equals("INBOX") && done == 12 && cut.compareAndSet(false, true)) proxy.cut();
            })).isInstanceOf(IOException.class);
            assertThat(cut).isTrue();
            int partial = store.uids("INBOX").size();
            assertThat(partial).as("some, not all, were downloaded before the cut").isBetween(12, count - 1);

            SyncReport r = viaProxy.sync(SyncProgress.NONE);

            assertThat(r.downloaded()).isEqualTo(count - partial);
            assertThat(store.list("INBOX", 0, Integer.MAX_VALUE)).hasSize(count);
            assertMirrors(store, postern, "INBOX");
        }
    }

    /** The server stopped in the middle of the download; once it is back, one sync completes the copy. */
    @Test
    void aServerStoppedDuringTheDownloadLeavesAStoreTheNextSyncCompletes(@TempDir Path dir) throws IOException {
        Path serverDir = dir.resolve("server");
        TestPostern postern = TestPostern.start(serverDir);
        try (LocalStore store = LocalStore.open(dir.resolve("client"))) {
            int count = 30;
            for (int i = 1; i <= count; i++) postern.deliver(TestPostern.USER, message("m" + i, "m" + i + "@example.org"));
            TestPostern running = postern;
            assertThatThrownBy(() -> sync(running, store).sync((folder, done, total) -> {
                if (folder.equals("INBOX") && done == 10) {
                    try {
                        Thread.ofVirtual().start(running::close).join(TestPostern.TIMEOUT); // not on our own thread
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            })).isInstanceOf(IOException.class);
            postern = TestPostern.start(serverDir);

            sync(postern, store).sync(SyncProgress.NONE);

            assertThat(store.list("INBOX", 0, Integer.MAX_VALUE)).hasSize(count);
            assertMirrors(store, postern, "INBOX");
        } finally {
            postern.close();
        }
    }

    @Test
    void aMessageAddedOfflineIsAppendedOnceAndKeepsItsRow(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            sync(postern, store).sync(SyncProgress.NONE);
            LocalMessage draft;
            try (var in = new java.io.ByteArrayInputStream(message("draft", "draft@example.org").getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                draft = store.add("Drafts", Optional.empty(), Set.of("\\Draft"), java.time.Instant.now(), in);
            }
            assertThat(store.pending()).extracting(LocalStore.Pending::kind).containsExactly(LocalStore.Pending.Kind.APPEND);

            SyncReport r = sync(postern, store).sync(SyncProgress.NONE);

            assertThat(r.downloaded()).isZero();
            assertThat(store.pending()).isEmpty();
            assertThat(SyncFixtures.serverState(postern, "Drafts")).hasSize(1).containsValue(Set.of("\\Draft"));
            assertThat(store.message(draft.id()).orElseThrow().uid()).isPresent();
            assertMirrors(store, postern, "Drafts");
        }
    }

    @Test
    void anAppendCutBeforeItsPendingRowWasClearedIsNotAppendedTwice(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            sync(postern, store).sync(SyncProgress.NONE);
            Path file = Files.writeString(dir.resolve("draft.eml"), message("draft", "draft@example.org"));
            LocalMessage draft;
            try (var in = Files.newInputStream(file)) {
                draft = store.add("Drafts", Optional.empty(), Set.of(), java.time.Instant.now(), in);
            }
            // the APPEND reached the server, then the connection died before the pending row was cleared
            try (ImapClient c = ImapClient.connect(postern.imap(), TestPostern.TIMEOUT)) {
                c.login(TestPostern.USER, TestPostern.PASSWORD.toCharArray(), false);
                c.append("Drafts", Set.of(), Optional.empty(), file);
            }

            sync(postern, store).sync(SyncProgress.NONE);

            assertThat(SyncFixtures.serverState(postern, "Drafts")).hasSize(1);
            assertThat(store.message(draft.id()).orElseThrow().uid()).isPresent();
            assertMirrors(store, postern, "Drafts");
        }
    }

    @Test
    void aFolderGoneFromTheServerGoesLocallyUnlessALocalChangeStillNeedsIt(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.createMailbox(TestPostern.USER, "Old", Set.of());
            postern.createMailbox(TestPostern.USER, "Projects", Set.of());
            postern.deliver(TestPostern.USER, message("a", "a@example.org"));
            sync(postern, store).sync(SyncProgress.NONE);
            store.move(bySubject(store, "INBOX", "a").id(), "Projects"); // offline, into a folder about to vanish
            var account = postern.account(TestPostern.USER);
            for (String gone : List.of("Old", "Projects")) {
                postern.server().store().write(account, tx -> {
                    tx.deleteMailbox(tx.mailbox(MailboxName.of(gone)).orElseThrow().id());
                    return null;
                });
            }

            SyncReport r = sync(postern, store).sync(SyncProgress.NONE);

            assertThat(store.folder("Old")).isEmpty();
            assertThat(r.allWarnings()).anySatisfy(w -> assertThat(w).contains("Projects").contains("created again"));
            assertThat(postern.mailbox(TestPostern.USER, "Projects")).isPresent();
            assertThat(SyncFixtures.serverState(postern, "Projects")).hasSize(1);
            assertThat(store.pending()).isEmpty();
            assertMirrors(store, postern, "INBOX", "Projects");
        }
    }

    @Test
    void aServerFolderTheLocalTreeCannotHoldIsLeftOutWithAWarningAndTheOthersAreSynced(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.createMailbox(TestPostern.USER, "Lists/cur", Set.of()); // "cur" would sit inside Lists' Maildir
            postern.deliver(TestPostern.USER, message("a", "a@example.org"));

            SyncReport r = sync(postern, store).sync(SyncProgress.NONE);

            assertThat(r.allWarnings()).anySatisfy(w -> assertThat(w).contains("Lists/cur").contains("not kept locally"));
            assertThat(store.folder("Lists/cur")).isEmpty();
            assertThat(store.folder("Lists")).isPresent();
            assertMirrors(store, postern, "INBOX", "Lists");
        }
    }

    @Test
    void aMoveCutAfterTheServerDidItEndsWithTheMessageInTheTargetOnce(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.deliver(TestPostern.USER, message("a", "a@example.org"));
            sync(postern, store).sync(SyncProgress.NONE);
            LocalMessage a = bySubject(store, "INBOX", "a");
            store.move(a.id(), "Archive");
            // the UID MOVE reached the server, then the connection died before the pending row was cleared
            try (ImapClient c = ImapClient.connect(postern.imap(), TestPostern.TIMEOUT)) {
                c.login(TestPostern.USER, TestPostern.PASSWORD.toCharArray(), false);
                c.select("INBOX", Optional.empty());
                c.move(org.postern.client.imap.UidSet.of(a.uid().orElseThrow()), "Archive");
            }

            sync(postern, store).sync(SyncProgress.NONE);

            assertThat(store.pending()).isEmpty();
            assertThat(SyncFixtures.serverState(postern, "Archive")).hasSize(1);
            assertThat(store.list("Archive", 0, 10)).extracting(LocalMessage::subject).containsExactly("a");
            assertMirrors(store, postern, "INBOX", "Archive");
        }
    }

    /** Many offline changes of each kind, pushed together (grouped per change), end as the person made them. */
    @Test
    void manyOfflineChangesOfEachKindArePushedTogetherAndAllArrive(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            SyncFixtures.storeMessages(postern, 120); // "message 0" .. "message 119", every third \Seen
            sync(postern, store).sync(SyncProgress.NONE);
            for (int i = 0; i < 120; i++) {
                LocalMessage m = bySubject(store, "INBOX", "message " + i);
                if (i < 60) store.setFlags(m.id(), plus(m.flags(), "\\Seen"));
                else if (i < 80) store.setFlags(m.id(), plus(plus(m.flags(), "\\Flagged"), "$Work"));
                else if (i < 100) store.delete(m.id());
                else store.move(m.id(), "Archive");
            }

            SyncReport r = sync(postern, store).sync(SyncProgress.NONE);

            assertThat(store.pending()).isEmpty();
            assertThat(r.downloaded()).isZero();
            assertThat(SyncFixtures.serverState(postern, "INBOX")).hasSize(80);
            assertThat(SyncFixtures.serverState(postern, "Archive")).hasSize(20);
            assertThat(SyncFixtures.serverState(postern, "INBOX").values().stream().filter(f -> f.contains("\\Seen")).count())
                    .isGreaterThanOrEqualTo(60);
            assertThat(SyncFixtures.serverState(postern, "INBOX").values().stream().filter(f -> f.contains("$Work")).count())
                    .isEqualTo(20);
            assertMirrors(store, postern, "INBOX", "Archive");
        }
    }
}
