package org.postern.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.server.store.StoreFixtures.blobExists;
import static org.postern.server.store.StoreFixtures.newMessage;
import static org.postern.server.store.StoreFixtures.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MailStore} backend must do (DESIGN.md "Store"): uids, UIDVALIDITY, MODSEQ, changes, mailbox
 * operations, blobs, atomic delivery, concurrency, persistence. Subclasses only open a store on a directory;
 * a PostgreSQL subclass may use the directory for its blobs only. The mailbox operations are in the superclass
 * {@link MailboxContract}, so subclassing this one runs both.
 */
public abstract class MailStoreContract extends MailboxContract {
    // ---- uids, uidvalidity, modseq

    @Test
    void appendAssignsIncreasingUidsThatAreNeverReusedAfterExpunge() {
        MailboxId inbox = inbox(ALICE);
        List<Long> first = List.of(append(ALICE, inbox, "a").uid(), append(ALICE, inbox, "b").uid(),
                append(ALICE, inbox, "c").uid());
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(3)));
        long next = append(ALICE, inbox, "d").uid();

        assertThat(first).containsExactly(1L, 2L, 3L);
        assertThat(next).isEqualTo(4);
        assertThat(uids(ALICE, inbox)).containsExactly(1L, 2L, 4L);
    }

    @Test
    void deletedListsExactlyTheMessagesFlaggedDeletedWithinTheSet() {
        MailboxId inbox = inbox(ALICE);
        // flags of messages 1..n, and whether each counts as \Deleted: the flag alone, among others, in another
        // case (stored canonically), and the look-alikes that must not match
        record Row(Flags flags, boolean deleted) {}
        List<Row> rows = List.of(
                new Row(Flags.of(Flags.DELETED), true),
                new Row(Flags.of(Flags.SEEN, Flags.DELETED, "$Work"), true),
                new Row(Flags.of("\\deleted"), true),
                new Row(Flags.NONE, false),
                new Row(Flags.of(Flags.SEEN), false),
                new Row(Flags.of("$Deleted"), false),
                new Row(Flags.of("Deleted"), false),
                new Row(Flags.of("\\DeletedSoon"), false),
                new Row(Flags.of(Flags.DRAFT, Flags.DELETED), true));
        for (int i = 0; i < rows.size(); i++) append(ALICE, inbox, "m" + i, rows.get(i).flags());
        long[] expected = java.util.stream.IntStream.range(0, rows.size()).filter(i -> rows.get(i).deleted())
                .mapToLong(i -> i + 1).toArray();

        long[] all = store.read(ALICE, (ReadTx tx) -> tx.deleted(inbox, UidSet.ALL));
        long[] some = store.read(ALICE, (ReadTx tx) -> tx.deleted(inbox, new UidSet(List.of(
                new UidSet.Range(2, 3), new UidSet.Range(5, 9)))));
        long[] none = store.read(ALICE, (ReadTx tx) -> tx.deleted(inbox, UidSet.range(4, 8)));
        assertThat(all).containsExactly(expected);
        assertThat(some).containsExactly(2L, 3L, 9L);
        assertThat(none).isEmpty();
    }

    @Test
    void changedSinceListsTheMessagesWithAHigherModSeqAscending() {
        MailboxId inbox = inbox(ALICE);
        MailboxId other = box(ALICE, "Sent").id();
        for (int i = 0; i < 6; i++) append(ALICE, inbox, "m" + i);
        append(ALICE, other, "elsewhere");
        long before = box(ALICE, "INBOX").highestModSeq();
        // after `before`: 5 flagged, 2 flagged, a new 7th, 4 expunged (gone, so not listed)
        store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.of(5), new FlagUpdate(FlagUpdate.Mode.ADD,
                Flags.of(Flags.FLAGGED)), OptionalLong.empty()));
        store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.of(2, 4), new FlagUpdate(FlagUpdate.Mode.ADD,
                Flags.of(Flags.SEEN)), OptionalLong.empty()));
        append(ALICE, inbox, "m6");
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(4)));
        append(ALICE, other, "elsewhere too");

        List<MessageMeta> changed = store.read(ALICE, (ReadTx tx) -> tx.changedSince(inbox, before));
        List<MessageMeta> all = store.read(ALICE, (ReadTx tx) -> tx.changedSince(inbox, 0));
        List<MessageMeta> none = store.read(ALICE, (ReadTx tx) -> tx.changedSince(inbox,
                box(ALICE, "INBOX").highestModSeq()));

        assertThat(changed).extracting(MessageMeta::uid).containsExactly(2L, 5L, 7L);
        assertThat(changed).allMatch(m -> m.modSeq() > before && m.mailbox().equals(inbox));
        assertThat(changed.get(1).flags().has(Flags.FLAGGED)).isTrue();
        assertThat(all).extracting(MessageMeta::uid).containsExactly(1L, 2L, 3L, 5L, 6L, 7L);
        assertThat(none).isEmpty();
    }

    @Test
    void uidsAndKeywordsListTheMailboxWithoutMessageRows() {
        MailboxId inbox = inbox(ALICE);
        long[] none = store.read(ALICE, (ReadTx tx) -> tx.uids(inbox));
        Set<String> noKeywords = store.read(ALICE, (ReadTx tx) -> tx.keywords(inbox));
        assertThat(none).isEmpty();
        assertThat(noKeywords).isEmpty();
        for (int i = 0; i < 70; i++) append(ALICE, inbox, "m" + i, i == 3 ? Flags.of(Flags.SEEN, "$Work") : i == 5 ? Flags.of("Todo", "$work") : Flags.of(Flags.SEEN));
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(2)));
        long[] uids = store.read(ALICE, (ReadTx tx) -> tx.uids(inbox));
        assertThat(uids).hasSize(69).startsWith(1L, 3L).endsWith(70L);
        Set<String> keywords = store.read(ALICE, (ReadTx tx) -> tx.keywords(inbox));
        assertThat(keywords).as("keywords only, each once, case-insensitively").containsExactlyInAnyOrder("$Work", "Todo");
        MailboxId sent = box(ALICE, "Sent").id();
        Set<String> sentKeywords = store.read(ALICE, (ReadTx tx) -> tx.keywords(sent));
        assertThat(sentKeywords).isEmpty();
    }

    @Test
    void envelopesAreThoseOfTheStoredStructures() {
        MailboxId inbox = inbox(ALICE);
        for (int i = 0; i < 3; i++) append(ALICE, inbox, "subject " + i);
        java.util.Map<Long, org.postern.wire.mime.Envelope> envelopes = store.read(ALICE, (ReadTx tx) -> tx.envelopes(inbox, UidSet.range(2, 9)));
        assertThat(envelopes).containsOnlyKeys(2L, 3L);
        for (long uid : List.of(2L, 3L)) {
            org.postern.wire.mime.Envelope whole = store.read(ALICE, (ReadTx tx) -> tx.structure(inbox, uid)).orElseThrow().envelope();
            assertThat(envelopes.get(uid)).isEqualTo(whole);
            assertThat(whole.subject()).contains("subject " + (uid - 1));
        }
    }

    @Test
    void uidNextIsTheUidTheNextAppendGets() {
        MailboxId inbox = inbox(ALICE);
        assertThat(box(ALICE, "INBOX").uidNext()).isEqualTo(1);
        append(ALICE, inbox, "a");
        append(ALICE, inbox, "b");
        assertThat(box(ALICE, "INBOX").uidNext()).isEqualTo(3);
        assertThat(append(ALICE, inbox, "c").uid()).isEqualTo(3);
    }

    @Test
    void uidValidityChangesWhenAMailboxIsDeletedAndCreatedAgain() {
        Mailbox before = store.write(ALICE, tx -> tx.createMailbox(MailboxName.of("Projects"), Set.of()));
        store.write(ALICE, tx -> {
            tx.deleteMailbox(before.id());
            return null;
        });
        Mailbox after = store.write(ALICE, tx -> tx.createMailbox(MailboxName.of("Projects"), Set.of()));

        assertThat(after.uidValidity()).isNotEqualTo(before.uidValidity()).isPositive();
        assertThat(after.id()).isNotEqualTo(before.id());
        assertThat(store.read(ALICE, ReadTx::mailboxes).stream().map(Mailbox::uidValidity).distinct().count())
                .isEqualTo(MailStore.DEFAULT_MAILBOXES.size() + 1);
    }

    @Test
    void modSeqStrictlyIncreasesWithEveryChange() {
        long start = highestModSeq(ALICE);
        MailboxId inbox = inbox(ALICE);
        MailboxId archive = box(ALICE, "Archive").id();
        MessageMeta a = append(ALICE, inbox, "a");
        MessageMeta b = append(ALICE, inbox, "b");
        store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.of(a.uid(), b.uid()),
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN)), OptionalLong.empty()));
        store.write(ALICE, tx -> tx.copy(inbox, UidSet.ALL, archive));
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(a.uid())));

        List<Long> modSeqs = changesSince(ALICE, start).stream().map(Change::modSeq).toList();
        assertThat(modSeqs).hasSize(7).isSorted().doesNotHaveDuplicates();
        assertThat(modSeqs.getFirst()).isGreaterThan(start);
        assertThat(highestModSeq(ALICE)).isEqualTo(modSeqs.getLast());
        assertThat(b.modSeq()).isGreaterThan(a.modSeq());
        assertThat(box(ALICE, "INBOX").highestModSeq()).isEqualTo(modSeqs.getLast());
        assertThat(box(ALICE, "Archive").highestModSeq()).isEqualTo(modSeqs.get(5));
    }

    @Test
    void changesSinceReturnsEachChangeExactlyOnceAndInOrder() {
        long start = highestModSeq(ALICE);
        Mailbox work = store.write(ALICE, tx -> tx.createMailbox(MailboxName.of("Work"), Set.of()));
        MessageMeta m = append(ALICE, work.id(), "hello");
        store.write(ALICE, tx -> tx.setFlags(work.id(), UidSet.ALL, new FlagUpdate(FlagUpdate.Mode.ADD,
                Flags.of(Flags.FLAGGED)), OptionalLong.empty()));
        store.write(ALICE, tx -> tx.expunge(work.id(), UidSet.ALL));

        List<Change> all = changesSince(ALICE, start);
        assertThat(all).hasSize(4);
        assertThat(all.get(0)).isEqualTo(new Change.MailboxCreated(work.id(), work.name(), work.highestModSeq()));
        assertThat(all.get(1)).isEqualTo(new Change.MessageAdded(work.id(), m.uid(), m.modSeq(), Flags.NONE));
        assertThat(all.get(2)).isInstanceOfSatisfying(Change.FlagsChanged.class,
                c -> assertThat(c.flags()).isEqualTo(Flags.of(Flags.FLAGGED)));
        assertThat(all.get(3)).isInstanceOfSatisfying(Change.MessagesExpunged.class,
                c -> assertThat(c.uids()).containsExactly(m.uid()));
        assertThat(changesSince(ALICE, all.get(1).modSeq())).isEqualTo(all.subList(2, 4));
        assertThat(changesSince(ALICE, all.get(3).modSeq())).isEmpty();
        assertThat(changesSince(BOB, 0)).isEmpty();
    }

    @Test
    void deletedSizeSumsTheSizesOfTheDeletedMessagesOfOneMailbox() {
        MailboxId inbox = inbox(ALICE);
        MessageMeta a = append(ALICE, inbox, "a", Flags.of(Flags.DELETED));
        append(ALICE, inbox, "bb");
        MessageMeta c = append(ALICE, inbox, "ccc", Flags.of(Flags.SEEN, Flags.DELETED));
        Mailbox other = store.write(ALICE, tx -> tx.createMailbox(MailboxName.of("Other"), Set.of()));
        append(ALICE, other.id(), "dddd", Flags.of(Flags.DELETED));

        assertThat(store.read(ALICE, (ReadTx tx) -> tx.deletedSize(inbox))).isEqualTo(a.size() + c.size());
        Mailbox empty = store.write(ALICE, tx -> tx.createMailbox(MailboxName.of("Empty"), Set.of()));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.deletedSize(empty.id()))).isZero();
    }

    @Test
    void expungedSinceListsOnlyThatMailboxsExpungesAfterTheModSeq() {
        MailboxId inbox = inbox(ALICE);
        for (String s : List.of("a", "b", "c", "d", "e")) append(ALICE, inbox, s);
        Mailbox other = store.write(ALICE, tx -> tx.createMailbox(MailboxName.of("Other"), Set.of()));
        append(ALICE, other.id(), "x");
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(4)));
        long mark = highestModSeq(ALICE);
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.range(1, 2)));
        store.write(ALICE, tx -> tx.expunge(other.id(), UidSet.ALL));
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(5)));

        assertThat(store.read(ALICE, (ReadTx tx) -> tx.expungedSince(inbox, mark))).containsExactly(1L, 2L, 5L);
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.expungedSince(inbox, 0))).containsExactly(1L, 2L, 4L, 5L);
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.expungedSince(inbox, highestModSeq(ALICE)))).isEmpty();
    }

    // ---- flags

    @Test
    void setFlagsAddsRemovesAndReplacesAndReturnsOnlyTheMessagesItChanged() {
        MailboxId inbox = inbox(ALICE);
        append(ALICE, inbox, "a", Flags.of(Flags.SEEN));
        append(ALICE, inbox, "b");
        FlagUpdate addSeen = new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of("\\seen"));   // RFC 9051 §2.3.2: any case

        List<MessageMeta> added = store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.ALL, addSeen, OptionalLong.empty()));
        List<MessageMeta> replaced = store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.of(1),
                new FlagUpdate(FlagUpdate.Mode.REPLACE, Flags.of(Flags.ANSWERED, "$Label1")), OptionalLong.empty()));
        List<MessageMeta> removed = store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.ALL,
                new FlagUpdate(FlagUpdate.Mode.REMOVE, Flags.of(Flags.SEEN)), OptionalLong.empty()));

        assertThat(added).extracting(MessageMeta::uid).containsExactly(2L);
        assertThat(replaced).extracting(MessageMeta::flags).containsExactly(Flags.of(Flags.ANSWERED, "$Label1"));
        assertThat(removed).extracting(MessageMeta::uid).containsExactly(2L);
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.messages(inbox, UidSet.ALL))).extracting(MessageMeta::flags)
                .containsExactly(Flags.of(Flags.ANSWERED, "$Label1"), Flags.NONE);
    }

    @Test
    void setFlagsWithUnchangedSinceLeavesMessagesModifiedLaterAlone() {
        MailboxId inbox = inbox(ALICE);
        append(ALICE, inbox, "a");
        append(ALICE, inbox, "b");
        long seen = highestModSeq(ALICE);
        store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.of(2), new FlagUpdate(FlagUpdate.Mode.ADD,
                Flags.of(Flags.SEEN)), OptionalLong.empty()));

        List<MessageMeta> changed = store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.ALL,
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.FLAGGED)), OptionalLong.of(seen)));

        assertThat(changed).extracting(MessageMeta::uid).containsExactly(1L);
        assertThat(changed.getFirst().modSeq()).isGreaterThan(seen);
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.messages(inbox, UidSet.of(2))).getFirst().flags())
                .isEqualTo(Flags.of(Flags.SEEN));
    }

    // ---- blobs, copy, expunge, content

    @Test
    void expungeFreesTheBlobOnlyWhenTheLastReferenceGoes() {
        MailboxId inbox = inbox(ALICE);
        MailboxId archive = box(ALICE, "Archive").id();
        MessageMeta original = append(ALICE, inbox, "keep me");
        List<CopyResult> copied = store.write(ALICE, tx -> tx.copy(inbox, UidSet.of(original.uid()), archive));

        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(original.uid())));
        assertThat(blobExists(store.blobs(), original.body())).isTrue();
        MessageContent content = store.read(ALICE, (ReadTx tx) -> tx.content(archive, copied.getFirst().targetUid())).orElseThrow();
        assertThat(content.body()).isEqualTo(original.body());

        store.write(ALICE, tx -> tx.expunge(archive, UidSet.ALL));
        assertThat(blobExists(store.blobs(), original.body())).isFalse();
    }

    @Test
    void copyAssignsNewUidsAndKeepsFlagsDateSizeAndContent() throws IOException {
        MailboxId inbox = inbox(ALICE);
        MailboxId archive = box(ALICE, "Archive").id();
        append(ALICE, archive, "already there");
        MessageMeta a = append(ALICE, inbox, "a", Flags.of(Flags.SEEN, "$Work"));
        MessageMeta b = append(ALICE, inbox, "b", Flags.of(Flags.FLAGGED));

        List<CopyResult> copied = store.write(ALICE, tx -> tx.copy(inbox, UidSet.of(b.uid(), a.uid()), archive));

        assertThat(copied).containsExactly(new CopyResult(1, 2), new CopyResult(2, 3));
        List<MessageMeta> targets = store.read(ALICE, (ReadTx tx) -> tx.messages(archive, UidSet.range(2, 3)));
        assertThat(targets).extracting(MessageMeta::flags).containsExactly(a.flags(), b.flags());
        assertThat(targets).extracting(MessageMeta::internalDate).containsExactly(a.internalDate(), b.internalDate());
        assertThat(targets).extracting(MessageMeta::size).containsExactly(a.size(), b.size());
        assertThat(contentOf(store.read(ALICE, (ReadTx tx) -> tx.content(archive, 2)).orElseThrow()))
                .isEqualTo(contentOf(store.read(ALICE, (ReadTx tx) -> tx.content(inbox, a.uid())).orElseThrow()));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.structure(archive, 3))).isEqualTo(
                store.read(ALICE, (ReadTx tx) -> tx.structure(inbox, b.uid())));
    }

    @Test
    void contentIsThePrefixFollowedByTheBlobAndStructureRoundTrips() throws IOException {
        String raw = text("Hello", "Grüße");
        NewMessage m = newMessage(store.blobs(), raw);
        MessageMeta meta = store.write(ALICE, tx -> tx.append(inbox(ALICE), m));

        MessageContent content = store.read(ALICE, (ReadTx tx) -> tx.content(meta.mailbox(), meta.uid())).orElseThrow();
        assertThat(contentOf(content)).isEqualTo(StoreFixtures.PREFIX + raw);
        assertThat(content.size()).isEqualTo(meta.size()).isEqualTo(m.size());
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.structure(meta.mailbox(), meta.uid())).orElseThrow().encode())
                .isEqualTo(StoreFixtures.encodedStructure(m));
        assertThat(meta.internalDate()).isEqualTo(m.internalDate());
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.content(meta.mailbox(), 99))).isEmpty();
    }

    @Test
    void readAheadGivesWhatOpenMessageGivesForUidsInTheRangeInOrderWithinTheBounds() throws IOException {
        MailboxId inbox = inbox(ALICE);
        List<MessageMeta> all = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) all.add(append(ALICE, inbox, "message " + i));
        java.util.SortedMap<Long, byte[]> ahead = store.readAhead(ALICE, inbox, all.get(1).uid(), all.get(4).uid(), 3, Long.MAX_VALUE);
        assertThat(ahead.size()).isLessThanOrEqualTo(3);
        for (var e : ahead.entrySet()) {
            assertThat(e.getKey()).isBetween(all.get(1).uid(), all.get(4).uid());
            try (java.io.InputStream in = store.openMessage(ALICE, inbox, e.getKey()).orElseThrow()) {
                assertThat(e.getValue()).isEqualTo(in.readAllBytes());
            }
        }
        assertThat(store.readAhead(BOB, inbox, all.get(0).uid(), all.get(5).uid(), 10, Long.MAX_VALUE))
                .as("another account's mailbox").isEmpty();
        java.util.SortedMap<Long, byte[]> one = store.readAhead(ALICE, inbox, all.get(0).uid(), all.get(5).uid(), 10, 1);
        assertThat(one.size()).as("over the byte bound: the first message only, or nothing").isLessThanOrEqualTo(1);
    }

    @Test
    void openMessageGivesTheSameBytesAsContentAndOpenAndNothingForAMissingOrOtherAccountsUid() throws IOException {
        String raw = text("Hello", ".a line with a dot");
        MessageMeta meta = store.write(ALICE, tx -> tx.append(inbox(ALICE), newMessage(store.blobs(), raw)));
        try (java.io.InputStream in = store.openMessage(ALICE, meta.mailbox(), meta.uid()).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(StoreFixtures.PREFIX + raw);
        }
        assertThat(store.openMessage(ALICE, meta.mailbox(), meta.uid() + 1)).isEmpty();
        assertThat(store.openMessage(BOB, meta.mailbox(), meta.uid())).as("another account's mailbox").isEmpty();
        store.write(ALICE, tx -> tx.expunge(meta.mailbox(), UidSet.of(meta.uid())));
        assertThat(store.openMessage(ALICE, meta.mailbox(), meta.uid())).as("expunged").isEmpty();
    }

    @Test
    void countsReportMessagesUnseenDeletedSizeAndFirstUnseen() {
        MailboxId inbox = inbox(ALICE);
        MessageMeta a = append(ALICE, inbox, "a", Flags.of(Flags.SEEN));
        MessageMeta b = append(ALICE, inbox, "b", Flags.of(Flags.DELETED));
        MessageMeta c = append(ALICE, inbox, "c", Flags.of(Flags.SEEN, Flags.DELETED));

        MailboxCounts counts = store.read(ALICE, (ReadTx tx) -> tx.counts(inbox));

        assertThat(counts).isEqualTo(new MailboxCounts(3, 1, 2, a.size() + b.size() + c.size(), b.uid()));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.counts(box(ALICE, "Trash").id())))
                .isEqualTo(new MailboxCounts(0, 0, 0, 0, 0));
    }

    @Test
    void countsAreNotFooledByFlagsThatOnlyLookLikeSeenOrDeleted() {
        MailboxId sent = box(ALICE, "Sent").id();
        MessageMeta a = append(ALICE, sent, "a", Flags.of("\\SeenLater", "NotSeen", "Seen"));
        MessageMeta b = append(ALICE, sent, "b", Flags.of("\\Deletedish", "$Deleted"));
        MailboxCounts counts = store.read(ALICE, (ReadTx tx) -> tx.counts(sent));
        assertThat(counts).isEqualTo(new MailboxCounts(2, 2, 0, a.size() + b.size(), a.uid()));
    }

    /** What counts() must say, computed from the message rows themselves. */
    private MailboxCounts recount(AccountId account, MailboxId box) {
        List<MessageMeta> all = store.read(account, (ReadTx tx) -> tx.messages(box, UidSet.ALL));
        long unseen = all.stream().filter(m -> !m.flags().has(Flags.SEEN)).count();
        long deleted = all.stream().filter(m -> m.flags().has(Flags.DELETED)).count();
        long size = all.stream().mapToLong(MessageMeta::size).sum();
        long firstUnseen = all.stream().filter(m -> !m.flags().has(Flags.SEEN)).mapToLong(MessageMeta::uid).min().orElse(0);
        return new MailboxCounts(all.size(), unseen, deleted, size, firstUnseen);
    }

    private void assertCountsKept(String step, MailboxId... boxes) {
        long total = 0;
        for (MailboxId box : boxes) {
            MailboxCounts expected = recount(ALICE, box);
            assertThat(store.read(ALICE, (ReadTx tx) -> tx.counts(box))).as(step + ": counts of " + box).isEqualTo(expected);
            long deletedSize = store.read(ALICE, (ReadTx tx) -> tx.messages(box, UidSet.ALL)).stream()
                    .filter(m -> m.flags().has(Flags.DELETED)).mapToLong(MessageMeta::size).sum();
            assertThat(store.read(ALICE, (ReadTx tx) -> tx.deletedSize(box))).as(step + ": deleted size").isEqualTo(deletedSize);
        }
        for (Mailbox b : store.read(ALICE, ReadTx::mailboxes)) total += recount(ALICE, b.id()).totalSize();
        assertThat(store.read(ALICE, ReadTx::totalSize)).as(step + ": account total").isEqualTo(total);
    }

    @Test
    void countsStayExactThroughAppendStoreCopyExpungeRenameAndDelete() {
        MailboxId inbox = inbox(ALICE);
        MailboxId trash = box(ALICE, "Trash").id();
        for (int i = 0; i < 12; i++) {
            append(ALICE, inbox, "m" + i, i % 3 == 0 ? Flags.of(Flags.SEEN) : i % 3 == 1 ? Flags.of(Flags.DELETED) : Flags.NONE);
        }
        assertCountsKept("append", inbox, trash);
        store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.range(1, 6), new FlagUpdate(FlagUpdate.Mode.ADD,
                Flags.of(Flags.SEEN)), OptionalLong.empty()));
        assertCountsKept("add \\Seen", inbox);
        store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.range(4, 9), new FlagUpdate(FlagUpdate.Mode.REPLACE,
                Flags.of(Flags.DELETED, "Later")), OptionalLong.empty()));
        assertCountsKept("replace", inbox);
        store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.range(1, 12), new FlagUpdate(FlagUpdate.Mode.REMOVE,
                Flags.of(Flags.SEEN)), OptionalLong.empty()));
        assertCountsKept("remove \\Seen", inbox);
        store.write(ALICE, tx -> tx.copy(inbox, UidSet.range(2, 8), trash));
        assertCountsKept("copy", inbox, trash);
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(4, 5, 11)));
        assertCountsKept("expunge", inbox, trash);
        store.write(ALICE, tx -> {
            tx.renameMailbox(inbox, MailboxName.of("Old"));
            return null;
        });
        MailboxId old = box(ALICE, "Old").id();
        assertCountsKept("rename INBOX", inbox, old, trash);
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.keywords(old))).as("keywords go with the messages").containsExactly("Later");
        append(ALICE, inbox, "new", Flags.NONE);
        store.write(ALICE, tx -> {
            tx.deleteMailbox(trash);
            return null;
        });
        assertCountsKept("delete", inbox, old);
    }

    @Test
    void keywordsOnceSetStayDefinedInTheMailbox() {
        MailboxId inbox = inbox(ALICE);
        MessageMeta m = append(ALICE, inbox, "a", Flags.NONE);
        store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.of(m.uid()), new FlagUpdate(FlagUpdate.Mode.ADD,
                Flags.of("$Label1", Flags.FLAGGED)), OptionalLong.empty()));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.keywords(inbox))).containsExactly("$Label1");
        store.write(ALICE, tx -> tx.setFlags(inbox, UidSet.of(m.uid()), new FlagUpdate(FlagUpdate.Mode.REMOVE,
                Flags.of("$label1")), OptionalLong.empty()));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.messages(inbox, UidSet.ALL)).getFirst().flags().names())
                .containsExactly(Flags.FLAGGED);
        // RFC 9051 §7.3.1: FLAGS lists the flags that apply in the mailbox; a keyword once used still does
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.keywords(inbox))).containsExactly("$Label1");
        MailboxId sent = box(ALICE, "Sent").id();
        store.write(ALICE, tx -> tx.copy(inbox, UidSet.of(m.uid()), sent));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.keywords(sent))).as("only keywords the copies carry").isEmpty();
    }

    // ---- delivery and atomicity

    @Test
    void deliverAppendsToEveryLocalInboxAndQueuesTheRemoteRecipientsTogether() {
        NewMessage m = newMessage(store.blobs(), text("To all", "hi"));
        byte[] outPrefix = "Received: by postern\r\n".getBytes(StandardCharsets.US_ASCII);
        Delivery delivery = new Delivery(m, List.of(ALICE, BOB, CAROL), java.util.Optional.of(new Delivery.Outbound(
                "alice@example.org", List.of("x@remote.example", "y@remote.example"), outPrefix, 99)));

        Delivery.Receipt receipt = store.deliver(delivery);

        assertThat(receipt.appended()).hasSize(3).allSatisfy(meta -> {
            assertThat(meta.uid()).isEqualTo(1);
            assertThat(meta.body()).isEqualTo(m.body());
        });
        for (AccountId account : List.of(ALICE, BOB, CAROL)) {
            assertThat(uids(account, inbox(account))).containsExactly(1L);
        }
        assertThat(store.read(BOB, ReadTx::mailboxes)).hasSize(MailStore.DEFAULT_MAILBOXES.size());
        assertThat(receipt.queueId()).isPresent();
        var queued = store.queue().list();
        assertThat(queued).singleElement().satisfies(q -> {
            assertThat(q.id()).isEqualTo(receipt.queueId().orElseThrow());
            assertThat(q.body()).isEqualTo(m.body());
            assertThat(q.prefix()).isEqualTo(outPrefix);
            assertThat(q.recipients()).extracting(r -> r.address()).containsExactly("x@remote.example", "y@remote.example");
        });
    }

    @Test
    void aWriteThatThrowsLeavesNothingBehind() {
        MailboxId inbox = inbox(ALICE);
        long modSeq = highestModSeq(ALICE);
        NewMessage m = newMessage(store.blobs(), text("doomed", "x"));

        assertThatThrownBy(() -> store.write(ALICE, tx -> {
            tx.append(inbox, m);
            tx.createMailbox(MailboxName.of("Doomed"), Set.of());
            throw new IllegalStateException("changed my mind");
        })).isInstanceOf(IllegalStateException.class).hasMessage("changed my mind");

        assertThat(uids(ALICE, inbox)).isEmpty();
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.mailbox(MailboxName.of("Doomed")))).isEmpty();
        assertThat(box(ALICE, "INBOX").uidNext()).isEqualTo(1);
        assertThat(highestModSeq(ALICE)).isEqualTo(modSeq);
        assertThat(changesSince(ALICE, modSeq)).isEmpty();
        assertThat(append(ALICE, inbox, "next").modSeq()).isEqualTo(modSeq + 1);
    }

    @Test
    void sixteenConcurrentWritersLoseNothingAndGetContiguousUids() throws InterruptedException {
        MailboxId inbox = inbox(ALICE);
        int writers = 16, each = 50;
        ConcurrentLinkedQueue<MessageMeta> appended = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < each; i++) appended.add(append(ALICE, inbox, "w" + writer + " m" + i));
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) t.join();

        assertThat(failures).isEmpty();
        List<Long> expected = java.util.stream.LongStream.rangeClosed(1, writers * each).boxed().toList();
        assertThat(appended.stream().map(MessageMeta::uid).sorted().toList()).isEqualTo(expected);
        assertThat(appended.stream().map(MessageMeta::modSeq).distinct().count()).isEqualTo(writers * each);
        assertThat(uids(ALICE, inbox)).isEqualTo(expected);
        assertThat(box(ALICE, "INBOX").uidNext()).isEqualTo(writers * each + 1);
    }

    @Test
    void everythingSurvivesCloseAndReopen() {
        MailboxId inbox = inbox(ALICE);
        MessageMeta m = append(ALICE, inbox, "persistent", Flags.of(Flags.SEEN));
        Mailbox work = store.write(ALICE, tx -> tx.createMailbox(MailboxName.of("Work/2024"), Set.of(SpecialUse.FLAGGED)));
        List<Change> changes = changesSince(ALICE, 0);
        store.close();

        store = open(dir);

        assertThat(store.read(ALICE, (ReadTx tx) -> tx.messages(inbox, UidSet.ALL))).containsExactly(m);
        assertThat(box(ALICE, "Work/2024")).isEqualTo(work);
        assertThat(changesSince(ALICE, 0)).isEqualTo(changes);
        assertThat(blobExists(store.blobs(), m.body())).isTrue();
        assertThat(append(ALICE, inbox, "after").uid()).isEqualTo(2);
        assertThat(highestModSeq(ALICE)).isGreaterThan(changes.getLast().modSeq());
    }

    @Test
    void closeWaitsForWritesAlreadySubmitted() throws InterruptedException {
        MailboxId inbox = inbox(ALICE);
        List<NewMessage> messages = new ArrayList<>();
        for (int i = 0; i < 20; i++) messages.add(newMessage(store.blobs(), text("m" + i, "x")));
        ConcurrentLinkedQueue<MessageMeta> committed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (NewMessage m : messages) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    committed.add(store.write(ALICE, tx -> tx.append(inbox, m)));
                } catch (StoreException refusedBecauseClosed) {
                    // submitted after close began: refused, and so must not be stored
                } catch (Throwable t) {
                    unexpected.add(t);
                }
            }));
        }
        store.close();
        for (Thread t : threads) t.join();
        store = open(dir);

        assertThat(unexpected).isEmpty();
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.messages(inbox, UidSet.ALL)))
                .containsExactlyInAnyOrderElementsOf(committed);
    }

    // ---- search

    @Test
    void searchTextFindsCaseInsensitiveSubstringsOfHeadersAndBody() {
        MailboxId inbox = inbox(ALICE);
        MailboxId archive = box(ALICE, "Archive").id();
        NewMessage report = newMessage(store.blobs(), text("Quarterly Report", "The budget is attached."));
        NewMessage lunch = newMessage(store.blobs(), text("Lunch", "Grüße aus München, \"quoted\" x"));
        long r = store.write(ALICE, tx -> tx.append(inbox, report)).uid();
        long l = store.write(ALICE, tx -> tx.append(inbox, lunch)).uid();
        store.write(ALICE, tx -> tx.append(archive, newMessage(store.blobs(), text("Report elsewhere", "budget"))));

        record Case(String needle, List<Long> uids) {}
        for (Case c : List.of(
                new Case("REPORT", List.of(r)),
                new Case("budget IS att", List.of(r)),
                new Case("MÜNCHEN", List.of(l)),
                new Case("\"quoted\"", List.of(l)),
                new Case("subject: lu", List.of(l)),
                new Case("alice@example.org", List.of(r, l)),
                new Case("ü", List.of(l)),                  // shorter than a trigram: scanned
                new Case("LY", List.of(r)),
                new Case("zz", List.of()),
                new Case("not in any message", List.of()))) {
            assertThat(store.read(ALICE, (ReadTx tx) -> tx.searchText(inbox, c.needle()))).as(c.needle()).isEqualTo(c.uids());
        }
    }

    @Test
    void searchFindsCopiesAndForgetsExpungedMessages() {
        MailboxId inbox = inbox(ALICE);
        MailboxId archive = box(ALICE, "Archive").id();
        MessageMeta m = store.write(ALICE, tx -> tx.append(inbox, newMessage(store.blobs(), text("Needle", "hay"))));
        store.write(ALICE, tx -> tx.copy(inbox, UidSet.ALL, archive));
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.ALL));

        assertThat(store.read(ALICE, (ReadTx tx) -> tx.searchText(inbox, "needle"))).isEmpty();
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.searchText(archive, "needle"))).containsExactly(1L);
        store.write(ALICE, tx -> tx.expunge(archive, UidSet.ALL));
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.searchText(archive, "needle"))).isEmpty();
        assertThat(m.uid()).isEqualTo(1);
    }

    // ---- subscriptions to changes

    @Test
    void subscribersSeeEachCommittedChangeOfTheirAccountInOrder() throws InterruptedException {
        long start = highestModSeq(ALICE);
        BlockingQueue<Change> seen = new LinkedBlockingQueue<>();
        List<Boolean> visibleWhenSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Subscription _ = store.subscribe(ALICE, c -> {
            // after commit: a fresh read already sees the change
            visibleWhenSeen.add(store.read(ALICE, (ReadTx tx) -> tx.changesSince(c.modSeq() - 1)).contains(c));
            seen.add(c);
        })) {
            MailboxId inbox = inbox(ALICE);
            for (int i = 0; i < 5; i++) append(ALICE, inbox, "m" + i);
            store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(2, 4)));
            store.ensureAccount(BOB);
            append(BOB, inbox(BOB), "not for alice");

            List<Change> expected = changesSince(ALICE, start);
            List<Change> got = new ArrayList<>();
            while (got.size() < expected.size()) {
                Change c = seen.poll(5, TimeUnit.SECONDS);
                assertThat(c).as("change %d of %d", got.size() + 1, expected.size()).isNotNull();
                got.add(c);
            }
            assertThat(got).isEqualTo(expected);
            assertThat(seen.poll(100, TimeUnit.MILLISECONDS)).isNull();
            assertThat(visibleWhenSeen).hasSize(6).containsOnly(true);
        }
    }

    @Test
    void aSlowSubscriberDelaysNeitherWritersNorOtherSubscribers() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<Change> fast = new LinkedBlockingQueue<>();
        try (Subscription _ = store.subscribe(ALICE, c -> awaitQuietly(release));
             Subscription _ = store.subscribe(ALICE, fast::add)) {
            MailboxId inbox = inbox(ALICE);
            append(ALICE, inbox, "one");
            append(ALICE, inbox, "two");

            assertThat(fast.poll(5, TimeUnit.SECONDS)).isInstanceOf(Change.MessageAdded.class);
            assertThat(fast.poll(5, TimeUnit.SECONDS)).isInstanceOf(Change.MessageAdded.class);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aClosedSubscriptionGetsNothingMore() throws InterruptedException {
        BlockingQueue<Change> seen = new LinkedBlockingQueue<>();
        Subscription s = store.subscribe(ALICE, seen::add);
        append(ALICE, inbox(ALICE), "one");
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isNotNull();

        s.close();
        append(ALICE, inbox(ALICE), "two");

        assertThat(seen.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
