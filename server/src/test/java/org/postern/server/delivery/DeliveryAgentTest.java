package org.postern.server.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.directory.sqlite.SqliteDirectory;
import org.postern.server.store.Delivery;
import org.postern.server.store.sqlite.SqliteMailStore;
import org.postern.server.store.StoreException;
import org.postern.wire.Secret;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.address.Path.Mailbox;

class DeliveryAgentTest {
    static final Instant NOW = Instant.parse("2026-11-26T10:15:30Z");

    @TempDir
    Path dir;
    RecordingMailStore store;
    SqliteDirectory directory;
    DeliveryAgent agent;

    @BeforeEach
    void setUp() {
        store = new RecordingMailStore(SqliteMailStore.open(dir));
        directory = SqliteDirectory.open(dir);
        directory.addDomain("example.org");
        directory.addAccount("a@example.org", Secret.of("x"));
        directory.addAccount("b@example.org", Secret.of("x"));
        directory.addAlias("both@example.org", List.of("a@example.org", "b@example.org", "out@elsewhere.example"));
        agent = new DeliveryAgent(store, directory, Clock.fixed(NOW, ZoneOffset.UTC), "mx.example.org");
    }

    private IncomingBody.Received body(String text) throws IOException {
        try (IncomingBody b = agent.begin()) {
            b.out().write(text.getBytes(UTF_8));
            return b.commit();
        }
    }

    private Recipient route(String address) {
        return agent.route(EmailAddress.parse(address)).orElseThrow();
    }

    private static DeliveryAgent.Trace trace(boolean submission) throws IOException {
        return new DeliveryAgent.Trace("client.example", InetAddress.getByName("2001:db8::7"), "ESMTPS", submission);
    }

    @AfterEach
    void tearDown() {
        store.close();
        directory.close();
    }

    @Test
    void routesLocalRemoteAndUnknownRecipients() {
        assertThat(route("A+tag@Example.org")).isInstanceOf(Recipient.Local.class);
        assertThat(route("x@elsewhere.example")).isEqualTo(new Recipient.Remote(EmailAddress.parse("x@elsewhere.example")));
        assertThat(agent.route(EmailAddress.parse("nobody@example.org"))).isEmpty();
        assertThat(agent.routePostmaster()).isEmpty();   // no postmaster alias yet
        directory.addAlias("postmaster@example.org", List.of("a@example.org"));
        assertThat(agent.routePostmaster()).hasValueSatisfying(r -> assertThat(r.address().toString()).isEqualTo("postmaster@example.org"));
    }

    @Test
    void oneDeliveryWithDeduplicatedAccountsAndTheOutboundPart() throws IOException {
        var env = new DeliveryAgent.Envelope(new Mailbox(EmailAddress.parse("s@elsewhere.example")),
                List.of(route("both@example.org"), route("a@example.org"), route("OUT@elsewhere.example"), route("z@elsewhere.example")));
        DeliveryAgent.Accepted a = agent.deliver(env, trace(false), body("Subject: x\r\n\r\nhi\r\n"));
        assertThat(store.deliveries).hasSize(1);
        Delivery d = store.deliveries.getFirst();
        assertThat(d.localAccounts()).containsExactly(directory.account("a@example.org").orElseThrow().id(),
                directory.account("b@example.org").orElseThrow().id());
        Delivery.Outbound o = d.outbound().orElseThrow();
        assertThat(o.recipients()).containsExactly("out@elsewhere.example", "z@elsewhere.example");
        assertThat(o.envelopeFrom()).isEqualTo("s@elsewhere.example");

        String expectedReceived = "Received: from client.example ([IPv6:2001:db8::7])\r\n"
                + "\tby mx.example.org (Postern) with ESMTPS id " + a.id() + ";\r\n"
                + "\tThu, 26 Nov 2026 10:15:30 +0000\r\n";
        assertThat(new String(o.prefix(), UTF_8)).isEqualTo(expectedReceived);
        assertThat(new String(d.local().prefix(), UTF_8)).isEqualTo("Return-Path: <s@elsewhere.example>\r\n" + expectedReceived);
        assertThat(d.local().size()).isEqualTo(d.local().prefix().length + "Subject: x\r\n\r\nhi\r\n".length());
        assertThat(o.size()).isEqualTo(o.prefix().length + "Subject: x\r\n\r\nhi\r\n".length());
        assertThat(d.local().internalDate()).isEqualTo(NOW);
        // parsed once, prefix included: the structure's offsets are offsets into prefix + blob
        assertThat(d.local().structure().size()).isEqualTo(d.local().size());
        assertThat(d.local().bodyText()).contains("hi");
        assertThat(a).isEqualTo(new DeliveryAgent.Accepted(a.id(), 2, 2, "Subject: x\r\n\r\nhi\r\n".length()));
    }

