package org.postern.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.directory.Account;
import org.postern.server.directory.sqlite.SqliteDirectory;
import org.postern.server.store.BlobStore;
import org.postern.server.store.Flags;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxName;
import org.postern.server.store.NewMessage;
import org.postern.server.store.sqlite.SqliteMailStore;
import org.postern.wire.mime.MessageParser;

/** The account lifecycle and export commands on the real embedded store. */
class ExportCommandTest {
    @TempDir
    Path dir;
    CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir.resolve("data"), StoreOpener.DEFAULT);
        ok("", "domain", "add", "example.org");
        ok("pw\n", "user", "add", "alice@example.org");
    }

    private CliRunner.Result ok(String stdin, String... args) {
        CliRunner.Result r = cli.run(stdin, args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    private Account alice() {
        try (SqliteDirectory d = SqliteDirectory.open(cli.data)) {
            return d.account("alice@example.org").orElseThrow();
        }
    }

    private void deliver(String folder, String raw, Flags flags) throws Exception {
        String prefix = "Return-Path: <bob@elsewhere.example>\r\n";
        try (SqliteMailStore store = SqliteMailStore.open(cli.data)) {
            BlobStore.Stored blob = store.blobs().put(new ByteArrayInputStream(raw.getBytes(UTF_8)), Long.MAX_VALUE);
            NewMessage m = NewMessage.of(blob.ref(), prefix.getBytes(UTF_8), flags,
                    Instant.parse("2026-11-26T10:00:05Z"), MessageParser.parse(prefix + raw));
            store.write(alice().id(), tx -> tx.append(tx.mailbox(MailboxName.of(folder)).orElseThrow().id(), m));
        }
    }

    private List<String> mailboxes() {
        try (SqliteMailStore store = SqliteMailStore.open(cli.data)) {
            return store.read(alice().id(), tx -> tx.mailboxes().stream().map(Mailbox::name).map(MailboxName::value).toList());
        }
    }

    @Test
    void userAddCreatesTheDefaultFoldersAndUserRemoveDeletesThem() throws Exception {
        assertThat(mailboxes()).containsExactly("Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash");
        deliver("INBOX", "Subject: hi\r\n\r\nbody\r\n", Flags.NONE);
        Account before = alice();
        ok("", "user", "remove", "alice@example.org");
        try (SqliteMailStore store = SqliteMailStore.open(cli.data)) {
            List<Mailbox> left = store.read(before.id(), tx -> tx.mailboxes());
            assertThat(left).isEmpty();
        }
        assertThat(ok("", "user", "list").out()).isEmpty();
    }

    @Test
    void exportWritesTheInboxAsMboxByDefaultAndAnotherFolderOnRequest() throws Exception {
        deliver("INBOX", "Subject: one\r\n\r\nFrom me\r\n", Flags.NONE);
        deliver("INBOX", "Subject: two\r\n\r\ntwo\r\n", Flags.NONE);
        deliver("Sent", "Subject: sent\r\n\r\nsent\r\n", Flags.of(Flags.SEEN));
        Path mbox = dir.resolve("alice.mbox");
        assertThat(ok("", "export", "Alice@example.org", "--mbox", mbox.toString()).out())
                .isEqualTo("exported 2 messages from alice@example.org INBOX to " + mbox + "\n");
        String text = Files.readString(mbox, UTF_8);
        assertThat(text).startsWith("From bob@elsewhere.example Thu Nov 26 10:00:05 2026\nReturn-Path: <bob@elsewhere.example>\n")
                .contains("\n>From me\n").contains("Subject: two\n").doesNotContain("sent");

        Path maildir = dir.resolve("Maildir");
        assertThat(ok("", "export", "alice@example.org", "--folder", "Sent", "--maildir", maildir.toString()).out())
                .isEqualTo("exported 1 message from alice@example.org Sent to " + maildir + "\n");
        try (Stream<Path> cur = Files.list(maildir.resolve("cur"))) {
            assertThat(cur.map(p -> p.getFileName().toString())).singleElement().asString().endsWith(":2,S");
        }
    }

    @Test
    void exportRefusalsAreOneLine() {
        CliRunner.Result r = cli.run("", "export", "alice@example.org", "--folder", "Nope", "--mbox", dir.resolve("x").toString());
        assertThat(r.exit()).isEqualTo(Main.FAILED);
        assertThat(r.err()).isEqualTo("postern: alice@example.org has no folder Nope (its folders: Archive, Drafts, INBOX, "
                + "Junk, Sent, Trash)\n");
        r = cli.run("", "export", "alice@example.org", "--folder", "a//b", "--mbox", dir.resolve("x").toString());
        assertThat(r.err()).isEqualTo("postern: invalid folder name 'a//b': empty hierarchy level in mailbox name\n");
    }
}
