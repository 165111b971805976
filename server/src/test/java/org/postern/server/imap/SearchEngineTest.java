package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.store.AccountId;
import org.postern.server.store.FlagUpdate;
import org.postern.server.store.Flags;
import org.postern.server.store.MailStore;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.NewMessage;
import org.postern.server.store.ReadTx;
import org.postern.server.store.StoreFixtures;
import org.postern.server.store.UidSet;
import org.postern.server.store.sqlite.SqliteMailStore;
import org.postern.server.store.sqlite.SqliteSearchHooks;
import org.postern.wire.imap.ImapCommand;
import org.postern.wire.imap.ImapLimits;
import org.postern.wire.imap.ImapParser;
import org.postern.wire.imap.SearchKey;
import org.postern.wire.imap.SearchKey.*;

/** SEARCH keys against a real SQLite store, written as IMAP so each row reads like the command a client sends. */
class SearchEngineTest {
    private static final AccountId ALICE = new AccountId(1);

    @TempDir
    Path dir;
    private MailStore store;
    private MailboxId inbox;
    private MailboxId archive;

    /** Four messages; the comments of the table below refer to them by UID. */
    private static final String M1 = "From: Alice =?UTF-8?Q?=C3=84rger?= <alice@example.org>\r\nTo: bob@example.org\r\n"
            + "Cc: carol@example.org\r\nSubject: Quarterly report\r\nDate: Mon, 1 Jan 2024 23:30:00 -0500\r\n\r\n"
            + "The budget is attached.\r\n";
    private static final String M2 = "From: bob@example.net\r\nTo: alice@example.org\r\nBcc: secret@example.com\r\n"
            + "Subject: =?UTF-8?Q?=C3=84RGER_im_B=C3=BCro?=\r\nDate: 2 Jan 2024 00:00:00 +1400\r\n\r\nnothing to see, x\r\n";
    private static final String M3 = "From: carol@example.com\r\nTo: dave@example.org\r\nSubject: lunch\r\n\r\n"
            + "ärger about lunch\r\n" + "y".repeat(3000) + "\r\n";
    private static final String M4 = "From: dave@example.org\r\nTo: alice@example.org\r\nSubject: Re: hi\r\n"
            + "Date: yesterday\r\nX-Spam: yes\r\n\r\nhi\r\n";

