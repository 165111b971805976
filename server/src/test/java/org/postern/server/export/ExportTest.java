package org.postern.server.export;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.directory.Account;
import org.postern.server.store.AccountId;
import org.postern.server.store.BlobStore;
import org.postern.server.store.Flags;
import org.postern.server.store.MailboxName;
import org.postern.server.store.NewMessage;
import org.postern.server.store.sqlite.SqliteMailStore;
import org.postern.wire.mime.MessageParser;

/** Export against the real embedded store: messages appended as the delivery agent stores them. */
class ExportTest {
    private static final Instant FIRST = Instant.parse("2026-11-26T10:00:05Z"), SECOND = Instant.parse("2026-11-27T08:30:00Z");

    @TempDir
    Path dir;
    SqliteMailStore store;
    final Account alice = new Account(new AccountId(7), "alice@example.org");

    @BeforeEach
    void open() {
        store = SqliteMailStore.open(dir.resolve("data"));
        store.ensureAccount(alice.id());
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Stores {@code raw} (CRLF) with a server prefix naming {@code sender} as Return-Path, in {@code folder}. */
    private void deliver(MailboxName folder, String sender, String raw, Flags flags, Instant date) throws IOException {
        String prefix = (sender == null ? "" : "Return-Path: <" + sender + ">\r\n")
                + "Received: from client.example by mx.example.org; Thu, 26 Nov 2026 10:00:05 +0000\r\n";
        BlobStore.Stored blob = store.blobs().put(new ByteArrayInputStream(raw.getBytes(UTF_8)), Long.MAX_VALUE);
        NewMessage m = NewMessage.of(blob.ref(), prefix.getBytes(UTF_8), flags, date, MessageParser.parse(prefix + raw));
        store.write(alice.id(), tx -> tx.append(tx.mailbox(folder).orElseThrow().id(), m));
    }

    @Test
    void mboxHoldsEachMessageAfterItsOwnFromLineAndQuotingRoundTrips() throws IOException {
        String first = "Subject: one\r\n\r\nFrom the start of a line\r\n>From quoted once\r\n>>From twice\r\nend\r\n";
        String second = "Subject: two\r\n\r\nsecond body\r\n";
        deliver(MailboxName.INBOX, "bob@elsewhere.example", first, Flags.NONE, FIRST);
        deliver(MailboxName.INBOX, "", second, Flags.of(Flags.SEEN), SECOND);   // null reverse-path: <>

        Path file = dir.resolve("out/alice.mbox");
        Export.Result r = Export.toMbox(store, alice, MailboxName.INBOX, file);
        assertThat(r).isEqualTo(new Export.Result(2, file));

        String mbox = Files.readString(file, UTF_8);
        assertThat(mbox).doesNotContain("\r");
        assertThat(mbox).contains("\n>From the start of a line\n>>From quoted once\n>>>From twice\n");
        List<Mboxrd.Message> messages = Mboxrd.read(mbox);
        assertThat(messages).extracting(Mboxrd.Message::separator).containsExactly(
                "From bob@elsewhere.example Thu Nov 26 10:00:05 2026",
                "From MAILER-DAEMON Fri Nov 27 08:30:00 2026");
        String received = "Received: from client.example by mx.example.org; Thu, 26 Nov 2026 10:00:05 +0000\n";
        assertThat(messages.get(0).text()).isEqualTo("Return-Path: <bob@elsewhere.example>\n" + received
                + first.replace("\r\n", "\n"));
        assertThat(messages.get(1).text()).isEqualTo("Return-Path: <>\n" + received + second.replace("\r\n", "\n"));
    }

    @Test
    void aMessageWithoutReturnPathIsFromMailerDaemon() throws IOException {
        deliver(MailboxName.INBOX, null, "Subject: x\r\n\r\nbody\r\n", Flags.NONE, FIRST);
        Path file = dir.resolve("a.mbox");
        Export.toMbox(store, alice, MailboxName.INBOX, file);
        assertThat(Files.readString(file, UTF_8)).startsWith("From MAILER-DAEMON Thu Nov 26 10:00:05 2026\nReceived: ");
    }

    @Test
    void aMessageWhoseBodyVanishedMeanwhileIsSkipped() throws IOException {
        deliver(MailboxName.INBOX, "a@elsewhere.example", "Subject: kept\r\n\r\nx\r\n", Flags.NONE, FIRST);
        deliver(MailboxName.INBOX, "a@elsewhere.example", "Subject: gone\r\n\r\ny\r\n", Flags.NONE, FIRST);
        // what an expunge racing the export leaves: the row read in the list, the blob deleted after it
        var gone = store.read(alice.id(), tx -> tx.messages(tx.mailbox(MailboxName.INBOX).orElseThrow().id(),
                org.postern.server.store.UidSet.ALL)).getLast().body();
        store.blobs().delete(gone);
        Path file = dir.resolve("race.mbox");
        assertThat(Export.toMbox(store, alice, MailboxName.INBOX, file).messages()).isEqualTo(1);
        assertThat(Files.readString(file, UTF_8)).contains("Subject: kept").doesNotContain("Subject: gone");
        assertThat(Export.toMaildir(store, alice, MailboxName.INBOX, dir.resolve("md")).messages()).isEqualTo(1);
    }

    @Test
    void anEmptyFolderGivesAnEmptyMbox() throws IOException {
        Path file = dir.resolve("empty.mbox");
        assertThat(Export.toMbox(store, alice, MailboxName.of("Sent"), file).messages()).isZero();
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void maildirNamesCarryTheFlagsAndFilesHaveLfLineEnds() throws IOException {
        deliver(MailboxName.of("Archive"), "bob@elsewhere.example", "Subject: unread\r\n\r\nFrom here\r\n", Flags.NONE, FIRST);
        deliver(MailboxName.of("Archive"), "bob@elsewhere.example", "Subject: seen\r\n\r\nb\r\n",
                Flags.of(Flags.SEEN, Flags.ANSWERED), SECOND);
        deliver(MailboxName.of("Archive"), "bob@elsewhere.example", "Subject: all\r\n\r\nc\r\n",
                Flags.of(Flags.DRAFT, Flags.FLAGGED, Flags.DELETED), SECOND);
        deliver(MailboxName.INBOX, "bob@elsewhere.example", "Subject: other folder\r\n\r\nd\r\n", Flags.NONE, FIRST);

        Path maildir = dir.resolve("Maildir");
        assertThat(Export.toMaildir(store, alice, MailboxName.of("Archive"), maildir).messages()).isEqualTo(3);

        List<Path> fresh = list(maildir.resolve("new")), cur = list(maildir.resolve("cur"));
        assertThat(fresh).hasSize(1);
        assertThat(Files.readString(fresh.getFirst(), UTF_8)).endsWith("Subject: unread\n\nFrom here\n").doesNotContain("\r");
        assertThat(Files.getLastModifiedTime(fresh.getFirst()).toInstant()).isEqualTo(FIRST);
        assertThat(cur).extracting(p -> p.getFileName().toString().replaceAll("^.*:2,", ":2,"))
                .containsExactlyInAnyOrder(":2,RS", ":2,DFT");
        assertThat(list(maildir.resolve("tmp"))).isEmpty();
    }

    @Test
    void anUnknownFolderOrAnExistingFileIsRefusedWithASentence() throws IOException {
        assertThatThrownBy(() -> Export.toMbox(store, alice, MailboxName.of("Nope"), dir.resolve("x.mbox")))
                .isInstanceOf(ExportException.class)
                .hasMessage("alice@example.org has no folder Nope (its folders: Archive, Drafts, INBOX, Junk, Sent, Trash)");
        assertThat(dir.resolve("x.mbox")).doesNotExist();
        Path existing = Files.writeString(dir.resolve("existing.mbox"), "keep me");
        assertThatThrownBy(() -> Export.toMbox(store, alice, MailboxName.INBOX, existing))
                .isInstanceOf(ExportException.class)
                .hasMessage(existing + " exists already: remove it or choose another file name");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }

    private static List<Path> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }
}
