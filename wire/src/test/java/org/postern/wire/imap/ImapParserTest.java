package org.postern.wire.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.wire.Secret;
import org.postern.wire.imap.ImapCommand.*;
import org.postern.wire.imap.SequenceSet.Range;

/** Every command in the shapes real clients send (Thunderbird, Apple Mail, Outlook, mbsync, mutt). */
class ImapParserTest {
    record Case(String line, ImapCommand expected) {}

    private static void check(List<Case> cases) throws Exception {
        for (var c : cases) assertThat(ImapParser.parse(c.line())).as(c.line()).isEqualTo(c.expected());
    }

    private static SequenceSet seq(long a, long b) {
        return SequenceSet.of(false, new Range(a, b));
    }

    private static SequenceSet uids(Range... r) {
        return SequenceSet.of(true, r);
    }

    @Test
    void parsesCommandsWithoutArguments() throws Exception {
        check(List.of(
                new Case("a1 CAPABILITY", new Capability("a1")),
                new Case("a2 noop", new Noop("a2")),
                new Case("A003 LOGOUT", new Logout("A003")),
                new Case("3 STARTTLS", new StartTls("3")),
                new Case("x NAMESPACE", new Namespace("x")),
                new Case("x IDLE", new Idle("x")),
                new Case("x CHECK", new Check("x")),
                new Case("x CLOSE", new Close("x")),
                new Case("x UNSELECT", new Unselect("x")),
                new Case("x EXPUNGE", new Expunge("x")),
                new Case("x NOOP   ", new Noop("x")),   // trailing spaces (some Outlook versions)
                new Case("tag]1 NOOP", new Noop("tag]1")),   // RFC 9051 §9: "]" is an ASTRING-CHAR, allowed in tags
                new Case("a.b-c_d NOOP", new Noop("a.b-c_d"))));
    }

    @Test
    void parsesLoginAndAuthenticate() throws Exception {
        check(List.of(
                new Case("a LOGIN mjl@example.org secret", new Login("a", "mjl@example.org", Secret.of("secret"))),
                new Case("a LOGIN \"mjl\" \"pa ss\\\"w\\\\d\"", new Login("a", "mjl", Secret.of("pa ss\"w\\d"))),
                new Case("a login \"jösé@example.org\" x", new Login("a", "jösé@example.org", Secret.of("x"))),
                new Case("a AUTHENTICATE PLAIN", new Authenticate("a", "PLAIN", Optional.empty())),
                new Case("a authenticate plain AG1qbABzZWNyZXQ=",
                        new Authenticate("a", "PLAIN", Optional.of("AG1qbABzZWNyZXQ="))),
                new Case("a AUTHENTICATE PLAIN =", new Authenticate("a", "PLAIN", Optional.of("="))),   // RFC 4959 §7
                new Case("a AUTHENTICATE XOAUTH2 dXNlcj1tamwBYXV0aD1CZWFyZXIgeAEB",
                        new Authenticate("a", "XOAUTH2", Optional.of("dXNlcj1tamwBYXV0aD1CZWFyZXIgeAEB")))));
    }

    @Test
    void parsesIdAndEnable() throws Exception {
        check(List.of(
                new Case("a ID NIL", new Id("a", List.of())),
                new Case("a ID ()", new Id("a", List.of())),
                new Case("a ID (\"name\" \"Thunderbird\" \"version\" \"128.3.0\")", new Id("a", List.of(
                        new IdField("name", Optional.of("Thunderbird")), new IdField("version", Optional.of("128.3.0"))))),
                new Case("a ID (\"name\" \"iPhone Mail\" \"os\" NIL)", new Id("a", List.of(
                        new IdField("name", Optional.of("iPhone Mail")), new IdField("os", Optional.empty())))),
                new Case("a ENABLE QRESYNC", new Enable("a", List.of("QRESYNC"))),
                new Case("a enable condstore utf8=accept", new Enable("a", List.of("CONDSTORE", "UTF8=ACCEPT")))));
    }