    @BeforeEach
    void deliver() {
        store = SqliteMailStore.open(dir);
        store.ensureAccount(ALICE);
        inbox = box("INBOX");
        archive = box("Archive");
        SqliteSearchHooks.pauseIndexing(store, true);
        append(inbox, M1, "2024-01-01T00:00:00Z", Flags.SEEN, Flags.ANSWERED);       // the first instant of 1 Jan
        append(inbox, M2, "2024-01-01T23:59:59.999Z", Flags.FLAGGED, "$Important");  // the last of 1 Jan
        append(inbox, M3, "2024-01-02T00:00:00Z", Flags.DELETED, Flags.DRAFT);
        append(inbox, M4, "2024-02-10T12:00:00Z", Flags.SEEN);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private MailboxId box(String name) {
        return store.read(ALICE, tx -> tx.mailbox(MailboxName.of(name))).orElseThrow().id();
    }

    private MessageMeta append(MailboxId box, String raw, String internalDate, String... flags) {
        NewMessage m = StoreFixtures.newMessage(store.blobs(), raw, Flags.of(flags));
        NewMessage dated = new NewMessage(m.body(), m.prefix(), m.size(), m.flags(), Instant.parse(internalDate),
                m.structure(), m.headerText(), m.bodyText());
        return store.write(ALICE, tx -> tx.append(box, dated));
    }

    private static SearchKey key(String keys) {
        try {
            return ((ImapCommand.Search) ImapParser.parse("t SEARCH " + keys)).key();
        } catch (IOException e) {
            throw new AssertionError(keys, e);
        }
    }

    /** Searches, and checks that no message was opened or re-parsed to answer (DESIGN.md: index, not scan). */
    private long[] search(MailboxId box, SearchKey key, SearchEngine.Context context) {
        Map<String, Integer> calls = new HashMap<>();
        long[] hits = store.read(ALICE, (ReadTx tx) -> SearchEngine.search(counting(tx, calls), box, key, context));
        assertThat(calls).doesNotContainKeys("content", "structure");
        return hits;
    }

    private static SearchEngine.Context view(long[] uids, long[] saved, Long... recent) {
        return new SearchEngine.Context(uids, saved, Set.of(recent));
    }

    private static long[] uids(long... uids) {
        return uids;
    }

    record Case(String keys, long... uids) {}

    /** Every key; view 1..4, messages 3 and 4 \Recent, $ = 1 and 3. */
    private static final List<Case> TABLE = List.of(
            new Case("ALL", 1, 2, 3, 4),
            // flags and keywords (RFC 9051 §2.3.2: case-insensitive)
            new Case("SEEN", 1, 4), new Case("UNSEEN", 2, 3),
            new Case("ANSWERED", 1), new Case("UNANSWERED", 2, 3, 4),
            new Case("FLAGGED", 2), new Case("UNFLAGGED", 1, 3, 4),
            new Case("DELETED", 3), new Case("UNDELETED", 1, 2, 4),
            new Case("DRAFT", 3), new Case("UNDRAFT", 1, 2, 4),
            new Case("KEYWORD $Important", 2), new Case("KEYWORD $IMPORTANT", 2),
            new Case("UNKEYWORD $Important", 1, 3, 4), new Case("KEYWORD $Junk"), new Case("UNKEYWORD $Junk", 1, 2, 3, 4),
            new Case("RECENT", 3, 4), new Case("OLD", 1, 2), new Case("NEW", 3),   // 4 is recent but seen
            // text: body, header + body, and one field's decoded value
            new Case("BODY budget", 1), new Case("BODY \"BUDGET IS\"", 1), new Case("BODY quarterly"),
            new Case("TEXT quarterly", 1), new Case("SUBJECT QUARTERLY", 1), new Case("SUBJECT budget"),
            new Case("BODY ärger", 3), new Case("BODY ÄRGER", 3),
            new Case("SUBJECT ärger", 2),                        // =?UTF-8?Q?=C3=84RGER...?= decoded
            new Case("SUBJECT \"ärger im büro\"", 2),
            new Case("TEXT ärger", 1, 2, 3),                     // From of 1, Subject of 2, body of 3
            new Case("FROM ärger", 1), new Case("FROM alice", 1), new Case("TO alice", 2, 4),
            new Case("CC carol", 1), new Case("FROM carol", 3), new Case("CC dave"),
            new Case("BCC secret", 2), new Case("TO secret"),
            new Case("FROM postern"), new Case("TEXT postern", 1, 2, 3, 4),   // only in the Received field
            new Case("SUBJECT \"\"", 1, 2, 3, 4), new Case("BODY \"\"", 1, 2, 3, 4),
            new Case("HEADER X-Spam yes", 4), new Case("HEADER x-spam \"\"", 4), new Case("HEADER X-Spam no"),
            new Case("HEADER Subject \"\"", 1, 2, 3, 4), new Case("HEADER Subject subject"),
            new Case("HEADER Nope \"\""), new Case("HEADER Date 2024", 1, 2), new Case("HEADER Received postern", 1, 2, 3, 4),
            // shorter than a trigram
            new Case("FROM Ä", 1), new Case("BODY x", 2), new Case("SUBJECT hi", 4), new Case("SUBJECT ÜR", 2),
            new Case("TO zq"),
            // INTERNALDATE, in UTC, without time
            new Case("ON 1-Jan-2024", 1, 2), new Case("BEFORE 2-Jan-2024", 1, 2), new Case("SINCE 2-Jan-2024", 3, 4),
            new Case("ON 2-Jan-2024", 3), new Case("BEFORE 1-Jan-2024"), new Case("SINCE 1-Jan-2024", 1, 2, 3, 4),
            new Case("SINCE 10-Feb-2024", 4), new Case("ON 11-Feb-2024"),
            // Date: as written (1 is 2 Jan in UTC, 2 is 1 Jan in UTC); 3 has none and 4 a bad one: INTERNALDATE
            new Case("SENTON 1-Jan-2024", 1), new Case("SENTON 2-Jan-2024", 2, 3), new Case("SENTBEFORE 2-Jan-2024", 1),
            new Case("SENTSINCE 2-Jan-2024", 2, 3, 4), new Case("SENTSINCE 3-Jan-2024", 4),
            new Case("NOT SENTON 2-Jan-2024", 1, 4), new Case("SENTON 10-Feb-2024", 4), new Case("SENTBEFORE 1-Jan-2024"),
            // sizes (3 has a 3000-byte body)
            new Case("LARGER 2000", 3), new Case("SMALLER 2000", 1, 2, 4), new Case("LARGER 99999"),
            // sequence numbers, *, $
            new Case("1", 1), new Case("2:3", 2, 3), new Case("*", 4), new Case("3:*", 3, 4), new Case("4:2", 2, 3, 4),
            new Case("5"), new Case("5:*", 4), new Case("1,3", 1, 3), new Case("$", 1, 3),
            // UIDs
            new Case("UID 2", 2), new Case("UID *", 4), new Case("UID 9:*", 4), new Case("UID 3:9", 3, 4),
            new Case("UID 9"), new Case("UID $", 1, 3), new Case("UID 1,4", 1, 4),
            // nesting
            new Case("OR SEEN FLAGGED", 1, 2, 4), new Case("NOT SEEN", 2, 3), new Case("NOT (SEEN FLAGGED)", 1, 2, 3, 4),
            new Case("OR (FROM alice SEEN) BODY ärger", 1, 3), new Case("SEEN UNSEEN"), new Case("NOT NOT SEEN", 1, 4),
            new Case("OR 1 UID 4", 1, 4), new Case("NOT 2:3", 1, 4), new Case("OR NOT SEEN DRAFT", 2, 3),
            new Case("SEEN SINCE 1-Feb-2024 TO alice", 4), new Case("NOT ALL"),
            // RFC 7162 §3.1.5: every message has a mod-sequence of at least 1
            new Case("MODSEQ 1", 1, 2, 3, 4), new Case("MODSEQ \"/flags/\\\\Seen\" all 1", 1, 2, 3, 4));

    @Test
    void everyKeyAnswersTheSameBeforeAndAfterIndexing() {
        SearchEngine.Context context = view(uids(1, 2, 3, 4), uids(1, 3), 3L, 4L);
        assertThat(SqliteSearchHooks.unindexed(store)).as("nothing indexed yet: text is scanned").isEqualTo(4);
        checkTable(context);
        SqliteSearchHooks.indexEverything(store);
        checkTable(context);
    }

    private void checkTable(SearchEngine.Context context) {
        for (Case c : TABLE) {
            assertThat(search(inbox, key(c.keys()), context)).as(c.keys()).containsExactly(c.uids());
        }
    }

    @Test
    void largerAndSmallerAreStrictAtTheExactSize() {
        long size = store.read(ALICE, tx -> tx.messages(inbox, UidSet.of(1))).getFirst().size();
        SearchEngine.Context context = view(uids(1), uids());
        assertThat(search(inbox, key("LARGER " + (size - 1)), context)).containsExactly(1);
        assertThat(search(inbox, key("LARGER " + size), context)).isEmpty();
        assertThat(search(inbox, key("SMALLER " + (size + 1)), context)).containsExactly(1);
        assertThat(search(inbox, key("SMALLER " + size), context)).isEmpty();
    }

    @Test
    void modSeqMatchesMessagesChangedAtOrAfterIt() {
        long m1 = append(archive, M1, "2024-01-01T00:00:00Z").modSeq();
        long m2 = append(archive, M2, "2024-01-01T00:00:00Z").modSeq();
        long m3 = append(archive, M3, "2024-01-01T00:00:00Z").modSeq();
        long changed = store.write(ALICE, tx -> tx.setFlags(archive, UidSet.of(1),
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN)), OptionalLong.empty())).getFirst().modSeq();
        assertThat(m1).isLessThan(m2);
        assertThat(m2).isLessThan(m3);
        assertThat(m3).isLessThan(changed);
        SearchEngine.Context context = view(uids(1, 2, 3), uids());

