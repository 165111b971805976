package org.postern.client.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.imap.ImapClient.FlagsRow;
import org.postern.client.imap.ImapClient.Unsolicited;
import org.postern.client.net.Endpoint;
import org.postern.client.net.ProtocolException;
import org.postern.client.testing.TestPostern;
import org.postern.server.store.MessageMeta;
import org.postern.wire.smtp.client.TestCertificates;

/** ImapClient against a whole in-process Postern over real sockets (TLS included). */
class ImapClientTest {
    private static final String USER = TestPostern.USER;

    @TempDir
    Path dir;
    TestPostern postern;

    @BeforeEach
    void start() {
        postern = TestPostern.start(dir.resolve("server"));
    }

    @AfterEach
    void stop() {
        postern.close();
    }

    private ImapClient login() throws IOException {
        ImapClient c = ImapClient.connect(postern.imap(), TestPostern.TIMEOUT);
        c.login(USER, TestPostern.PASSWORD.toCharArray(), false);
        return c;
    }

    private void deliver(String subject) {
        postern.deliver(USER, "From: bob@example.net\r\nTo: " + USER + "\r\nSubject: " + subject + "\r\n\r\nBody of " + subject + ".\r\n");
    }

    @Test
    void logsInOverStartTlsAndOverImplicitTls() throws IOException {
        for (Endpoint e : List.of(postern.imap(), postern.imaps())) {
            try (ImapClient c = ImapClient.connect(e, TestPostern.TIMEOUT)) {
                assertThat(c.isTls()).as(e.security().name()).isTrue();
                assertThat(c.has("STARTTLS")).as("not offered again after the upgrade").isFalse();
                assertThat(c.has("AUTH=PLAIN")).isTrue();
                c.login(USER, TestPostern.PASSWORD.toCharArray(), false);
                assertThat(c.capabilities()).as("refreshed after login").contains("QRESYNC", "UIDPLUS", "MOVE");
                c.logout();
            }
        }
    }