    @Test
    void parsesSelectAndExamineWithCondstoreAndQresync() throws Exception {
        check(List.of(
                new Case("a SELECT INBOX", new Select("a", "INBOX", false, SelectOptions.NONE)),
                new Case("a select inbox", new Select("a", "INBOX", false, SelectOptions.NONE)),   // RFC 9051 §5.1
                new Case("a SELECT \"INBOX/Sent Items\"", new Select("a", "INBOX/Sent Items", false, SelectOptions.NONE)),
                new Case("a EXAMINE Archive", new Select("a", "Archive", true, SelectOptions.NONE)),
                new Case("a SELECT INBOX (CONDSTORE)",
                        new Select("a", "INBOX", false, new SelectOptions(true, Optional.empty()))),
                new Case("a SELECT INBOX (QRESYNC (67890007 20050715194045000))", new Select("a", "INBOX", false,
                        new SelectOptions(false, Optional.of(new Qresync(67890007, 20050715194045000L,
                                Optional.empty(), Optional.empty(), Optional.empty()))))),
                // RFC 7162 §3.2.5.2 example
                new Case("A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))",
                        new Select("A02", "INBOX", false, new SelectOptions(false, Optional.of(new Qresync(67890007,
                                20050715194045000L, Optional.of(uids(Range.of(41), new Range(43, 211), new Range(214, 541))),
                                Optional.empty(), Optional.empty()))))),
                new Case("B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 "
                        + "15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))",
                        new Select("B04", "INBOX", false, new SelectOptions(false, Optional.of(new Qresync(67890007,
                                90060115194045000L, Optional.of(uids(new Range(1, 29997))),
                                Optional.of(SequenceSet.of(false, Range.of(5000), Range.of(7500), Range.of(9000),
                                        new Range(9990, 9999))),
                                Optional.of(uids(Range.of(15000), Range.of(22500), Range.of(27000), Range.of(29970),
                                        Range.of(29973), Range.of(29976), Range.of(29979), Range.of(29982), Range.of(29985),
                                        Range.of(29988), Range.of(29991), Range.of(29994), Range.of(29997)))))))),
                // RFC 7162 §3.2.5: seq-match-data without known-uids
                new Case("a SELECT INBOX (QRESYNC (5 6 (1:3 10:12)))", new Select("a", "INBOX", false,
                        new SelectOptions(false, Optional.of(new Qresync(5, 6, Optional.empty(),
                                Optional.of(SequenceSet.of(false, new Range(1, 3))),
                                Optional.of(uids(new Range(10, 12)))))))),
                new Case("a EXAMINE INBOX (CONDSTORE QRESYNC (1 2))", new Select("a", "INBOX", true,
                        new SelectOptions(true, Optional.of(new Qresync(1, 2, Optional.empty(), Optional.empty(),
                                Optional.empty())))))));
    }

    @Test
    void parsesMailboxCommands() throws Exception {
        check(List.of(
                new Case("a CREATE 12345", new Create("a", "12345", List.of())),
                new Case("a CREATE \"my box\"", new Create("a", "my box", List.of())),
                new Case("a CREATE &ZeVnLIqe-", new Create("a", "&ZeVnLIqe-", List.of())),   // modified UTF-7 kept raw
                new Case("t1 CREATE Drafts (USE (\\Drafts))", new Create("t1", "Drafts", List.of("\\Drafts"))),
                new Case("t1 CREATE x (USE (\\Sent \\Archive))", new Create("t1", "x", List.of("\\Sent", "\\Archive"))),
                new Case("a DELETE foo", new Delete("a", "foo")),
                new Case("a RENAME \"old name\" new", new Rename("a", "old name", "new")),
                new Case("a SUBSCRIBE INBOX.Junk", new Subscribe("a", "INBOX.Junk")),
                new Case("a UNSUBSCRIBE \"\"", new Unsubscribe("a", "")),
                new Case("a LSUB \"\" *", new Lsub("a", "", "*")),
                new Case("a STATUS INBOX (MESSAGES UNSEEN)",
                        new Status("a", "INBOX", List.of(StatusItem.MESSAGES, StatusItem.UNSEEN))),
                new Case("a STATUS \"Sent\" (UIDNEXT UIDVALIDITY HIGHESTMODSEQ SIZE DELETED RECENT)",
                        new Status("a", "Sent", List.of(StatusItem.UIDNEXT, StatusItem.UIDVALIDITY,
                                StatusItem.HIGHESTMODSEQ, StatusItem.SIZE, StatusItem.DELETED, StatusItem.RECENT))),
                // RFC 9208 §5.1: the hyphenated item
                new Case("a STATUS INBOX (deleted-storage DELETED)",
                        new Status("a", "INBOX", List.of(StatusItem.DELETED_STORAGE, StatusItem.DELETED))),
                // RFC 7889 §3.2
                new Case("a STATUS INBOX (APPENDLIMIT messages)",
                        new Status("a", "INBOX", List.of(StatusItem.APPENDLIMIT, StatusItem.MESSAGES)))));
    }