        assertThat(search(archive, key("MODSEQ " + m2), context)).containsExactly(1, 2, 3);
        assertThat(search(archive, key("MODSEQ " + m3), context)).containsExactly(1, 3);
        assertThat(search(archive, key("MODSEQ " + changed), context)).containsExactly(1);
        assertThat(search(archive, key("MODSEQ " + (changed + 1)), context)).isEmpty();
        // the entry is a hint this store has no per-flag mod-sequences for
        assertThat(search(archive, key("MODSEQ \"/flags/\\\\Draft\" priv " + m3), context)).containsExactly(1, 3);
    }

    @Test
    void onlyTheViewCountsAndExpungedMessagesMatchNothing() {
        for (int i = 1; i <= 5; i++) append(archive, "From: x@example.org\r\nSubject: m" + i + "\r\n\r\ncommon word\r\n", "2024-01-01T00:00:00Z");
        store.write(ALICE, tx -> tx.expunge(archive, UidSet.of(4)));     // announced: not in the view
        SearchEngine.Context context = view(uids(1, 2, 3, 5), uids(2, 3, 6), 3L, 5L, 6L);
        store.write(ALICE, tx -> tx.expunge(archive, UidSet.of(3)));     // not announced: message 3 of the view
        append(archive, "From: x@example.org\r\n\r\ncommon word\r\n", "2024-01-01T00:00:00Z");   // UID 6, not announced

        for (Case c : List.of(
                new Case("ALL", 1, 2, 5), new Case("4", 5), new Case("3"), new Case("*", 5), new Case("2:*", 2, 5),
                new Case("UID 4"), new Case("UID 3:4"), new Case("UID 5:*", 5), new Case("UID 6"), new Case("UID 6:*", 5),
                new Case("UID *", 5), new Case("BODY common", 1, 2, 5), new Case("BODY co", 1, 2, 5),
                new Case("UNSEEN", 1, 2, 5), new Case("NOT SEEN", 1, 2, 5), new Case("$", 2), new Case("UID $", 2),
                new Case("RECENT", 5), new Case("NOT RECENT", 1, 2), new Case("OLD", 1, 2), new Case("NEW", 5),
                new Case("SENTSINCE 1-Jan-1970", 1, 2, 5), new Case("HEADER From \"\"", 1, 2, 5),
                new Case("OR SUBJECT m3 SUBJECT m5", 5))) {
            assertThat(search(archive, key(c.keys()), context)).as(c.keys()).containsExactly(c.uids());
        }
        SearchEngine.Context empty = view(uids(), uids(1));
        for (String keys : List.of("ALL", "*", "1:*", "UID *", "UID 1:*", "NOT ALL", "BODY common", "$", "SEEN", "SENTON 1-Jan-2024")) {
            assertThat(search(archive, key(keys), empty)).as(keys).isEmpty();
        }
    }

    @Test
    void sequenceNumbersAreTheViewsNotTheUids() {
        SearchEngine.Context context = view(uids(2, 4), uids(4));   // messages 1 and 3 announced as expunged
        assertThat(search(inbox, key("1"), context)).containsExactly(2);
        assertThat(search(inbox, key("2:*"), context)).containsExactly(4);
        assertThat(search(inbox, key("UID 1:3"), context)).containsExactly(2);
        assertThat(search(inbox, key("ALL"), context)).containsExactly(2, 4);
        assertThat(search(inbox, key("BODY budget"), context)).as("1 is not in the view").isEmpty();
        assertThat(search(inbox, key("NOT $"), context)).containsExactly(2);
    }

    @Test
    void nestingUpToTheLimitIsEvaluatedAndDeeperTreesAreRefused() {
        int d = ImapLimits.MAX_SEARCH_DEPTH;
        SearchEngine.Context context = view(uids(1, 2, 3, 4), uids());
        // the deepest a client can send: several top-level keys, one of them nested to the parser's limit
        SearchKey deepest = key("ALL " + "NOT ".repeat(d - 1) + "SEEN");
        assertThat(search(inbox, deepest, context)).containsExactly(2, 3);   // an odd number of NOTs
        assertThat(search(inbox, key("(".repeat(d - 1) + "SEEN" + ")".repeat(d - 1)), context)).containsExactly(1, 4);

        assertThat(search(inbox, nots(SearchEngine.MAX_KEY_DEPTH), context)).containsExactly(1, 4);
        assertThatThrownBy(() -> search(inbox, nots(SearchEngine.MAX_KEY_DEPTH + 1), context))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper");
        assertThatThrownBy(() -> search(inbox, nots(100_000), context))       // no StackOverflowError
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A tree of exactly {@code depth} levels meaning SEEN: an even number of NOTs around SEEN (or (SEEN)). */
    private static SearchKey nots(int depth) {
        SearchKey k = new Flag(Flags.SEEN, true);
        int levels = 1;
        if ((depth - 1) % 2 != 0) {
            k = new And(List.of(k));
            levels++;
        }
        for (; levels < depth; levels++) k = new Not(k);
        return k;
    }

    @Test
    void sharedSubtreesAndRepeatedTextKeysAreEvaluatedOnce() {
        SearchKey k = new Text(TextField.BODY, "budget");
        for (int i = 1; i < SearchEngine.MAX_KEY_DEPTH; i++) k = new Or(k, k);   // 2^32 paths, 33 distinct keys
        Map<String, Integer> calls = new HashMap<>();
        SearchKey shared = k;
        long[] hits = store.read(ALICE, (ReadTx tx) -> SearchEngine.search(counting(tx, calls), inbox, shared,
                view(uids(1, 2, 3, 4), uids())));
        assertThat(hits).containsExactly(1);
        assertThat(calls).containsEntry("searchBodyText", 1);

        calls.clear();
        store.read(ALICE, (ReadTx tx) -> SearchEngine.search(counting(tx, calls), inbox,
                key("OR BODY budget (BODY budget NOT BODY budget)"), view(uids(1, 2, 3, 4), uids())));
        assertThat(calls).containsEntry("searchBodyText", 1);
    }

    @Test
    void metadataIsLoadedOncePerSearchAndOnlyWhenAKeyNeedsIt() {
        SearchEngine.Context context = view(uids(1, 2, 3, 4), uids());
        Map<String, Integer> calls = new HashMap<>();
        store.read(ALICE, (ReadTx tx) -> SearchEngine.search(counting(tx, calls), inbox,
                key("SEEN LARGER 10 BEFORE 1-Mar-2024 MODSEQ 1 OR UNDELETED NOT KEYWORD x SENTON 1-Jan-2024 SENTSINCE 1-Jan-2000"),
                context));
        assertThat(calls).containsEntry("messages", 1).containsEntry("firstHeaderValues", 1);

        calls.clear();
        long[] hits = store.read(ALICE, (ReadTx tx) -> SearchEngine.search(counting(tx, calls), inbox,
                key("BODY budget FROM alice"), context));
        assertThat(hits).containsExactly(1);
        assertThat(calls).doesNotContainKey("messages").containsEntry("searchBodyText", 1).containsEntry("searchHeaderField", 1);
    }

    /** {@code tx}, counting the calls of each method in {@code calls}. */
    private static ReadTx counting(ReadTx tx, Map<String, Integer> calls) {
        return (ReadTx) Proxy.newProxyInstance(ReadTx.class.getClassLoader(), new Class<?>[] {ReadTx.class},
                (proxy, method, args) -> {
                    calls.merge(method.getName(), 1, Integer::sum);
                    try {
                        return method.invoke(tx, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aViewOutOfUidOrderIsRefused() {
        assertThatThrownBy(() -> search(inbox, key("ALL"), view(uids(2, 1), uids())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> search(inbox, key("ALL"), view(uids(2, 2), uids())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSupportedCharsetsAreUtf8AndUsAscii() {
        assertThat(SearchEngine.CHARSETS).containsExactly("UTF-8", "US-ASCII");
    }

    @Test
    void sentDatesAreTheDateAsWrittenWithRfc5322sObsoleteForms() {
        record D(String value, LocalDate date) {}
        for (D d : Arrays.asList(
                new D("Mon, 1 Jan 2024 23:30:00 -0500", LocalDate.of(2024, 1, 1)),
                new D("2 Jan 2024 00:00:00 +1400", LocalDate.of(2024, 1, 2)),
                new D("Tue,  2 JAN 2024 10:00 GMT", LocalDate.of(2024, 1, 2)),
                new D("Mon 1 Jan 2024 12:00:00 +0000", LocalDate.of(2024, 1, 1)),       // obsolete: no comma
                new D("(sent) Fri (day), 29 Feb 2008 (leap) 08:00 +0100", LocalDate.of(2008, 2, 29)),
                new D("1 Jan 24 00:00 +0000", LocalDate.of(2024, 1, 1)),                // RFC 5322 §4.3: 00-49 = 20xx
                new D("1 Jan 49 00:00 +0000", LocalDate.of(2049, 1, 1)),
                new D("1 Jan 50 00:00 +0000", LocalDate.of(1950, 1, 1)),                // 50-99 = 19xx
                new D("1 Jan 124 00:00 +0000", LocalDate.of(2024, 1, 1)),               // 3 digits: + 1900
                new D("1 January 2024", LocalDate.of(2024, 1, 1)),
                new D("31 Feb 2024 00:00 +0000", null),
                new D("yesterday", null),
                new D("", null),
                new D("Mon, 1 Foo 2024", null),
                new D("1 Jan", null),
                new D("123 Jan 2024", null),
                new D("1 Jan 20245", null))) {
            OptionalLong day = SearchDates.sentDay(d.value());
            if (d.date() == null) assertThat(day).as(d.value()).isEmpty();
            else assertThat(day).as(d.value()).hasValue(d.date().toEpochDay());
        }
    }
}