    @Test
    void refusesAServerWhoseCertificateItDoesNotTrust() {
        Endpoint untrusted = new Endpoint("127.0.0.1", postern.imaps().port(), Endpoint.Security.IMPLICIT_TLS,
                Optional.of(TestCertificates.trustingOther()));
        assertThatThrownBy(() -> ImapClient.connect(untrusted, TestPostern.TIMEOUT)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not trusted");
        Endpoint startTls = new Endpoint("127.0.0.1", postern.imap().port(), Endpoint.Security.STARTTLS,
                Optional.of(TestCertificates.trustingOther()));
        assertThatThrownBy(() -> ImapClient.connect(startTls, TestPostern.TIMEOUT)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not trusted");
    }

    @Test
    void refusesACertificateForAnotherName() {
        // the certificate names mail.example.org, localhost and 127.0.0.1, not 127.0.0.2 (same machine, other name)
        Endpoint other = new Endpoint("127.0.0.2", postern.imaps().port(), Endpoint.Security.IMPLICIT_TLS,
                Optional.of(postern.trust()));
        assertThatThrownBy(() -> ImapClient.connect(other, TestPostern.TIMEOUT)).isInstanceOf(IOException.class)
                .hasMessageContaining("127.0.0.2");
    }

    @Test
    void doesNotSendThePasswordWithoutTlsAndTheServerWouldNotTakeItAnyway() throws IOException {
        try (ImapClient c = ImapClient.connect(postern.endpoint("imap", Endpoint.Security.PLAINTEXT), TestPostern.TIMEOUT)) {
            assertThat(c.isTls()).isFalse();
            assertThatThrownBy(() -> c.login(USER, TestPostern.PASSWORD.toCharArray(), false))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("without TLS");
            assertThatThrownBy(() -> c.login(USER, TestPostern.PASSWORD.toCharArray(), true))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("LOGINDISABLED");
            c.noop();       // the connection is still fine: nothing was sent
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithTheServersReason() throws IOException {
        try (ImapClient c = ImapClient.connect(postern.imap(), TestPostern.TIMEOUT)) {
            assertThatThrownBy(() -> c.login(USER, "wrong".toCharArray(), false))
                    .isInstanceOf(org.postern.client.net.AuthenticationException.class)
                    .hasMessageContaining("AUTHENTICATE PLAIN refused").hasMessageNotContaining("wrong");
            c.login(USER, TestPostern.PASSWORD.toCharArray(), false);       // the connection is still usable
        }
    }

    @Test
    void listsAndCreatesFoldersWithNonAsciiNamesInModifiedUtf7() throws IOException {
        try (ImapClient c = login()) {
            c.create("Entwürfe/Ärger & Co");
            List<ImapClient.RemoteFolder> folders = c.list();
            assertThat(folders).extracting(ImapClient.RemoteFolder::name).contains("INBOX", "Entwürfe/Ärger & Co");
            assertThat(folders).filteredOn(f -> f.name().equals("INBOX")).singleElement()
                    .satisfies(f -> assertThat(f.delimiter()).hasValue('/'));
            assertThat(postern.mailbox(USER, "Entwürfe/Ärger & Co")).as("the server stored the decoded name").isPresent();
            assertThatThrownBy(() -> c.create("INBOX")).isInstanceOf(ProtocolException.class).hasMessageContaining("CREATE refused");
        }
    }

    @Test
    void withUtf8AcceptNamesGoAsUtf8() throws IOException {
        try (ImapClient c = login()) {
            assertThat(c.enable("UTF8=ACCEPT")).containsExactly("UTF8=ACCEPT");
            c.create("Grüße/日本");
            assertThat(c.list()).extracting(ImapClient.RemoteFolder::name).contains("Grüße/日本");
            assertThat(postern.mailbox(USER, "Grüße/日本")).isPresent();
            assertThat(c.select("Grüße/日本", Optional.empty()).exists()).isZero();
        }
    }

    @Test
    void listsSpecialUseAttributes() throws IOException {
        postern.createMailbox(USER, "Sent Items", Set.of(org.postern.server.store.SpecialUse.SENT));
        try (ImapClient c = login()) {
            assertThat(c.list()).filteredOn(f -> f.name().equals("Sent Items")).singleElement()
                    .satisfies(f -> assertThat(f.attributes()).contains("\\Sent"));
        }
    }

    @Test
    void selectWithQresyncReportsWhatChangedSinceTheLastSession() throws IOException {
        deliver("one");
        deliver("two");
        deliver("three");
        ImapClient.Selected before;
        List<Long> uids;
        try (ImapClient c = login()) {
            assertThat(c.enable("QRESYNC", "CONDSTORE")).contains("QRESYNC");
            before = c.select("INBOX", Optional.empty());
            assertThat(before.exists()).isEqualTo(3);
            assertThat(before.uidValidity()).isPositive();
            assertThat(before.uidNext()).isEqualTo(4);
            assertThat(before.highestModseq()).isPositive();
            uids = c.uidSearch("ALL");
            assertThat(uids).containsExactly(1L, 2L, 3L);
            c.logout();
        }
        // meanwhile: another device flags one and expunges another; new mail arrives
        postern.addFlags(USER, "INBOX", 1, "\\Flagged");
        postern.expunge(USER, "INBOX", 2);
        deliver("four");
        try (ImapClient c = login()) {
            c.enable("QRESYNC");
            ImapClient.Selected after = c.select("INBOX", Optional.of(new ImapClient.Qresync(before.uidValidity(),
                    before.highestModseq(), UidSet.of(uids))));
            assertThat(after.uidValidity()).isEqualTo(before.uidValidity());
            assertThat(after.exists()).isEqualTo(3);
            assertThat(after.uidNext()).isEqualTo(5);
            assertThat(after.vanished()).isEqualTo(UidSet.of(2));
            // 4 is new, outside the known UIDs sent: RFC 7162 §3.2.5 limits the flag changes reported to those
            // (as Dovecot does); EXISTS and UIDNEXT tell of it
            assertThat(after.changed()).extracting(FlagsRow::uid).containsExactly(1L);
            assertThat(after.changed()).filteredOn(r -> r.uid() == 1).singleElement()
                    .satisfies(r -> assertThat(r.flags()).contains("\\Flagged"));
            assertThat(after.highestModseq()).isGreaterThan(before.highestModseq());

            // the same through CHANGEDSINCE on the selected mailbox
            ImapClient.Changes changes = c.changedSince(before.highestModseq());
            assertThat(changes.vanished()).isEqualTo(UidSet.of(2));
            assertThat(changes.changed()).extracting(FlagsRow::uid).containsExactlyInAnyOrder(1L, 4L);
            assertThat(changes.highestModseq()).isEqualTo(after.highestModseq());
            assertThat(c.changedSince(after.highestModseq()).changed()).isEmpty();
        }
    }

    @Test
    void selectWithCondstoreOnlyAndChangedSinceWithoutQresyncGiveFlagsNotVanished() throws IOException {
        deliver("one");
        deliver("two");
        try (ImapClient c = login()) {
            ImapClient.Selected s = c.select("INBOX", Optional.empty());
            assertThat(s.highestModseq()).isPositive();
            postern.addFlags(USER, "INBOX", 2, "$Important");
            ImapClient.Changes ch = c.changedSince(s.highestModseq());
            assertThat(ch.changed()).singleElement().satisfies(r -> {
                assertThat(r.uid()).isEqualTo(2);
                assertThat(r.flags()).contains("$Important");
                assertThat(r.modseq()).isGreaterThan(s.highestModseq());
            });
            assertThat(ch.vanished().isEmpty()).isTrue();
        }
    }

    @Test
    void fetchMessagesStreamsALargeMessageAndSkipsWhatTheConsumerLeaves() throws Exception {
        postern.deliver(USER, TestPostern.largeMessage("big", 6L * 1024 * 1024));
        deliver("small");
        byte[] stored = postern.content(USER, "INBOX", 1);
        try (ImapClient c = login()) {
            c.select("INBOX", Optional.empty());
            List<String> seen = new ArrayList<>();
            c.fetchMessages(UidSet.of(1, 2), (m, body) -> {
                if (m.uid() == 1) {
                    seen.add("1:" + m.size() + ":" + sha256(body));
                } else {
                    seen.add(m.uid() + ":" + new String(body.readNBytes(5), US_ASCII));     // reads only the start
                }
                assertThat(m.internalDate()).isBefore(Instant.now().plusSeconds(60));
                assertThat(m.modseq()).isPositive();
            });
            assertThat(seen).containsExactly("1:" + stored.length + ":" + sha256(new java.io.ByteArrayInputStream(stored)),
                    "2:" + new String(postern.content(USER, "INBOX", 2), 0, 5, US_ASCII));
            assertThat(c.flags(UidSet.of(1, 2))).extracting(FlagsRow::flags).allSatisfy(f -> assertThat(f).doesNotContain("\\Seen"));
            c.noop();       // still in step
        }
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aConsumerFailureEndsTheConnectionRatherThanLeaveItOutOfStep() throws IOException {
        deliver("one");
        try (ImapClient c = login()) {
            c.select("INBOX", Optional.empty());
            assertThatThrownBy(() -> c.fetchMessages(UidSet.of(1), (m, body) -> {
                throw new IOException("disk full");
            })).hasMessage("disk full");
            assertThatThrownBy(c::noop).isInstanceOf(ProtocolException.class).hasMessageContaining("after an earlier error");
        }
    }

    @Test
    void storeAddsAndRemovesFlagsWithoutReplacingOthers() throws IOException {
        deliver("one");
        postern.addFlags(USER, "INBOX", 1, "$Other");
        try (ImapClient c = login()) {
            c.select("INBOX", Optional.empty());
            c.store(UidSet.of(1), true, Set.of("\\Seen", "\\Flagged"));
            assertThat(c.flags(UidSet.of(1))).singleElement().satisfies(r ->
                    assertThat(r.flags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged", "$Other"));
            c.store(UidSet.of(1), false, Set.of("\\Flagged"));
            assertThat(postern.messages(USER, "INBOX")).singleElement()
                    .satisfies(m -> assertThat(m.flags().names()).containsExactlyInAnyOrder("\\Seen", "$Other"));
            assertThatThrownBy(() -> c.store(UidSet.of(1), true, Set.of("bad flag)"))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void moveReturnsTheNewUidsFromCopyUidAndCopyKeepsTheOriginal() throws IOException {
        deliver("one");
        deliver("two");
        deliver("three");
        try (ImapClient c = login()) {
            c.create("Archive 2024");
            c.select("INBOX", Optional.empty());
            Map<Long, Long> moved = c.move(UidSet.of(1, 3), "Archive 2024");
            assertThat(moved).containsOnlyKeys(1L, 3L);
            assertThat(postern.messages(USER, "INBOX")).extracting(MessageMeta::uid).containsExactly(2L);
            assertThat(postern.messages(USER, "Archive 2024")).extracting(MessageMeta::uid)
                    .containsExactlyInAnyOrderElementsOf(moved.values());
            assertThat(new String(postern.content(USER, "Archive 2024", moved.get(3L)), US_ASCII)).contains("Subject: three");
            assertThat(c.drainUnsolicited()).as("the expunges of the moved messages")
                    .hasAtLeastOneElementOfType(Unsolicited.Expunge.class);

            Map<Long, Long> copied = c.copy(UidSet.of(2), "Archive 2024");
            assertThat(copied).containsOnlyKeys(2L);
            assertThat(postern.messages(USER, "INBOX")).hasSize(1);
            assertThat(postern.messages(USER, "Archive 2024")).hasSize(3);
            assertThatThrownBy(() -> c.move(UidSet.of(2), "Nowhere")).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("UID MOVE refused").hasMessageContaining("TRYCREATE");
        }
    }

    @Test
    void uidExpungeRemovesOnlyTheGivenDeletedMessages() throws IOException {
        deliver("one");
        deliver("two");
        try (ImapClient c = login()) {
            c.select("INBOX", Optional.empty());
            c.store(UidSet.of(1, 2), true, Set.of("\\Deleted"));
            c.uidExpunge(UidSet.of(2));
            assertThat(postern.messages(USER, "INBOX")).extracting(MessageMeta::uid).containsExactly(1L);
        }
    }

    @Test
    void appendReturnsTheUidFromAppendUid() throws IOException {
        Path file = dir.resolve("draft.eml");
        String text = "From: " + USER + "\r\nTo: bob@example.net\r\nSubject: draft \"quoted\"\r\n\r\nHello.\r\n";
        Files.writeString(file, text, US_ASCII);
        Instant date = Instant.parse("2024-03-01T12:34:56Z");
        try (ImapClient c = login()) {
            c.create("My Drafts");
            Optional<ImapClient.AppendUid> uid = c.append("My Drafts", Set.of("\\Seen", "\\Draft"), Optional.of(date), file);
            assertThat(uid).isPresent();
            assertThat(uid.get().uidValidity()).isEqualTo(postern.mailbox(USER, "My Drafts").orElseThrow().uidValidity());
            MessageMeta stored = postern.messages(USER, "My Drafts").getFirst();
            assertThat(stored.uid()).isEqualTo(uid.get().uid());
            assertThat(stored.internalDate()).isEqualTo(date);
            assertThat(stored.flags().names()).contains("\\Seen", "\\Draft");
            assertThat(new String(postern.content(USER, "My Drafts", stored.uid()), US_ASCII)).isEqualTo(text);
            assertThatThrownBy(() -> c.append("No such", Set.of(), Optional.empty(), file))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("APPEND refused");
        }
    }

    @Test
    void searchHeaderSendsTheValueAsAStringSoItCannotInjectACommand() throws IOException {
        postern.deliver(USER, "From: bob@example.net\r\nSubject: say \"hi\"\r\nMessage-ID: <a1@example.net>\r\n\r\nx\r\n");
        try (ImapClient c = login()) {
            c.create("Keep");
            c.select("INBOX", Optional.empty());
            assertThat(c.uidSearchHeader("Subject", "say \"hi\"")).containsExactly(1L);
            assertThat(c.uidSearchHeader("Message-ID", "<a1@example.net>")).containsExactly(1L);
            assertThat(c.uidSearchHeader("Message-ID", "<nothing@example.net>")).isEmpty();

            String hostile = "x\"\r\nA99 DELETE Keep\r\nA100 NOOP \"";
            assertThat(c.uidSearchHeader("Subject", hostile)).isEmpty();
            c.noop();
            assertThat(postern.mailbox(USER, "Keep")).as("no DELETE was smuggled in").isPresent();
            assertThatThrownBy(() -> c.uidSearch("ALL\r\nA1 DELETE Keep")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.uidSearchHeader("Subject: x", "v")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void changesMadeBySomeoneElseArriveAsUnsolicitedResponses() throws IOException {
        deliver("one");
        try (ImapClient c = login(); ImapClient other = login()) {
            c.select("INBOX", Optional.empty());
            c.drainUnsolicited();
            deliver("two");
            other.select("INBOX", Optional.empty());
            other.store(UidSet.of(1), true, Set.of("\\Seen"));
            c.noop();
            List<Unsolicited> u = c.drainUnsolicited();
            assertThat(u).contains(new Unsolicited.Exists(2));
            assertThat(u).filteredOn(x -> x instanceof Unsolicited.Fetch).isNotEmpty();
            assertThat(c.drainUnsolicited()).isEmpty();
        }
    }
}