    @Test
    void parsesListWithExtendedSelectionAndReturnOptions() throws Exception {
        check(List.of(
                new Case("a LIST \"\" \"*\"", new ImapCommand.List("a", List.of(), "", List.of("*"), List.of(), Optional.empty())),
                new Case("a LIST \"\" %", new ImapCommand.List("a", List.of(), "", List.of("%"), List.of(), Optional.empty())),
                new Case("a list \"\" INBOX.%", new ImapCommand.List("a", List.of(), "", List.of("INBOX.%"), List.of(), Optional.empty())),
                new Case("a LIST \"\" \"\"", new ImapCommand.List("a", List.of(), "", List.of(""), List.of(), Optional.empty())),
                // Thunderbird
                new Case("a LIST (SUBSCRIBED) \"\" \"*\" RETURN (CHILDREN SPECIAL-USE)", new ImapCommand.List("a",
                        List.of("SUBSCRIBED"), "", List.of("*"), List.of("CHILDREN", "SPECIAL-USE"), Optional.empty())),
                new Case("a LIST (SPECIAL-USE) \"\" \"*\"", new ImapCommand.List("a", List.of("SPECIAL-USE"), "",
                        List.of("*"), List.of(), Optional.empty())),
                // RFC 5258 §5: several patterns
                new Case("a LIST (subscribed recursivematch) \"\" (\"%\" \"Other Users/%\")", new ImapCommand.List("a",
                        List.of("SUBSCRIBED", "RECURSIVEMATCH"), "", List.of("%", "Other Users/%"), List.of(), Optional.empty())),
                // RFC 5819 LIST-STATUS (Apple Mail)
                new Case("a LIST \"\" \"*\" RETURN (SUBSCRIBED STATUS (MESSAGES UNSEEN))", new ImapCommand.List("a",
                        List.of(), "", List.of("*"), List.of("SUBSCRIBED"),
                        Optional.of(List.of(StatusItem.MESSAGES, StatusItem.UNSEEN)))),
                new Case("a LIST () \"\" * RETURN ()", new ImapCommand.List("a", List.of(), "", List.of("*"), List.of(),
                        Optional.empty()))));
    }

    @Test
    void parsesAppendUpToTheMessageLiteral() throws Exception {
        var date = OffsetDateTime.of(1994, 2, 7, 21, 52, 25, 0, ZoneOffset.ofHours(-8));
        check(List.of(
                new Case("A003 APPEND saved-messages (\\Seen) {310}",
                        new Append("A003", "saved-messages", List.of("\\Seen"), Optional.empty(), 310, true, false, false)),
                new Case("a APPEND Drafts {42+}", new Append("a", "Drafts", List.of(), Optional.empty(), 42, false, false, false)),
                new Case("a APPEND INBOX (\\Seen $Forwarded) \" 7-Feb-1994 21:52:25 -0800\" {1}",
                        new Append("a", "INBOX", List.of("\\Seen", "$Forwarded"), Optional.of(date), 1, true, false, false)),
                new Case("a APPEND INBOX \"07-Feb-1994 21:52:25 -0800\" {1}",
                        new Append("a", "INBOX", List.of(), Optional.of(date), 1, true, false, false)),
                new Case("a APPEND INBOX () {0}", new Append("a", "INBOX", List.of(), Optional.empty(), 0, true, false, false)),
                new Case("a APPEND INBOX ~{5}", new Append("a", "INBOX", List.of(), Optional.empty(), 5, true, true, false)),
                new Case("a APPEND INBOX UTF8 (~{5+}", new Append("a", "INBOX", List.of(), Optional.empty(), 5, false, true, true))));
    }

    @Test
    void parsesQuotaCommands() throws Exception {
        check(List.of(
                new Case("a GETQUOTA \"\"", new GetQuota("a", "")),
                new Case("a GETQUOTAROOT INBOX", new GetQuotaRoot("a", "INBOX")),
                new Case("a SETQUOTA \"\" (STORAGE 512)", new SetQuota("a", "", List.of(new QuotaLimit("STORAGE", 512)))),
                new Case("a SETQUOTA root (storage 512 MESSAGE 1000)", new SetQuota("a", "root",
                        List.of(new QuotaLimit("STORAGE", 512), new QuotaLimit("MESSAGE", 1000)))),
                new Case("a SETQUOTA \"\" ()", new SetQuota("a", "", List.of()))));
    }

