package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.pop3.Pop3Client;

/**
 * Several sessions on one account (RFC 9051 §7, §5.5): each hears of the others' changes (EXISTS, EXPUNGE or
 * VANISHED, FETCH FLAGS) at the points the RFC allows, never an EXPUNGE after FETCH, STORE or SEARCH by sequence
 * number; IDLE pushes them as they are committed, whether another IMAP session, an SMTP delivery or a POP3
 * deletion made them.
 */
class ImapNotificationTest {
    static final String USER = ImapTestServer.USER, PASSWORD = ImapTestServer.PASSWORD;

    @TempDir
    Path dir;

    @Test
    void anotherSessionsFlagsAndDeliveriesArriveAtTheNextCommandAndExpungesWaitForAnAllowedOne() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 3);
             ImapClient a = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient b = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            a.ok("SELECT INBOX");
            b.ok("SELECT INBOX");
            b.ok("STORE 1 +FLAGS.SILENT (\\Seen)");
            assertThat(a.command("NOOP")).containsExactly("* 1 FETCH (FLAGS (\\Seen))", "a3 OK done");
            server.deliver(USER, ImapMessageCommandsTest.message(4));
            assertThat(a.command("NOOP")).containsExactly("* 4 EXISTS", "* 1 RECENT", "a4 OK done");
            b.ok("NOOP");
            b.ok("STORE 2 +FLAGS.SILENT (\\Deleted)");
            b.ok("EXPUNGE");
            // RFC 9051 §7.5.1: not during FETCH by sequence number; message 2 keeps its number meanwhile
            assertThat(a.command("FETCH 1:* (UID)")).containsExactly("* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)",
                    "* 4 FETCH (UID 4)", "a5 NO [EXPUNGEISSUED] some of the requested messages were expunged meanwhile");
            assertThat(a.command("SEARCH ALL")).containsExactly("* SEARCH 1 3 4", "a6 OK SEARCH completed");
            // message 4 is \\Recent in this session only: it learnt of it first
            assertThat(a.command("STORE 4 +FLAGS (\\Flagged)")).containsExactly("* 4 FETCH (FLAGS (\\Flagged \\Recent))", "a7 OK STORE completed");
            assertThat(a.command("NOOP")).containsExactly("* 2 EXPUNGE", "a8 OK done");
            assertThat(a.command("FETCH 3 (UID)")).containsExactly("* 3 FETCH (UID 4)", "a9 OK FETCH completed");
            assertThat(b.command("NOOP")).containsExactly("* 3 FETCH (FLAGS (\\Flagged))", "a7 OK done");
        }
    }

    @Test
    void anotherSessionsOlderFlagChangeIsNotSentAfterTheSessionsOwnNewerOne() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 2);
             ImapClient a = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient b = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            a.ok("SELECT INBOX");
            b.ok("SELECT INBOX");
            b.ok("STORE 1 +FLAGS.SILENT (\\Flagged)");
            // a's STORE shows the flags after both changes; b's older one must not follow with only \Flagged
            assertThat(a.command("STORE 1 +FLAGS (\\Seen)"))
                    .containsExactly("* 1 FETCH (FLAGS (\\Flagged \\Seen))", "a3 OK STORE completed");
            b.ok("STORE 2 +FLAGS.SILENT (\\Answered)");
            assertThat(a.command("FETCH 2 (BODY[HEADER.FIELDS (X-NONE)])")).containsExactly(
                    "* 2 FETCH (BODY[HEADER.FIELDS (X-NONE)] {2}\r\n\r\n FLAGS (\\Answered \\Seen))", "a4 OK FETCH completed");
            assertThat(a.command("NOOP")).containsExactly("a5 OK done");
        }
    }

    @Test
    void aBadCommandAfterTheSelectedMailboxWasDeletedGetsOnlyTheBye() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 1);
             ImapClient a = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient b = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            b.ok("CREATE Doomed");
            a.ok("SELECT Doomed");
            b.ok("DELETE Doomed");
            a.send("a3 FETCH 5 (UID)\r\n");   // BAD: no message 5
            assertThat(a.line()).isEqualTo("* BYE the selected mailbox was deleted by another session, closing");
            assertThat(a.line()).isNull();
        }
    }

    @Test
    void uidFetchMayCarryTheExpungeAndAMessageAddedAndExpungedInBetweenIsNeverMentioned() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 2);
             ImapClient a = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient b = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            a.ok("SELECT INBOX");
            b.ok("SELECT INBOX");
            server.deliver(USER, ImapMessageCommandsTest.message(3));
            b.ok("NOOP");
            b.ok("STORE 1,3 +FLAGS.SILENT (\\Deleted)");
            b.ok("EXPUNGE");
            // UID 1 is gone: no FETCH for it, and the EXPUNGE may come with a UID FETCH; UID 3 was never announced
            assertThat(a.command("UID FETCH 1:* (FLAGS)"))
                    .containsExactly("* 2 FETCH (UID 2 FLAGS ())", "* 1 EXPUNGE", "a3 OK UID FETCH completed");
        }
    }

    @Test
    void idlePushesDeliveriesFlagChangesAndPop3DeletionsAsTheyHappen() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 2);
             ImapClient a = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient b = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            a.ok("SELECT INBOX");
            b.ok("SELECT INBOX");
            a.send("i1 IDLE\r\n");
            assertThat(a.line()).isEqualTo("+ idling");
            server.deliver(USER, ImapMessageCommandsTest.message(3));
            assertThat(a.line()).isEqualTo("* 3 EXISTS");
            assertThat(a.line()).isEqualTo("* 1 RECENT");
            b.ok("STORE 2 +FLAGS.SILENT (\\Answered)");
            assertThat(a.line()).isEqualTo("* 2 FETCH (FLAGS (\\Answered))");
            try (Pop3Client pop = new Pop3Client(server.pop3Plain.port())) {
                pop.greeting();
                pop.expect("USER " + USER, "+OK");
                pop.expect("PASS " + PASSWORD, "+OK");
                pop.expect("DELE 1", "+OK");
                pop.expect("QUIT", "+OK");
            }
            assertThat(a.line()).isEqualTo("* 1 EXPUNGE");
            a.send("DONE\r\n");
            assertThat(a.line()).isEqualTo("i1 OK IDLE terminated");
            assertThat(a.command("FETCH 1:* (UID)")).containsExactly("* 1 FETCH (UID 2)", "* 2 FETCH (UID 3)", "a3 OK FETCH completed");
        }
    }

    @Test
    void anExpungeHeldBackByAFetchIsToldWhenIdleStarts() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 2);
             ImapClient a = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient b = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            a.ok("SELECT INBOX");
            b.ok("SELECT INBOX");
            b.ok("STORE 1 +FLAGS.SILENT (\\Deleted)");
            b.ok("EXPUNGE");
            assertThat(a.command("FETCH 2 (UID)")).containsExactly("* 2 FETCH (UID 2)", "a3 OK FETCH completed");
            a.send("i1 IDLE\r\n");
            assertThat(a.line()).isEqualTo("+ idling");
            assertThat(a.line()).isEqualTo("* 1 EXPUNGE");
            a.send("DONE\r\n");
            assertThat(a.line()).isEqualTo("i1 OK IDLE terminated");
        }
    }

    @Test
    void recentBelongsToTheFirstSessionThatLearnsOfAMessage() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 1);
             ImapClient a = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient b = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            assertThat(a.ok("SELECT INBOX")).contains("* 0 RECENT");   // mail from before the first look is not new
            b.ok("SELECT INBOX");
            server.deliver(USER, ImapMessageCommandsTest.message(2));
            assertThat(b.command("NOOP")).containsExactly("* 2 EXISTS", "* 1 RECENT", "a3 OK done");
            assertThat(a.command("NOOP")).containsExactly("* 2 EXISTS", "* 0 RECENT", "a3 OK done");
            assertThat(b.command("SEARCH RECENT")).containsExactly("* SEARCH 2", "a4 OK SEARCH completed");
            assertThat(a.command("SEARCH RECENT")).containsExactly("* SEARCH", "a4 OK SEARCH completed");
            assertThat(b.command("FETCH 2 FLAGS")).containsExactly("* 2 FETCH (FLAGS (\\Recent))", "a5 OK FETCH completed");
            server.deliver(USER, ImapMessageCommandsTest.message(3));
            try (ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
                assertThat(c.command("STATUS INBOX (RECENT MESSAGES)"))
                        .containsExactly("* STATUS INBOX (RECENT 1 MESSAGES 3)", "a2 OK STATUS completed");
                assertThat(c.ok("EXAMINE INBOX")).contains("* 1 RECENT");   // EXAMINE does not take it
                assertThat(c.ok("SELECT INBOX")).contains("* 1 RECENT");    // SELECT does
            }
            assertThat(b.command("NOOP")).containsExactly("* 3 EXISTS", "* 1 RECENT", "a6 OK done");
        }
    }

    @Test
    void idleWithoutDoneEndsBad() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient a = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            a.send("i1 IDLE\r\n");
            assertThat(a.line()).isEqualTo("+ idling");   // IDLE in the authenticated state is allowed too
            a.send("NOPE\r\n");
            assertThat(a.line()).isEqualTo("i1 BAD expected DONE to end IDLE");
        }
    }

    @Test
    void threeSessionsOneWithQresyncGetsVanishedAndTheOthersExpunge() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 4);
             ImapClient a = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient b = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient q = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            a.ok("SELECT INBOX");
            b.ok("SELECT INBOX");
            q.ok("ENABLE QRESYNC");
            q.ok("SELECT INBOX");
            a.ok("STORE 2:3 +FLAGS.SILENT (\\Deleted)");
            assertThat(a.command("EXPUNGE")).containsExactly("* 2 EXPUNGE", "* 2 EXPUNGE", "a4 OK EXPUNGE completed");
            // flag changes of messages expunged in the same batch are not worth a FETCH
            assertThat(b.command("NOOP")).containsExactly("* 2 EXPUNGE", "* 2 EXPUNGE", "a3 OK done");
            assertThat(q.command("NOOP")).satisfiesExactly(
                    l -> assertThat(l).isEqualTo("* VANISHED 2:3"),
                    l -> assertThat(l).isEqualTo("a4 OK done"));
        }
    }

    @Test
    void theSelectedMailboxDeletedByAnotherSessionEndsTheSessionWithBye() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir);
             ImapClient a = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD);
             ImapClient b = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            a.ok("SELECT Junk");
            b.ok("DELETE Junk");
            a.send("a3 NOOP\r\n");
            assertThat(a.line()).isEqualTo("* BYE the selected mailbox was deleted by another session, closing");
            assertThat(a.closed()).isTrue();
        }
    }
}
