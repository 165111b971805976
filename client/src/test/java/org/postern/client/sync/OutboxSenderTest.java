package org.postern.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.imap.ImapClient;
import org.postern.client.message.MessageBuilder;
import org.postern.client.store.LocalStore;
import org.postern.client.store.LocalStore.OutboxEntry;
import org.postern.client.testing.TestPostern;

/**
 * The outbox protocol of decision 0005 against a real server: a crash at each step is simulated by putting an
 * entry in the state the crash would have left, then running the sender.
 */
class OutboxSenderTest {
    private static final String BOB = "bob@example.org";

    private static OutboxEntry queue(LocalStore store, Path dir, String subject) throws IOException {
        MessageBuilder.Draft draft = new MessageBuilder.Draft(TestPostern.USER, List.of(BOB), List.of(), List.of(),
                subject, "Hello Bob.", List.of(), Optional.empty(), Optional.empty(), List.of());
        Path file = dir.resolve(subject + ".eml");
        String id = MessageBuilder.write(draft, ZonedDateTime.now(), file);
        return store.queue(file, id, TestPostern.USER, List.of(BOB));
    }

    private static OutboxSender.Report send(TestPostern postern, LocalStore store) throws IOException {
        return new OutboxSender(SyncFixtures.submission(postern), store, Clock.systemUTC())
                .send(SyncFixtures.imap(postern), SyncProgress.NONE);
    }

    private static void appendToSent(TestPostern postern, Path file) throws IOException {
        try (ImapClient c = ImapClient.connect(postern.imap(), TestPostern.TIMEOUT)) {
            c.login(TestPostern.USER, TestPostern.PASSWORD.toCharArray(), false);
            c.append("Sent", Set.of("\\Seen"), Optional.empty(), file);
        }
    }

