package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.store.MessageMeta;

/**
 * The session's paths through the shared parts over sockets: LIST/LSUB (MailboxLister) with LIST-STATUS and
 * SUBSCRIBED, mailbox names in modified UTF-7 and in UTF-8 (MailboxNames), body sections and \Seen
 * (FetchSections), and text SEARCH (SearchEngine).
 */
class ImapListAndBodyTest {
    static final String USER = ImapTestServer.USER, PASSWORD = ImapTestServer.PASSWORD;

    @TempDir
    Path dir;

    @Test
    void listShowsTheDefaultFoldersWithSpecialUseAndListStatusFollowsEachSelectableOne() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 2);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("CREATE Work/Reports");
            List<String> list = c.ok("LIST \"\" \"*\"");
            assertThat(list).contains("* LIST (\\HasNoChildren) \"/\" INBOX", "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                    "* LIST (\\HasChildren) \"/\" Work", "* LIST (\\HasNoChildren) \"/\" Work/Reports");
            assertThat(c.ok("LIST \"\" %")).noneMatch(l -> l.contains("Work/Reports"));
            List<String> status = c.ok("LIST \"\" INBOX RETURN (STATUS (MESSAGES UNSEEN))");
            assertThat(status).containsExactly("* LIST (\\HasNoChildren) \"/\" INBOX", "* STATUS INBOX (MESSAGES 2 UNSEEN 2)");
            assertThat(c.tagged("LIST (BOGUS) \"\" *")).isEqualTo("a6 BAD unknown LIST selection option BOGUS");
        }
    }

    @Test
    void subscriptionsShowInLsubAndListSubscribed() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("CREATE Lists");
            c.ok("SUBSCRIBE Lists");
            c.ok("SUBSCRIBE Gone");   // a subscription is a name; it need not exist
            assertThat(c.ok("LSUB \"\" L*")).containsExactly("* LSUB () \"/\" Lists");
            assertThat(c.ok("LIST (SUBSCRIBED) \"\" *"))
                    .anyMatch(l -> l.contains("\\Subscribed") && l.endsWith(" Lists"))
                    .anyMatch(l -> l.contains("\\Subscribed") && l.contains("\\NonExistent") && l.endsWith(" Gone"));
        }
    }

    @Test
    void namesAreModifiedUtf7ForImap4rev1AndUtf8AfterEnable() throws IOException {
        try (ImapTestServer server = ImapTestServer.start(dir); ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            assertThat(c.tagged("CREATE Entw&APw-rfe")).isEqualTo("a2 OK CREATE completed");
            java.util.Optional<org.postern.server.store.Mailbox> stored = server.store.read(server.account(USER),
                    tx -> tx.mailbox(org.postern.server.store.MailboxName.of("Entwürfe")));
            assertThat(stored).isPresent();
            assertThat(c.ok("LIST \"\" Entw*")).containsExactly("* LIST (\\HasNoChildren) \"/\" Entw&APw-rfe");
            assertThat(c.tagged("CREATE Bad&Name")).startsWith("a4 NO ");   // not valid modified UTF-7
            c.ok("ENABLE UTF8=ACCEPT");
            assertThat(c.ok("LIST \"\" Entw*")).containsExactly("* LIST (\\HasNoChildren) \"/\" \"Entwürfe\"");
            assertThat(c.ok("SELECT \"Entwürfe\"")).contains("* 0 EXISTS");
        }
    }

    @Test
    void bodyFetchSetsSeenAndSaysSoButPeekAndExamineDoNot() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 2);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            byte[] whole = server.store.openMessage(server.account(USER), server.messages(USER, "INBOX").getFirst().mailbox(), 1)
                    .orElseThrow().readAllBytes();
            c.ok("EXAMINE INBOX");
            List<String> examined = c.command("FETCH 1 BODY[TEXT]");
            assertThat(examined.getFirst()).isEqualTo("* 1 FETCH (BODY[TEXT] {8}\r\nbody 1\r\n)");
            c.ok("SELECT INBOX");
            assertThat(c.command("FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]").getFirst())
                    .isEqualTo("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {22}\r\nSubject: message 1\r\n\r\n)");
            assertThat(server.messages(USER, "INBOX").stream().map(m -> m.flags().toString())).containsOnly("");
            List<String> r = c.command("FETCH 1 (BODY[])");
            assertThat(r.getFirst()).isEqualTo("* 1 FETCH (BODY[] {" + whole.length + "}\r\n" + new String(whole, java.nio.charset.StandardCharsets.UTF_8)
                    + " FLAGS (\\Seen))");
            assertThat(server.messages(USER, "INBOX").stream().map(m -> m.flags().toString())).containsExactly("\\Seen", "");
            assertThat(c.command("FETCH 1 (BODY[]<0.4>)").getFirst()).isEqualTo("* 1 FETCH (BODY[]<0> {4}\r\nRetu)");   // no FLAGS: already \Seen
            assertThat(c.command("UID FETCH 2 (BINARY.SIZE[1] BINARY.PEEK[1])").getFirst())
                    .isEqualTo("* 2 FETCH (UID 2 BINARY.SIZE[1] 8 BINARY[1] {8}\r\nbody 2\r\n)");
        }
    }

    @Test
    void searchTextKeysGoThroughTheEngine() throws IOException {
        try (ImapTestServer server = ImapMessageCommandsTest.withMessages(dir, 3);
             ImapClient c = ImapClient.loggedIn(server.imapsPort(), USER, PASSWORD)) {
            c.ok("SELECT INBOX");
            assertThat(c.command("SEARCH SUBJECT \"message 2\"")).containsExactly("* SEARCH 2", "a3 OK SEARCH completed");
            assertThat(c.command("UID SEARCH BODY \"body 3\"")).containsExactly("* SEARCH 3", "a4 OK UID SEARCH completed");
            assertThat(c.command("SEARCH OR SUBJECT \"message 1\" FROM nobody@nowhere")).containsExactly("* SEARCH 1", "a5 OK SEARCH completed");
            MessageMeta m3 = server.messages(USER, "INBOX").getLast();
            c.ok("STORE 3 +FLAGS.SILENT (\\Flagged)");
            long after = server.messages(USER, "INBOX").getLast().modSeq();
            assertThat(m3.modSeq()).isLessThan(after);
            assertThat(c.command("SEARCH MODSEQ " + after)).containsExactly("* SEARCH 3 (MODSEQ " + after + ")", "a7 OK SEARCH completed");
        }
    }
}