    @Test
    void searchTextAndEnvelopeComeFromTheMimeParser() throws IOException {
        var env = new DeliveryAgent.Envelope(new Mailbox(EmailAddress.parse("s@elsewhere.example")), List.of(route("a@example.org")));
        agent.deliver(env, trace(false), body("From: Sender <s@elsewhere.example>\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n\r\n<p>findable words</p>\r\n"));
        var local = store.deliveries.getFirst().local();
        assertThat(local.headerText()).contains("Grüße");
        assertThat(local.bodyText()).contains("findable words").doesNotContain("<p>");
        assertThat(local.structure().envelope().subject()).hasValueSatisfying(s -> assertThat(s).contains("Gr"));
    }

    @Test
    void submissionAddsMessageIdAndDateWhenMissing() throws IOException {
        var env = new DeliveryAgent.Envelope(new Mailbox(EmailAddress.parse("a@example.org")), List.of(route("b@example.org")));
        DeliveryAgent.Accepted a = agent.deliver(env, trace(true), body("Subject: x\r\n\r\nhi\r\n"));
        String prefix = new String(store.deliveries.getFirst().local().prefix(), UTF_8);
        assertThat(prefix).contains("\tfor <b@example.org>;\r\n")
                .endsWith("Message-ID: <" + a.id() + "@mx.example.org>\r\nDate: Thu, 26 Nov 2026 10:15:30 +0000\r\n");
    }

    @Test
    void failedCommitDeletesTheBlobAndRethrows() throws IOException {
        store.failDeliver = true;
        IncomingBody.Received b = body("Subject: x\r\n\r\nhi\r\n");
        assertThat(store.blobs().size(b.blob().ref())).isEqualTo(b.blob().size());
        var env = new DeliveryAgent.Envelope(new org.postern.wire.address.Path.Null(), List.of(route("a@example.org")));
        assertThatThrownBy(() -> agent.deliver(env, trace(false), b)).isInstanceOf(StoreException.class);
        assertThat(store.blobs().deleted).containsExactly(b.blob().ref());
        assertThatThrownBy(() -> store.blobs().open(b.blob().ref()).close()).isInstanceOf(IOException.class);
    }

    @Test
    void failedBlobWritesSurfaceAtCommitNotWhileReceiving() throws IOException {
        try (IncomingBody b = agent.begin()) {
            store.blobs().failWrites = true;
            byte[] big = new byte[200_000];   // more than the write buffer, so the blob is really written to
            b.out().write(big);               // no exception here: the session keeps reading the message
            assertThatThrownBy(b::commit).isInstanceOf(StoreException.class);
        }
        assertThat(store.blobs().discarded).hasValue(1);
        assertThat(store.blobs().committed).isEmpty();
    }

    @Test
    void queueIdsAreSixteenBase32CharactersAndSortByTime() {
        String a = QueueIds.next(Instant.parse("2026-01-01T00:00:00Z"));
        String b = QueueIds.next(Instant.parse("2026-01-01T00:00:01Z"));
        assertThat(a).matches("[0-9A-HJKMNP-TV-Z]{16}");
        assertThat(a.compareTo(b)).isNegative();
        assertThat(QueueIds.next(NOW)).isNotEqualTo(QueueIds.next(NOW));
    }
}