    @Test
    void aQueuedMessageIsSentOnceFiledInSentAndKeptInTheLocalSentWithItsUid(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.addUser(BOB, "bob password");
            new ImapSync(SyncFixtures.imap(postern), store, Optional.empty()).sync(SyncProgress.NONE);
            OutboxEntry e = queue(store, dir, "hello");

            OutboxSender.Report r = send(postern, store);
            OutboxSender.Report again = send(postern, store);

            assertThat(r.sent()).isEqualTo(1);
            assertThat(r.filed()).isEqualTo(1);
            assertThat(again.sent()).isZero();
            assertThat(postern.messages(BOB, "INBOX")).hasSize(1);
            assertThat(postern.messages(TestPostern.USER, "Sent")).hasSize(1);
            assertThat(store.outbox()).isEmpty();
            long uid = postern.messages(TestPostern.USER, "Sent").get(0).uid();
            assertThat(store.byUid("Sent", uid)).hasValueSatisfying(m -> assertThat(m.messageId()).hasValue(e.messageIdHeader()));
            SyncReport sync = new ImapSync(SyncFixtures.imap(postern), store, Optional.empty()).sync(SyncProgress.NONE);
            assertThat(sync.downloaded()).as("the Sent copy is not downloaded again").isZero();
            SyncFixtures.assertMirrors(store, postern, "Sent");
        }
    }

    @Test
    void aSendingEntryWhoseMessageIsAlreadyInSentIsNotSentAgain(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.addUser(BOB, "bob password");
            OutboxEntry e = queue(store, dir, "crashed-after-filing");
            store.outboxState(e.id(), OutboxEntry.State.SENDING, Optional.empty());
            appendToSent(postern, e.file());

            OutboxSender.Report r = send(postern, store);

            assertThat(r.sent()).isZero();
            assertThat(postern.messages(BOB, "INBOX")).as("not resent").isEmpty();
            assertThat(postern.messages(TestPostern.USER, "Sent")).hasSize(1);
            assertThat(store.outbox()).isEmpty();
        }
    }

    @Test
    void aSendingEntryNotInSentIsSentAgainAndFiled(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.addUser(BOB, "bob password");
            OutboxEntry e = queue(store, dir, "crashed-during-smtp");
            store.outboxState(e.id(), OutboxEntry.State.SENDING, Optional.empty());

            OutboxSender.Report r = send(postern, store);

            assertThat(r.sent()).isEqualTo(1);
            assertThat(postern.messages(BOB, "INBOX")).hasSize(1);
            assertThat(postern.messages(TestPostern.USER, "Sent")).hasSize(1);
            assertThat(store.outbox()).isEmpty();
        }
    }

    @Test
    void aSentEntryIsNeverSentAgainOnlyFiledOnce(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.addUser(BOB, "bob password");
            OutboxEntry e = queue(store, dir, "crashed-before-filing");
            store.outboxState(e.id(), OutboxEntry.State.SENDING, Optional.empty());
            store.outboxState(e.id(), OutboxEntry.State.SENT, Optional.empty());

            // the submission password is never asked for: nothing is submitted, only filed
            ServerLogin noSubmission = new ServerLogin(postern.submission(), TestPostern.USER, () -> {
                throw new AssertionError("a SENT entry needs no submission");
            }, false);
            OutboxSender filer = new OutboxSender(noSubmission, store, Clock.systemUTC());
            OutboxSender.Report r = filer.send(SyncFixtures.imap(postern), SyncProgress.NONE);
            filer.send(SyncFixtures.imap(postern), SyncProgress.NONE);

            assertThat(r.sent()).isZero();
            assertThat(r.filed()).isEqualTo(1);
            assertThat(postern.messages(BOB, "INBOX")).as("never resent").isEmpty();
            assertThat(postern.messages(TestPostern.USER, "Sent")).as("appended once").hasSize(1);
            assertThat(store.outbox()).isEmpty();
        }
    }

    @Test
    void aSentEntryAlreadyInSentIsFiledWithoutASecondCopy(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            OutboxEntry e = queue(store, dir, "filed-before-the-crash");
            store.outboxState(e.id(), OutboxEntry.State.SENDING, Optional.empty());
            store.outboxState(e.id(), OutboxEntry.State.SENT, Optional.empty());
            appendToSent(postern, e.file());

            send(postern, store);

            assertThat(postern.messages(TestPostern.USER, "Sent")).hasSize(1);
            assertThat(store.outbox()).isEmpty();
        }
    }

    @Test
    void aRefusedMessageStaysQueuedWithTheServersAnswer(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            // nobody@example.org does not exist: the submission server refuses the recipient (550 at RCPT)
            MessageBuilder.Draft draft = new MessageBuilder.Draft(TestPostern.USER, List.of("nobody@example.org"), List.of(),
                    List.of(), "lost", "Hello?", List.of(), Optional.empty(), Optional.empty(), List.of());
            Path file = dir.resolve("lost.eml");
            String id = MessageBuilder.write(draft, ZonedDateTime.now(), file);
            store.queue(file, id, TestPostern.USER, List.of("nobody@example.org"));

            OutboxSender.Report r = send(postern, store);

            assertThat(r.failed()).isEqualTo(1);
            assertThat(store.outbox()).singleElement().satisfies(e -> {
                assertThat(e.state()).isEqualTo(OutboxEntry.State.QUEUED);
                assertThat(e.lastError()).hasValueSatisfying(err -> assertThat(err).contains("nobody@example.org"));
            });
            assertThat(postern.messages(TestPostern.USER, "Sent")).isEmpty();
            assertThat(Files.exists(store.outbox().get(0).file())).isTrue();
        }
    }

    @Test
    void withoutImapTheMessageIsSentAndFiledInTheLocalSentOnly(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.addUser(BOB, "bob password");
            queue(store, dir, "from-a-pop3-account");

            OutboxSender.Report r = new OutboxSender(SyncFixtures.submission(postern), store, Clock.systemUTC())
                    .send(Optional.empty(), SyncProgress.NONE);

            assertThat(r.sent()).isEqualTo(1);
            assertThat(postern.messages(BOB, "INBOX")).hasSize(1);
            assertThat(store.list("Sent", 0, 10)).extracting(LocalStore.LocalMessage::subject).containsExactly("from-a-pop3-account");
            assertThat(store.pending()).as("nothing to upload").isEmpty();
            assertThat(store.outbox()).isEmpty();
        }
    }

    @Test
    void anUnreachableSubmissionServerKeepsTheEntryWithTheReasonAndTheNextRunSendsItOnce(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.addUser(BOB, "bob password");
            queue(store, dir, "while-offline");
            int closedPort;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                closedPort = probe.getLocalPort();
            }
            var nowhere = new org.postern.client.net.Endpoint("127.0.0.1", closedPort,
                    postern.submission().security(), postern.submission().trust());

            OutboxSender.Report failed = new OutboxSender(SyncFixtures.login(nowhere), store, Clock.systemUTC())
                    .send(SyncFixtures.imap(postern), SyncProgress.NONE);

            // the session failed before any recipient was accepted: nothing went out, it waits QUEUED with the reason
            assertThat(failed.failed()).isEqualTo(1);
            assertThat(failed.sent()).isZero();
            assertThat(store.outbox()).singleElement().satisfies(e -> {
                assertThat(e.state()).isIn(OutboxEntry.State.QUEUED, OutboxEntry.State.SENDING);
                assertThat(e.lastError()).hasValueSatisfying(err -> assertThat(err).contains(String.valueOf(closedPort)));
            });

            OutboxSender.Report r = send(postern, store);

            assertThat(r.sent()).isEqualTo(1);
            assertThat(postern.messages(BOB, "INBOX")).hasSize(1);
            assertThat(store.outbox()).isEmpty();
        }
    }

    @Test
    void aMessageAcceptedForSomeRecipientsIsNotSentToThemAgain(@TempDir Path dir) throws IOException {
        try (TestPostern postern = TestPostern.start(dir.resolve("server"));
             LocalStore store = LocalStore.open(dir.resolve("client"))) {
            postern.addUser(BOB, "bob password");
            MessageBuilder.Draft draft = new MessageBuilder.Draft(TestPostern.USER, List.of(BOB, "nobody@example.org"),
                    List.of(), List.of(), "half", "Hello both.", List.of(), Optional.empty(), Optional.empty(), List.of());
            Path file = dir.resolve("half.eml");
            store.queue(file, MessageBuilder.write(draft, ZonedDateTime.now(), file), TestPostern.USER,
                    List.of(BOB, "nobody@example.org"));

            OutboxSender.Report r = send(postern, store);
            send(postern, store);

            assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("nobody@example.org").contains(BOB));
            assertThat(postern.messages(BOB, "INBOX")).as("once, not again").hasSize(1);
            assertThat(postern.messages(TestPostern.USER, "Sent")).hasSize(1);
            assertThat(store.outbox()).isEmpty();
        }
    }
}
