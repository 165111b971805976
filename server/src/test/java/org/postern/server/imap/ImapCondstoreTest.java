package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;

/**
 * CONDSTORE and QRESYNC (RFC 7162) over sockets: MODSEQ in FETCH, FETCH (CHANGEDSINCE), UID FETCH (CHANGEDSINCE
 * VANISHED), SELECT (CONDSTORE), SELECT (QRESYNC ...) with VANISHED (EARLIER) from the recorded expunges, and
 * HIGHESTMODSEQ in STATUS.
 */
class ImapCondstoreTest {
    static final String USER = ImapTestServer.USER, PASSWORD = ImapTestServer.PASSWORD;

    @TempDir
    Path dir;

    private static Mailbox inbox(ImapTestServer server) {
        return server.store.read(server.account(USER), tx -> tx.mailbox(MailboxName.INBOX)).orElseThrow();
    }

    @Test
    void fetchModSeqAndChangedSince() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 3);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            List<String> select = c.command("SELECT INBOX (CONDSTORE)");
            assertThat(select).contains("* OK [HIGHESTMODSEQ " + inbox(server).highestModSeq() + "] highest modseq");
            long before = inbox(server).highestModSeq();
            c.ok("STORE 2 +FLAGS.SILENT (\\Seen)");
            MessageMeta m2 = server.messages(USER, "INBOX").get(1);
            assertThat(c.command("FETCH 1:* (FLAGS) (CHANGEDSINCE " + before + ")"))
                    .containsExactly("* 2 FETCH (FLAGS (\\Seen) MODSEQ (" + m2.modSeq() + "))", "a4 OK FETCH completed");
            MessageMeta m1 = server.messages(USER, "INBOX").getFirst();
            assertThat(c.command("FETCH 1 (MODSEQ)")).containsExactly("* 1 FETCH (MODSEQ (" + m1.modSeq() + "))", "a5 OK FETCH completed");
            assertThat(c.command("STATUS INBOX (HIGHESTMODSEQ MESSAGES)"))
                    .containsExactly("* STATUS INBOX (HIGHESTMODSEQ " + inbox(server).highestModSeq() + " MESSAGES 3)", "a6 OK STATUS completed");
        }
    }

    @Test
    void qresyncSelectReportsExactlyTheExpungesAndFlagChangesSinceTheClientsModSeq() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 5)) {
            long validity = inbox(server).uidValidity();
            long known = inbox(server).highestModSeq();
            try (ImapClient other = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
                other.ok("SELECT INBOX");
                other.ok("STORE 2,4 +FLAGS.SILENT (\\Deleted)");
                other.ok("STORE 5 +FLAGS.SILENT (\\Flagged)");
                other.ok("EXPUNGE");
            }
            try (ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
                assertThat(c.tagged("SELECT INBOX (QRESYNC (" + validity + " " + known + "))"))
                        .isEqualTo("a2 BAD QRESYNC must be enabled first (ENABLE QRESYNC)");
                c.ok("ENABLE QRESYNC");
                MessageMeta m5 = server.messages(USER, "INBOX").getLast();
                List<String> r = c.command("SELECT INBOX (QRESYNC (" + validity + " " + known + " 1:5))");
                assertThat(r).containsSubsequence("* VANISHED (EARLIER) 2,4",
                        "* 3 FETCH (UID 5 FLAGS (\\Flagged) MODSEQ (" + m5.modSeq() + "))", "a4 OK [READ-WRITE] SELECT completed");
                // known UIDs limit the report (expunges and flag changes); a wrong UIDVALIDITY gets none
                List<String> limited = c.command("SELECT INBOX (QRESYNC (" + validity + " " + known + " 3:5))");
                assertThat(limited).contains("* VANISHED (EARLIER) 4").noneMatch(l -> l.contains("VANISHED (EARLIER) 2"));
                List<String> notFive = c.command("SELECT INBOX (QRESYNC (" + validity + " " + known + " 1:4))");
                assertThat(notFive).contains("* VANISHED (EARLIER) 2,4").noneMatch(l -> l.contains("FETCH"));
                List<String> stale = c.command("SELECT INBOX (QRESYNC (" + (validity + 1) + " " + known + "))");
                assertThat(stale).noneMatch(l -> l.contains("VANISHED") || l.contains("FETCH"));
                assertThat(c.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + known + " VANISHED)")).containsExactly(
                        "* VANISHED (EARLIER) 2,4",
                        "* 3 FETCH (UID 5 FLAGS (\\Flagged) MODSEQ (" + m5.modSeq() + "))",
                        "a8 OK UID FETCH completed");
            }
        }
    }

    @Test
    void vanishedEarlierReportsTheExpungesAfterTheClientsModSeqAndNoneFromBefore() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 6)) {
            long validity = inbox(server).uidValidity();
            long known;
            try (ImapClient other = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
                other.ok("ENABLE QRESYNC");
                other.ok("SELECT INBOX");
                // before the MODSEQ the client knows: UIDs 2 and 5; the client was told of these
                other.ok("UID STORE 2,5 +FLAGS.SILENT (\\Deleted)");
                String told = other.tagged("UID EXPUNGE 2,5");
                assertThat(told).matches("a5 OK \\[HIGHESTMODSEQ \\d+] UID EXPUNGE completed");
                known = Long.parseLong(told.replaceAll("^a5 OK \\[HIGHESTMODSEQ (\\d+)].*$", "$1"));
                assertThat(known).isEqualTo(inbox(server).highestModSeq());
                // after it: UIDs 1 and 4, one below and one between the earlier ones, so no UID range tells them apart
                other.ok("UID STORE 1,4 +FLAGS.SILENT (\\Deleted)");
                other.ok("UID EXPUNGE 1,4");
            }
            try (ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
                c.ok("ENABLE QRESYNC");
                // RFC 7162 §3.2.5.1: the expunges "since the state of the mailbox specified by the modification
                // sequence", not every expunge ever recorded; 3 and 6 are unchanged since known, so no FETCH
                List<String> select = c.command("SELECT INBOX (QRESYNC (" + validity + " " + known + "))");
                assertThat(select).filteredOn(l -> l.contains("VANISHED")).containsExactly("* VANISHED (EARLIER) 1,4");
                assertThat(select).noneMatch(l -> l.contains("FETCH"));
                assertThat(select.getLast()).isEqualTo("a3 OK [READ-WRITE] SELECT completed");
                // RFC 7162 §3.2.6: UID FETCH (CHANGEDSINCE ... VANISHED) alike
                assertThat(c.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + known + " VANISHED)"))
                        .containsExactly("* VANISHED (EARLIER) 1,4", "a4 OK UID FETCH completed");
                // one below the first expunge's MODSEQ, that expunge is after the client's state: both pairs
                List<String> earlier = c.command("SELECT INBOX (QRESYNC (" + validity + " " + (known - 1) + "))");
                assertThat(earlier).filteredOn(l -> l.contains("VANISHED")).containsExactly("* VANISHED (EARLIER) 1:2,4:5");
                assertThat(c.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + (known - 1) + " VANISHED)"))
                        .containsExactly("* VANISHED (EARLIER) 1:2,4:5", "a6 OK UID FETCH completed");
            }
        }
    }

    @Test
    void uidFetchVanishedReportsExpungesAboveTheHighestUidLeft() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 3);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient other = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("ENABLE QRESYNC");
            c.ok("SELECT INBOX");
            long known = inbox(server).highestModSeq();
            other.ok("SELECT INBOX");
            other.ok("STORE 3 +FLAGS.SILENT (\\Deleted)");
            other.ok("EXPUNGE");
            assertThat(c.command("NOOP")).containsExactly("* VANISHED 3", "a4 OK done");
            // RFC 7162 §3.2.6: 1:* reaches past UID 2, the highest left, to the expunged UID 3
            assertThat(c.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + known + " VANISHED)"))
                    .containsExactly("* VANISHED (EARLIER) 3", "a5 OK UID FETCH completed");
        }
    }

    @Test
    void aHeldBackExpungeLowersTheHighestModSeqTheClientIsTold() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 3);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient other = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX (CONDSTORE)");
            other.ok("SELECT INBOX");
            other.ok("STORE 2 +FLAGS.SILENT (\\Deleted)");
            other.ok("EXPUNGE");
            long expunged = inbox(server).highestModSeq();
            other.ok("STORE 1 +FLAGS.SILENT (\\Flagged)");
            // RFC 7162 §3.2: no EXPUNGE after FETCH by number, yet MODSEQs above the expunge's are sent: the
            // HIGHESTMODSEQ told is lower than the expunge's
            List<String> r = c.command("FETCH 1 (FLAGS)");
            assertThat(r.getLast()).isEqualTo("a3 OK FETCH completed");
            assertThat(r.get(r.size() - 2)).isEqualTo("* OK [HIGHESTMODSEQ " + (expunged - 1) + "] expunges pending");
            assertThat(c.command("NOOP")).containsExactly("* 2 EXPUNGE", "a4 OK done");
        }
    }

    @Test
    void onceCondstoreIsOnEveryFlagChangeFetchCarriesUidAndModSeq() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 3);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient other = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX (CONDSTORE)");
            other.ok("SELECT INBOX");
            // RFC 7162 §3.2.4: from a STORE, from a FETCH that sets \Seen, and from another session
            List<String> store = c.command("STORE 1 +FLAGS (\\Seen)");
            assertThat(store).containsExactly("* 1 FETCH (UID 1 FLAGS (\\Seen) MODSEQ (" + modSeq(server, 0) + "))",
                    "a3 OK STORE completed");
            List<String> fetch = c.command("FETCH 2 (BODY[HEADER.FIELDS (X-NONE)])");
            assertThat(fetch).containsExactly("* 2 FETCH (UID 2 BODY[HEADER.FIELDS (X-NONE)] {2}\r\n\r\n FLAGS (\\Seen) MODSEQ ("
                    + modSeq(server, 1) + "))", "a4 OK FETCH completed");
            other.ok("STORE 3 +FLAGS.SILENT (\\Answered)");
            assertThat(c.command("NOOP")).containsExactly(
                    "* 3 FETCH (UID 3 FLAGS (\\Answered) MODSEQ (" + modSeq(server, 2) + "))", "a5 OK done");
        }
    }

    @Test
    void withQresyncTheTaggedOkOfExpungeUidExpungeAndMoveCarriesTheNewHighestModSeq() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 3);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("CREATE Kept");
            c.ok("ENABLE QRESYNC");
            c.ok("SELECT INBOX");
            c.ok("STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertThat(c.tagged("EXPUNGE")).isEqualTo("a6 OK [HIGHESTMODSEQ " + inbox(server).highestModSeq() + "] EXPUNGE completed");
            c.ok("UID STORE 2 +FLAGS.SILENT (\\Deleted)");
            assertThat(c.tagged("UID EXPUNGE 2")).isEqualTo("a8 OK [HIGHESTMODSEQ " + inbox(server).highestModSeq() + "] UID EXPUNGE completed");
            assertThat(c.tagged("UID MOVE 3 Kept")).isEqualTo("a9 OK [HIGHESTMODSEQ " + inbox(server).highestModSeq() + "] UID MOVE completed");
        }
    }

    @Test
    void fetchingModSeqEnablesCondstore() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 2);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient other = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            other.ok("SELECT INBOX");
            other.ok("STORE 1 +FLAGS.SILENT (\\Flagged)");
            assertThat(c.command("NOOP")).containsExactly("* 1 FETCH (FLAGS (\\Flagged))", "a3 OK done");
            c.ok("FETCH 1 (MODSEQ)");
            other.ok("STORE 2 +FLAGS.SILENT (\\Answered)");
            assertThat(c.command("NOOP")).containsExactly(
                    "* 2 FETCH (UID 2 FLAGS (\\Answered) MODSEQ (" + modSeq(server, 1) + "))", "a5 OK done");
        }
    }

    private static long modSeq(ImapTestServer server, int index) {
        return server.messages(USER, "INBOX").get(index).modSeq();
    }
}