    @Test
    void parsesStoreCopyMoveAndUidExpunge() throws Exception {
        check(List.of(
                new Case("a STORE 2:4 +FLAGS (\\Deleted)", new Store("a", false, seq(2, 4), OptionalLong.empty(),
                        StoreMode.ADD, false, List.of("\\Deleted"))),
                new Case("a UID STORE 100:* -FLAGS.SILENT (\\Seen $Junk)", new Store("a", true, uids(new Range(100, SequenceSet.STAR)),
                        OptionalLong.empty(), StoreMode.REMOVE, true, List.of("\\Seen", "$Junk"))),
                new Case("a STORE 1 FLAGS \\Seen \\Flagged", new Store("a", false, seq(1, 1), OptionalLong.empty(),
                        StoreMode.REPLACE, false, List.of("\\Seen", "\\Flagged"))),   // RFC 9051: flags without parentheses
                new Case("a STORE 1 flags ()", new Store("a", false, seq(1, 1), OptionalLong.empty(), StoreMode.REPLACE,
                        false, List.of())),
                // RFC 7162 §3.1.3 example
                new Case("d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)", new Store("d105", false,
                        SequenceSet.of(false, Range.of(7), Range.of(5), Range.of(9)), OptionalLong.of(320162338),
                        StoreMode.ADD, true, List.of("\\Deleted"))),
                new Case("a UID STORE 5 (UNCHANGEDSINCE 0) FLAGS (\\Seen)", new Store("a", true, uids(Range.of(5)),
                        OptionalLong.of(0), StoreMode.REPLACE, false, List.of("\\Seen"))),
                new Case("a COPY 2:4 MEETING", new Copy("a", false, seq(2, 4), "MEETING")),
                new Case("a UID COPY 1:3,7 \"Deleted Items\"", new Copy("a", true,
                        uids(new Range(1, 3), Range.of(7)), "Deleted Items")),
                new Case("a MOVE 1 Trash", new Move("a", false, seq(1, 1), "Trash")),
                new Case("a UID MOVE 42:44 INBOX", new Move("a", true, uids(new Range(42, 44)), "INBOX")),
                new Case("a uid move $ Archive", new Move("a", true, SequenceSet.saved(true), "Archive")),   // RFC 5182
                new Case("a UID EXPUNGE 3000:3002", new UidExpunge("a", uids(new Range(3000, 3002))))));
    }

    @Test
    void readsReversedRangesAsTheSameRange() throws Exception {
        // RFC 9051 §9 seq-range: "2:4" and "4:2" are equivalent
        assertThat(ImapParser.parse("a COPY 4:2 x")).isEqualTo(new Copy("a", false, seq(2, 4), "x"));
        assertThat(ImapParser.parse("a COPY *:3 x")).isEqualTo(new Copy("a", false, seq(3, SequenceSet.STAR), "x"));
        assertThat(new Range(5, SequenceSet.STAR).resolve(3)).containsExactly(3, 5);
        assertThat(new Range(SequenceSet.STAR, SequenceSet.STAR).resolve(9)).containsExactly(9, 9);
    }

    @Test
    void acceptsTheLargestThirtyTwoBitSequenceNumber() throws Exception {
        assertThat(ImapParser.parse("a UID COPY 4294967295 x"))
                .isEqualTo(new Copy("a", true, uids(Range.of(4294967295L)), "x"));
    }

    @Test
    void parsesSearchWithReturnOptionsAndCharset() throws Exception {
        var s = (Search) ImapParser.parse("a UID SEARCH RETURN (MIN MAX COUNT) CHARSET utf-8 UNSEEN");
        assertThat(s.uid()).isTrue();
        assertThat(s.returnOptions()).contains(Set.of(SearchReturn.MIN, SearchReturn.MAX, SearchReturn.COUNT));
        assertThat(s.charset()).contains("UTF-8");
        assertThat(s.key()).isEqualTo(new SearchKey.Flag("\\Seen", false));
        // RFC 4731 §3.1: RETURN () is RETURN (ALL)
        assertThat(((Search) ImapParser.parse("a SEARCH RETURN () ALL")).returnOptions()).contains(Set.of(SearchReturn.ALL));
        assertThat(((Search) ImapParser.parse("a SEARCH RETURN (SAVE) FLAGGED")).returnOptions())
                .contains(Set.of(SearchReturn.SAVE));
        assertThat(((Search) ImapParser.parse("a SEARCH ALL")).returnOptions()).isEmpty();
    }
}
