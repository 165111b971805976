package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.store.MessageMeta;

/**
 * SELECT, EXAMINE, FETCH (the items answered from metadata and stored structure), STORE, EXPUNGE, UID EXPUNGE,
 * COPY, MOVE, APPEND, CLOSE and UNSELECT over real sockets, checked against the store.
 */
class ImapMessageCommandsTest {
    static final String USER = ImapTestServer.USER, PASSWORD = ImapTestServer.PASSWORD;

    static String message(int n) {
        return "From: Alice <alice@test.example>\r\nTo: mjl@example.org\r\nSubject: message " + n
                + "\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\nMessage-ID: <m" + n + "@test.example>\r\n\r\nbody " + n + "\r\n";
    }

    static ImapTestServer withMessages(Path dir, int count) throws IOException {
        ImapTestServer server = ImapTestServer.start(dir);
        for (int i = 1; i <= count; i++) server.deliver(USER, message(i));
        return server;
    }

    @Test
    void selectReportsTheMailboxAndExamineIsReadOnly() throws IOException {
        try (ImapTestServer server = withMessages(dir, 3); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            long validity = server.store.read(server.account(USER), tx -> tx.mailbox(org.postern.server.store.MailboxName.INBOX))
                    .orElseThrow().uidValidity();
            List<String> r = c.command("SELECT INBOX");
            assertThat(r).containsExactly(
                    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                    "* 3 EXISTS",
                    "* 0 RECENT",
                    "* OK [UNSEEN 1] first unseen",
                    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] flags are permanent",
                    "* OK [UIDVALIDITY " + validity + "] UIDs valid",
                    "* OK [UIDNEXT 4] predicted next UID",
                    r.get(7),
                    "a2 OK [READ-WRITE] SELECT completed");
            assertThat(r.get(7)).matches("\\* OK \\[HIGHESTMODSEQ \\d+] highest modseq");
            List<String> e = c.command("EXAMINE INBOX");
            assertThat(e.getFirst()).isEqualTo("* OK [CLOSED] previous mailbox closed");
            assertThat(e).contains("* OK [PERMANENTFLAGS ()] no permanent flags: read-only");
            assertThat(e.getLast()).isEqualTo("a3 OK [READ-ONLY] EXAMINE completed");
            assertThat(c.tagged("STORE 1 +FLAGS (\\Seen)")).isEqualTo("a4 NO [READ-ONLY] the mailbox is read-only (EXAMINE)");
            assertThat(c.tagged("EXPUNGE")).isEqualTo("a5 NO [READ-ONLY] the mailbox is read-only (EXAMINE)");
            assertThat(c.tagged("SELECT Nope")).isEqualTo("a6 NO [NONEXISTENT] no such mailbox");
            assertThat(c.tagged("FETCH 1 FLAGS")).isEqualTo("a7 BAD select a mailbox first");   // a failed SELECT deselects
        }
    }

    @Test
    void imap4rev2SelectHasListButNoRecentOrUnseen() throws IOException {
        try (ImapTestServer server = withMessages(dir, 1); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("ENABLE IMAP4rev2");
            List<String> r = c.command("SELECT inbox");
            assertThat(r).contains("* LIST () \"/\" INBOX", "* 1 EXISTS").noneMatch(l -> l.contains("RECENT") || l.contains("UNSEEN"));
        }
    }

    @Test
    void fetchFlagsSizeDateUidEnvelopeAndStructureFromTheStore() throws IOException {
        try (ImapTestServer server = withMessages(dir, 2); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            MessageMeta m = server.messages(USER, "INBOX").get(1);
            List<String> r = c.command("FETCH 2 (UID FLAGS RFC822.SIZE ENVELOPE BODY)");
            assertThat(r.getFirst()).isEqualTo("* 2 FETCH (UID 2 FLAGS () RFC822.SIZE " + m.size()
                    + " ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800\" \"message 2\" ((\"Alice\" NIL \"alice\" \"test.example\"))"
                    + " ((\"Alice\" NIL \"alice\" \"test.example\")) ((\"Alice\" NIL \"alice\" \"test.example\"))"
                    + " ((NIL NIL \"mjl\" \"example.org\")) NIL NIL NIL \"<m2@test.example>\")"
                    + " BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 8 1))");
            assertThat(r.getLast()).isEqualTo("a3 OK FETCH completed");
            assertThat(c.command("UID FETCH 1:* (INTERNALDATE)")).satisfiesExactly(
                    l -> assertThat(l).matches("\\* 1 FETCH \\(UID 1 INTERNALDATE \"\\d\\d-[A-Z][a-z]{2}-\\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000\"\\)"),
                    l -> assertThat(l).startsWith("* 2 FETCH (UID 2 INTERNALDATE "),
                    l -> assertThat(l).isEqualTo("a4 OK UID FETCH completed"));
            assertThat(c.command("UID FETCH 7:9 FLAGS")).containsExactly("a5 OK UID FETCH completed");   // UIDs never fail
            assertThat(c.tagged("FETCH 3 FLAGS")).isEqualTo("a6 BAD no such message: the mailbox has 2");
            assertThat(c.tagged("FETCH 1:* FLAGS")).isEqualTo("a7 OK FETCH completed");
        }
    }

    /**
     * FETCH FLAGS writes a flag list it wrote before as kept bytes (per stored flag set, MessageCommands.flagLists):
     * every message still shows its own flags, the lists follow every change, and \Recent stays this session's.
     */
    @Test
    void fetchFlagsShowsEachMessagesOwnFlagsThroughChangesWhenListsRepeat() throws IOException {
        try (ImapTestServer server = withMessages(dir, 4); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient other = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            other.ok("SELECT INBOX");
            other.ok("STORE 1,3 FLAGS (\\Seen $Work)");
            other.ok("STORE 2 FLAGS (\\Seen)");
            for (int round = 0; round < 2; round++) {
                assertThat(other.command("FETCH 1:* FLAGS")).as("round %d", round).containsExactly(
                        "* 1 FETCH (FLAGS ($Work \\Seen))", "* 2 FETCH (FLAGS (\\Seen))", "* 3 FETCH (FLAGS ($Work \\Seen))",
                        "* 4 FETCH (FLAGS ())", "a" + (5 + round) + " OK FETCH completed");
            }
            other.ok("STORE 3 -FLAGS ($Work)");
            assertThat(other.command("FETCH 1:4 (FLAGS)")).startsWith("* 1 FETCH (FLAGS ($Work \\Seen))",
                    "* 2 FETCH (FLAGS (\\Seen))", "* 3 FETCH (FLAGS (\\Seen))", "* 4 FETCH (FLAGS ())");
            server.deliver(USER, message(5));
            c.ok("NOOP");   // c learns of message 5 first: \Recent in c only (IMAP4rev1)
            other.ok("NOOP");
            List<String> mine = c.command("FETCH 1:* FLAGS");
            assertThat(mine).containsSubsequence("* 1 FETCH (FLAGS ($Work \\Seen))", "* 2 FETCH (FLAGS (\\Seen))",
                    "* 3 FETCH (FLAGS (\\Seen))", "* 4 FETCH (FLAGS ())", "* 5 FETCH (FLAGS (\\Recent))");
            assertThat(other.command("FETCH 4:5 FLAGS")).startsWith("* 4 FETCH (FLAGS ())", "* 5 FETCH (FLAGS ())");
            assertThat(mine.getLast()).endsWith("OK FETCH completed");
        }
    }

    /** MessageCommands.MAX_FLAG_LISTS distinct flag lists are kept; one more empties the map, and FETCH goes on right. */
    @Test
    void fetchFlagsIsRightAtAndPastTheBoundOfKeptFlagLists() throws IOException {
        int max = MessageCommands.MAX_FLAG_LISTS;
        try (ImapTestServer server = withMessages(dir, max + 1);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            for (int i = 1; i <= max + 1; i++) c.ok("STORE " + i + " FLAGS.SILENT (k" + i + ")");
            for (String set : List.of("1:" + max, "1:" + (max + 1), "1:" + (max + 1))) {   // N, then N+1 twice
                List<String> lines = c.command("FETCH " + set + " FLAGS");
                int n = Integer.parseInt(set.substring(2));
                assertThat(lines).as(set).hasSize(n + 1);
                for (int i = 1; i <= n; i++) assertThat(lines.get(i - 1)).isEqualTo("* " + i + " FETCH (FLAGS (k" + i + "))");
                assertThat(lines.getLast()).endsWith("OK FETCH completed");
            }
        }
    }

    @Test
    void storeFlagsSilentlyAndNotAndUnchangedSince() throws IOException {
        try (ImapTestServer server = withMessages(dir, 3); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            assertThat(c.command("STORE 1:2 +FLAGS (\\Flagged $Work)")).containsExactly(
                    "* 1 FETCH (FLAGS ($Work \\Flagged))", "* 2 FETCH (FLAGS ($Work \\Flagged))", "a3 OK STORE completed");
            assertThat(c.command("STORE 1 -FLAGS.SILENT ($work)")).containsExactly("a4 OK STORE completed");
            assertThat(c.command("UID STORE 2 FLAGS (\\Seen \\Recent)")).containsExactly(
                    "* 2 FETCH (UID 2 FLAGS (\\Seen))", "a5 OK UID STORE completed");
            assertThat(server.messages(USER, "INBOX").stream().map(m -> m.flags().toString()).toList())
                    .containsExactly("\\Flagged", "\\Seen", "");
            long m3 = server.messages(USER, "INBOX").get(2).modSeq();
            List<String> r = c.command("STORE 1,3 (UNCHANGEDSINCE " + m3 + ") +FLAGS (\\Answered)");
            // message 1 was changed after message 3 got its modseq: it fails; 3 succeeds (CONDSTORE on: UID and
            // MODSEQ shown, RFC 7162 §3.2.4)
            assertThat(r.get(0)).matches("\\* 3 FETCH \\(UID 3 FLAGS \\(\\\\Answered\\) MODSEQ \\(\\d+\\)\\)");
            assertThat(r.get(1)).isEqualTo("a6 OK [MODIFIED 1] conditional STORE failed for some messages");
        }
    }

    @Test
    void expungeAndUidExpungeTellTheNumbersAsTheyShift() throws IOException {
        try (ImapTestServer server = withMessages(dir, 6); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            c.ok("STORE 2,3,5 +FLAGS.SILENT (\\Deleted)");
            assertThat(c.command("EXPUNGE")).containsExactly("* 2 EXPUNGE", "* 2 EXPUNGE", "* 3 EXPUNGE", "a4 OK EXPUNGE completed");
            c.ok("STORE 1:3 +FLAGS.SILENT (\\Deleted)");   // UIDs 1, 4, 6
            assertThat(c.command("UID EXPUNGE 4:6")).containsExactly("* 2 EXPUNGE", "* 2 EXPUNGE", "a6 OK UID EXPUNGE completed");
            assertThat(server.messages(USER, "INBOX").stream().map(MessageMeta::uid).toList()).containsExactly(1L);
        }
    }

    @Test
    void copyAndMoveReportCopyUidAndMoveExpungesTheSourceInOneGo() throws IOException {
        try (ImapTestServer server = withMessages(dir, 3); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            long archive = server.store.read(server.account(USER), tx -> tx.mailbox(org.postern.server.store.MailboxName.of("Archive")))
                    .orElseThrow().uidValidity();
            c.ok("SELECT INBOX");
            assertThat(c.tagged("COPY 1:2 Archive")).isEqualTo("a3 OK [COPYUID " + archive + " 1:2 1:2] COPY completed");
            assertThat(c.command("MOVE 2:3 Archive")).containsExactly(
                    "* OK [COPYUID " + archive + " 2:3 3:4] moved", "* 2 EXPUNGE", "* 2 EXPUNGE", "a4 OK MOVE completed");
            assertThat(c.tagged("UID MOVE 7 Archive")).isEqualTo("a5 OK UID MOVE completed: no messages");
            assertThat(c.tagged("COPY 1 Nope")).isEqualTo("a6 NO [TRYCREATE] no such mailbox");
            assertThat(server.messages(USER, "Archive")).hasSize(4);
            assertThat(server.messages(USER, "INBOX")).hasSize(1);
        }
    }

    @Test
    void aRepeatedEnvelopeFetchIsTheSameAndARecreatedMailboxNeverShowsAnOldEnvelope() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("CREATE Box");
            append(c, "Box", "From: me@example.org\r\nSubject: first life\r\n\r\nhello\r\n");
            c.ok("SELECT Box");
            List<String> once = c.command("FETCH 1 (ENVELOPE)"), again = c.command("FETCH 1 (ENVELOPE)");
            assertThat(once.getFirst()).contains("\"first life\"");
            assertThat(again.getFirst()).isEqualTo(once.getFirst());
            c.ok("UNSELECT");
            c.ok("DELETE Box");
            c.ok("CREATE Box");
            append(c, "Box", "From: me@example.org\r\nSubject: second life\r\n\r\nhello\r\n");
            c.ok("SELECT Box");
            assertThat(c.command("FETCH 1 (ENVELOPE)").getFirst()).as("UID 1 of the new mailbox").contains("\"second life\"")
                    .doesNotContain("first life");
        }
    }

    /**
     * Mail delivered over SMTP or APPENDed has its ENVELOPE rendered on arrival (EnvelopeCache, NewMail): there before
     * any FETCH, and byte for byte what rendering it at FETCH time gives.
     */
    @Test
    void aDeliveredOrAppendedMessagesEnvelopeIsRenderedOnArrivalAsFetchRendersIt() throws IOException {
        try (ImapTestServer server = withMessages(dir, 1); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            assertThat(server.imap.envelopes().size()).as("rendered at the SMTP delivery").isEqualTo(1);
            append(c, "INBOX", message(2));
            assertThat(server.imap.envelopes().size()).as("rendered at APPEND").isEqualTo(2);
            c.ok("SELECT INBOX");
            List<String> cached = c.command("FETCH 1:2 (ENVELOPE)");
            // with BODY, the envelope comes from the stored structure, rendered by this FETCH
            List<String> rendered = c.command("FETCH 1:2 (ENVELOPE BODY)");
            for (int i = 0; i < 2; i++) {
                String line = cached.get(i);
                assertThat(line).startsWith("* " + (i + 1) + " FETCH (ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800\" \"message " + (i + 1) + "\"");
                assertThat(rendered.get(i)).startsWith(line.substring(0, line.length() - 1) + " BODY (");
            }
        }
    }

    @Test
    void anEnvelopeKeptForOneUtf8ModeIsNeverSentToASessionInTheOther() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir);
             ImapClient rev1 = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient utf8 = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            byte[] msg = "From: me@example.org\r\nSubject: caf\u00e9 cr\u00e8me\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8);
            rev1.send("ap APPEND INBOX {" + msg.length + "+}\r\n").send(msg).send("\r\n");
            assertThat(rev1.line()).startsWith("ap OK [APPENDUID ");
            rev1.ok("SELECT INBOX");
            List<String> once = rev1.command("FETCH 1 (ENVELOPE)"), again = rev1.command("FETCH 1 (ENVELOPE)");
            // RFC 3501 §9: 8-bit in a quoted string is not allowed, so an IMAP4rev1 session gets a literal
            assertThat(once.getFirst()).contains("{12}\r\ncaf\u00e9 cr\u00e8me").doesNotContain("\"caf");
            assertThat(again.getFirst()).as("the second one comes from the cache").isEqualTo(once.getFirst());
            utf8.ok("ENABLE UTF8=ACCEPT");
            utf8.ok("SELECT INBOX");
            // RFC 6855 §3: once UTF8=ACCEPT is enabled, the same string may go quoted
            assertThat(utf8.command("FETCH 1 (ENVELOPE)").getFirst()).contains("\"caf\u00e9 cr\u00e8me\"");
            assertThat(utf8.command("FETCH 1 (ENVELOPE)").getFirst()).contains("\"caf\u00e9 cr\u00e8me\"");
            assertThat(rev1.command("FETCH 1 (ENVELOPE)").getFirst()).isEqualTo(once.getFirst());
        }
    }

    private static void append(ImapClient c, String box, String msg) throws IOException {
        c.send("ap APPEND " + box + " {" + msg.length() + "}\r\n");
        assertThat(c.line()).isEqualTo("+ Ready");
        c.send(msg + "\r\n");
        assertThat(c.line()).startsWith("ap OK [APPENDUID ");
    }

    @Test
    void appendStreamsTheLiteralAndReportsAppendUid() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            String msg = "From: me@example.org\r\nSubject: draft\r\n\r\nhello\r\n";
            c.send("t1 APPEND Drafts (\\Draft \\Seen) \" 7-Feb-1994 21:52:25 -0800\" {" + msg.length() + "}\r\n");
            assertThat(c.line()).isEqualTo("+ Ready");
            c.send(msg + "\r\n");
            long validity = server.store.read(server.account(USER), tx -> tx.mailbox(org.postern.server.store.MailboxName.of("Drafts")))
                    .orElseThrow().uidValidity();
            assertThat(c.line()).isEqualTo("t1 OK [APPENDUID " + validity + " 1] APPEND completed");
            MessageMeta m = server.messages(USER, "Drafts").getFirst();
            assertThat(m.flags().toString()).isEqualTo("\\Draft \\Seen");
            assertThat(m.size()).isEqualTo(msg.length());
            assertThat(m.internalDate()).isEqualTo(java.time.Instant.parse("1994-02-08T05:52:25Z"));
            // non-synchronizing (RFC 7888 LITERAL+): no "+ Ready"
            c.send("t2 APPEND INBOX {" + msg.length() + "+}\r\n" + msg + "\r\n");
            assertThat(c.line()).matches("t2 OK \\[APPENDUID \\d+ 1] APPEND completed");
            c.send("t3 APPEND Nope {" + msg.length() + "}\r\n");
            assertThat(c.line()).isEqualTo("t3 NO [TRYCREATE] no such mailbox");
            c.send("t4 APPEND Nope {" + msg.length() + "+}\r\n" + msg + "\r\n");
            assertThat(c.line()).isEqualTo("t4 NO [TRYCREATE] no such mailbox");
            c.send("t5 APPEND INBOX {" + msg.length() + "+}\r\n" + msg + " junk\r\n");
            assertThat(c.line()).isEqualTo("t5 BAD unexpected characters after the message");
            assertThat(server.messages(USER, "INBOX")).hasSize(1);
            assertThat(c.tagged("NOOP")).isEqualTo("a2 OK done");
        }
    }

    @Test
    void appendToTheSelectedMailboxAnnouncesExists() throws IOException {
        try (ImapTestServer server = withMessages(dir, 1); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            assertThat(c.command("APPEND INBOX {5+}\r\nab\r\n\r\n")).satisfiesExactly(
                    l -> assertThat(l).isEqualTo("* 2 EXISTS"),
                    l -> assertThat(l).isEqualTo("* 1 RECENT"),   // this session is the first to see it (RFC 3501 \\Recent)
                    l -> assertThat(l).matches("a3 OK \\[APPENDUID \\d+ 2] APPEND completed"));
        }
    }

    @Test
    void closeExpungesSilentlyAndUnselectDoesNot() throws IOException {
        try (ImapTestServer server = withMessages(dir, 3); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            c.ok("STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertThat(c.command("UNSELECT")).containsExactly("a4 OK UNSELECT completed");
            assertThat(server.messages(USER, "INBOX")).hasSize(3);
            c.ok("SELECT INBOX");
            assertThat(c.command("CLOSE")).containsExactly("a6 OK CLOSE completed");
            assertThat(server.messages(USER, "INBOX")).hasSize(2);
            assertThat(c.tagged("FETCH 1 FLAGS")).isEqualTo("a7 BAD select a mailbox first");
        }
    }

    @Test
    void searchOldStyleEsearchAndSavedResult() throws IOException {
        try (ImapTestServer server = withMessages(dir, 5); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            c.ok("STORE 2,4:5 +FLAGS.SILENT (\\Flagged)");
            assertThat(c.command("SEARCH FLAGGED")).containsExactly("* SEARCH 2 4 5", "a4 OK SEARCH completed");
            assertThat(c.command("SEARCH CHARSET KOI8-R FLAGGED"))
                    .containsExactly("a5 NO [BADCHARSET (UTF-8 US-ASCII)] unsupported charset");
            assertThat(c.command("UID SEARCH RETURN (MIN MAX COUNT ALL) FLAGGED"))
                    .containsExactly("* ESEARCH (TAG \"a6\") UID MIN 2 MAX 5 ALL 2,4:5 COUNT 3", "a6 OK UID SEARCH completed");
            assertThat(c.command("SEARCH RETURN (SAVE) UNFLAGGED")).containsExactly("a7 OK SEARCH completed");
            assertThat(c.command("FETCH $ (UID)")).containsExactly("* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)", "a8 OK FETCH completed");
            assertThat(c.command("SEARCH RETURN (COUNT) DELETED")).containsExactly("* ESEARCH (TAG \"a9\") COUNT 0", "a9 OK SEARCH completed");
            c.ok("ENABLE IMAP4rev2");
            assertThat(c.command("SEARCH FLAGGED")).containsExactly("* ESEARCH (TAG \"a11\") ALL 2,4:5", "a11 OK SEARCH completed");
        }
    }

    @TempDir
    Path dir;

    @Test
    void selectExamineCloseAndUnselectResetTheSavedSearchResult() throws IOException {
        try (ImapTestServer server = withMessages(dir, 2); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            // RFC 5182 §2.1: $ is empty again after each of them
            for (String reset : List.of("SELECT INBOX", "EXAMINE INBOX", "CLOSE", "UNSELECT")) {
                c.ok("SELECT INBOX");
                c.ok("SEARCH RETURN (SAVE) ALL");
                assertThat(c.ok("FETCH $ (UID)")).as(reset).hasSize(2);
                c.ok(reset);
                if (!reset.startsWith("SELECT") && !reset.startsWith("EXAMINE")) c.ok("SELECT INBOX");
                assertThat(c.ok("FETCH $ (UID)")).as(reset).isEmpty();
            }
        }
    }
}
