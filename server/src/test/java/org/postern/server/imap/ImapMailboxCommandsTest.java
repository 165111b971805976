package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxName;
import org.postern.server.store.SpecialUse;

/** CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, STATUS and the delimiter query over sockets, checked against the store. */
class ImapMailboxCommandsTest {
    static final String USER = ImapTestServer.USER, PASSWORD = ImapTestServer.PASSWORD;

    @TempDir
    Path dir;

    private static List<String> names(ImapTestServer server) {
        return server.store.read(server.account(USER), tx -> tx.mailboxes().stream().map(m -> m.name().value()).toList());
    }

    @Test
    void createWithSpecialUseAndParentsAndTheRefusals() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            assertThat(c.tagged("CREATE Work/2026/")).isEqualTo("a2 OK CREATE completed");
            assertThat(names(server)).contains("Work", "Work/2026");
            assertThat(c.tagged("CREATE Sent2 (USE (\\Sent))")).isEqualTo("a3 OK CREATE completed");
            Mailbox sent2 = server.store.read(server.account(USER), tx -> tx.mailbox(MailboxName.of("Sent2"))).orElseThrow();
            assertThat(sent2.specialUse()).containsExactly(SpecialUse.SENT);
            assertThat(c.tagged("CREATE X (USE (\\Bogus))")).isEqualTo("a4 NO [USEATTR] unknown special-use attribute");
            assertThat(c.tagged("CREATE work/2026")).isEqualTo("a5 OK CREATE completed");   // names are case-sensitive
            assertThat(c.tagged("CREATE Work/2026")).isEqualTo("a6 NO [ALREADYEXISTS] mailbox already exists");
            assertThat(c.tagged("CREATE inbox")).isEqualTo("a7 NO [ALREADYEXISTS] INBOX always exists");
        }
    }

    @Test
    void deleteRenameAndTheirRefusals() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 2);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("CREATE A/B");
            assertThat(c.tagged("DELETE INBOX")).isEqualTo("a3 NO [CANNOT] INBOX cannot be deleted");
            assertThat(c.tagged("DELETE Nope")).isEqualTo("a4 NO [NONEXISTENT] no such mailbox");
            assertThat(c.tagged("DELETE A")).isEqualTo("a5 OK DELETE completed");   // A/B stays; A lists as \Noselect
            assertThat(names(server)).contains("A/B").doesNotContain("A");
            assertThat(c.tagged("RENAME A/B Trash")).isEqualTo("a6 NO [ALREADYEXISTS] the new name is taken");
            assertThat(c.tagged("RENAME Nope X")).isEqualTo("a7 NO [NONEXISTENT] no such mailbox");
            assertThat(c.tagged("RENAME A/B C/D")).isEqualTo("a8 OK RENAME completed");
            assertThat(names(server)).contains("C/D").doesNotContain("A/B");
            assertThat(c.tagged("RENAME INBOX Old")).isEqualTo("a9 OK RENAME completed");   // RFC 9051 §6.3.6: moves the messages
            assertThat(server.messages(USER, "Old")).hasSize(2);
            assertThat(server.messages(USER, "INBOX")).isEmpty();
        }
    }

    @Test
    void deletingTheSelectedMailboxReturnsToTheAuthenticatedState() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT Junk");
            assertThat(c.command("DELETE Junk")).containsExactly("* OK [CLOSED] the selected mailbox was deleted", "a3 OK DELETE completed");
            assertThat(c.tagged("FETCH 1 FLAGS")).isEqualTo("a4 BAD select a mailbox first");
        }
    }

    @Test
    void subscribeAndUnsubscribe() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("CREATE Lists");
            assertThat(c.tagged("SUBSCRIBE Lists")).isEqualTo("a3 OK SUBSCRIBE completed");
            assertThat(server.store.read(server.account(USER), tx -> tx.mailbox(MailboxName.of("Lists"))).orElseThrow().subscribed()).isTrue();
            assertThat(c.tagged("UNSUBSCRIBE Lists")).isEqualTo("a4 OK UNSUBSCRIBE completed");
            assertThat(server.store.read(server.account(USER), tx -> tx.mailbox(MailboxName.of("Lists"))).orElseThrow().subscribed()).isFalse();
        }
    }

    @Test
    void statusAnswersEveryItemInTheOrderAsked() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 3);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            c.ok("STORE 1 +FLAGS.SILENT (\\Seen \\Deleted)");
            Mailbox inbox = server.store.read(server.account(USER), tx -> tx.mailbox(MailboxName.INBOX)).orElseThrow();
            long size = server.messages(USER, "INBOX").stream().mapToLong(m -> m.size()).sum();
            assertThat(c.command("STATUS INBOX (UIDNEXT MESSAGES UNSEEN DELETED SIZE RECENT UIDVALIDITY)")).containsExactly(
                    "* STATUS INBOX (UIDNEXT 4 MESSAGES 3 UNSEEN 2 DELETED 1 SIZE " + size + " RECENT 0 UIDVALIDITY "
                            + inbox.uidValidity() + ")",
                    "a4 OK STATUS completed");
            assertThat(c.tagged("STATUS Nope (MESSAGES)")).isEqualTo("a5 NO [NONEXISTENT] no such mailbox");
            // RFC 9208 §5.1 (QUOTA=RES-STORAGE): what an EXPUNGE would free, in KiB like STORAGE
            long deleted = server.messages(USER, "INBOX").getFirst().size();
            assertThat(c.command("STATUS INBOX (DELETED-STORAGE DELETED)")).containsExactly(
                    "* STATUS INBOX (DELETED-STORAGE " + Quota.kib(deleted) + " DELETED 1)", "a6 OK STATUS completed");
            assertThat(c.command("LIST \"\" INBOX RETURN (STATUS (DELETED-STORAGE))")).containsExactly(
                    "* LIST (\\HasNoChildren) \"/\" INBOX", "* STATUS INBOX (DELETED-STORAGE " + Quota.kib(deleted) + ")",
                    "a7 OK LIST completed");
            // RFC 7889 §3.2/§3.3: the limit the APPENDLIMIT= capability states, by STATUS and by LIST-STATUS
            long limit = ImapTestServer.settings().maxMessageSize();
            assertThat(c.command("STATUS INBOX (APPENDLIMIT MESSAGES)")).containsExactly(
                    "* STATUS INBOX (APPENDLIMIT " + limit + " MESSAGES 3)", "a8 OK STATUS completed");
            assertThat(c.command("LIST \"\" INBOX RETURN (STATUS (APPENDLIMIT))")).containsExactly(
                    "* LIST (\\HasNoChildren) \"/\" INBOX", "* STATUS INBOX (APPENDLIMIT " + limit + ")",
                    "a9 OK LIST completed");
            assertThat(c.command("CAPABILITY").getFirst()).contains(" APPENDLIMIT=" + limit + " ");
        }
    }

    @Test
    void listWithEmptyPatternGivesTheDelimiter() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            assertThat(c.command("LIST \"\" \"\"")).containsExactly("* LIST (\\Noselect) \"/\" \"\"", "a2 OK LIST completed");
        }
    }

    @Test
    void quotaIsReportedAndAppendAndCopyOverItAreRefused() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir)) {
            server.deliver(USER, "Subject: about 1.5 KiB\r\n\r\n" + "z".repeat(1200) + "\r\n");
            quota(server);
        }
    }

    @Test
    void smtpDeliveryToAFullMailboxGetsATemporaryMailboxFull() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir)) {
            server.deliver(USER, "Subject: first\r\n\r\n" + "z".repeat(1200) + "\r\n");
            server.directory.setQuota(USER, java.util.OptionalLong.of(1024));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.deliver(USER, "Subject: second\r\n\r\nx\r\n"))
                    .hasMessage("expected 250, got: 452 4.2.2 mailbox full");
            server.directory.setQuota(USER, java.util.OptionalLong.empty());
            server.deliver(USER, "Subject: third\r\n\r\nx\r\n");
            assertThat(server.messages(USER, "INBOX")).hasSize(2);
        }
    }

    private static void quota(ImapTestServer server) throws IOException {
        try (ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            assertThat(c.command("GETQUOTAROOT INBOX")).containsExactly("* QUOTAROOT INBOX", "a2 OK GETQUOTAROOT completed");
            assertThat(c.tagged("GETQUOTA \"\"")).isEqualTo("a3 NO [NONEXISTENT] no such quota root");
            long used = server.messages(USER, "INBOX").getFirst().size();
            long limit = 2 * 1024;   // one more copy of the message fits only if it is under 1 KiB, which it is not
            assertThat(used).isBetween(1025L, 2047L);
            server.directory.setQuota(USER, java.util.OptionalLong.of(limit));
            assertThat(c.command("GETQUOTAROOT INBOX")).containsExactly("* QUOTAROOT INBOX \"\"",
                    "* QUOTA \"\" (STORAGE 2 2)", "a4 OK GETQUOTAROOT completed");
            assertThat(c.command("GETQUOTA \"\"")).containsExactly("* QUOTA \"\" (STORAGE 2 2)", "a5 OK GETQUOTA completed");
            c.ok("SELECT INBOX");
            assertThat(c.tagged("COPY 1 Archive")).isEqualTo("a7 NO [OVERQUOTA] this would exceed your storage quota of 2 KiB");
            assertThat(c.tagged("MOVE 1 Archive")).isEqualTo("a8 OK MOVE completed");   // a MOVE adds nothing
            String big = "Subject: x\r\n\r\n" + "y".repeat(1100) + "\r\n";
            c.send("t1 APPEND INBOX {" + big.length() + "}\r\n");
            assertThat(c.line()).isEqualTo("t1 NO [OVERQUOTA] this would exceed your storage quota of 2 KiB");
            c.send("t2 APPEND INBOX {5}\r\n");
            assertThat(c.line()).isEqualTo("+ Ready");
            c.send("ab\r\n\r\n");
            assertThat(c.line()).isEqualTo("* 1 EXISTS");   // INBOX is selected
            assertThat(c.line()).isEqualTo("* 1 RECENT");
            assertThat(c.line()).matches("t2 OK \\[APPENDUID .*");
            assertThat(c.tagged("SETQUOTA \"\" (STORAGE 10)")).isEqualTo("a9 NO [NOPERM] quotas are set by the administrator");
        }
    }
}
