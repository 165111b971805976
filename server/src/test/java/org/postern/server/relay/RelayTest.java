package org.postern.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.server.relay.RelayHarness.ALICE;
import static org.postern.server.relay.RelayHarness.T0;
import static org.postern.server.relay.RelayHarness.message;
import static org.postern.wire.smtp.client.FakeSmtpServer.CLOSE;
import static org.postern.wire.smtp.client.FakeSmtpServer.STALL;
import static org.postern.wire.smtp.client.FakeSmtpServer.reply;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.queue.QueuedMessage;
import org.postern.wire.smtp.client.FakeSmtpServer;

/**
 * The relay against a scripted remote MX (FakeSmtpServer) found through a real DNS server (TestDnsServer): each
 * way a remote server can answer or fail, and what becomes of the queue entry and the sender's notices.
 */
class RelayTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    FakeSmtpServer remote;
    RelayHarness h;

    @BeforeEach
    void setUp() throws IOException {
        h = RelayHarness.withRemoteMx(dir);
        remote = h.remote;
    }

    @AfterEach
    void tearDown() throws IOException {
        h.close();
    }

    @Test
    void deliversToTheMxHostAndRetiresTheEntry() throws Exception {
        h.send(ALICE, message("hi"), List.of("bob@b.test"));

        assertThat(h.run()).isEqualTo(1);

        FakeSmtpServer.Transaction t = remote.takeTransaction(WAIT).orElseThrow();
        assertThat(t.mail()).startsWith("MAIL FROM:<alice@a.test>");
        assertThat(t.rcpts()).containsExactly("RCPT TO:<bob@b.test>");
        assertThat(t.bodyText()).startsWith("Received: from client.a.test").contains("Subject: hi", "Hello Bob.");
        assertThat(h.queue()).isEmpty();
        assertThat(h.inbox()).isEmpty();
    }

    /** What a failure at each stage does: temporary ones keep the entry, permanent ones bounce it. */
    @Test
    void eachStageFailsTemporarilyOrPermanently() throws Exception {
        record Case(String name, java.util.function.Consumer<FakeSmtpServer> script, boolean permanent, String error) {}
        for (Case c : List.of(
                new Case("421 at connect", r -> r.greeting(reply(421, "4.3.2 try later")), false, "421"),
                new Case("554 at connect", r -> r.greeting(reply(554, "5.7.1 go away")), true, "554"),
                new Case("451 at MAIL", r -> r.mail(reply(451, "4.3.0 busy")), false, "451 4.3.0 busy"),
                new Case("550 at MAIL", r -> r.mail(reply(550, "5.7.1 sender refused")), true, "550 5.7.1 sender refused"),
                new Case("450 at RCPT", r -> r.rcpt(reply(450, "4.2.1 greylisted")), false, "450 4.2.1 greylisted"),
                new Case("550 at RCPT", r -> r.rcpt(reply(550, "5.1.1 no such user")), true, "550 5.1.1 no such user"),
                new Case("452 after the dot", r -> r.afterDot(reply(452, "4.3.1 disk full")), false, "452 4.3.1 disk full"),
                new Case("554 after the dot", r -> r.afterDot(reply(554, "5.6.0 spam")), true, "554 5.6.0 spam"),
                new Case("dropped mid-DATA", r -> r.afterDot(new FakeSmtpServer.CloseMidData(10)), false, ""),
                new Case("dropped after the dot", r -> r.afterDot(CLOSE), false, ""),
                new Case("never answers", r -> r.greeting(STALL), false, ""))) {
            try (var hh = RelayHarness.withRemoteMx(dir.resolve(c.name().replace(' ', '-')))) {
                c.script().accept(hh.remote);
                hh.send(ALICE, message(c.name()), List.of("bob@b.test"));

                hh.run();

                if (c.permanent()) {
                    assertThat(hh.queue()).as(c.name()).isEmpty();
                    assertThat(hh.inbox()).as(c.name()).singleElement().satisfies(dsn -> assertThat(dsn)
                            .contains("Action: failed", "Final-Recipient: rfc822; bob@b.test", "Remote-MTA: dns; mx.b.test",
                                    "Diagnostic-Code: smtp; " + c.error(), "Subject: " + c.name()));
                } else {
                    QueuedMessage q = hh.queue().getFirst();
                    assertThat(q.recipients()).as(c.name()).singleElement().satisfies(rcpt -> {
                        assertThat(rcpt.attempts()).isEqualTo(1);
                        assertThat(rcpt.lastError()).contains(c.error());
                        assertThat(rcpt.status()).hasValueSatisfying(s -> assertThat(s).startsWith("4."));
                    });
                    // first retry after retry[0] = 5 minutes, plus at most 10 % jitter
                    assertThat(q.nextAttempt()).as(c.name()).isBetween(T0.plusSeconds(300), T0.plusSeconds(330));
                    assertThat(hh.inbox()).as(c.name()).isEmpty();
                }
            }
        }
    }

    @Test
    void mixedRecipientResultsAreEachRecordedAndOneNoticeReportsTheFailures() throws Exception {
        remote.rcpt("gone@b.test", reply(550, "5.1.1 no such user"));
        remote.rcpt("later@b.test", reply(451, "4.2.0 try later"));
        long id = h.send(ALICE, message("mixed"), List.of("bob@b.test", "gone@b.test", "later@b.test"));

        h.run();

        assertThat(remote.takeTransaction(WAIT).orElseThrow().rcpts()).hasSize(3);
        assertThat(h.queue()).singleElement().satisfies(q -> {
            assertThat(q.id()).isEqualTo(id);
            assertThat(q.recipients()).extracting(QueuedMessage.Recipient::address).containsExactly("later@b.test");
        });
        assertThat(h.inbox()).singleElement().satisfies(dsn -> assertThat(dsn)
                .contains("Final-Recipient: rfc822; gone@b.test").doesNotContain("rfc822; bob@b.test", "rfc822; later@b.test"));
    }

    @Test
    void theSecondMxIsTriedWhenTheFirstIsDown() throws Exception {
        try (var second = FakeSmtpServer.start(new InetSocketAddress(InetAddress.getByName("127.0.0.5"), 0));
             var hh = new RelayHarness(dir.resolve("two"), second.address().getPort())) {
            hh.dns.mx("b.test", 10, "mx1.b.test", "127.0.0.4").mx("b.test", 20, "mx2.b.test", "127.0.0.5");
            hh.send(ALICE, message("second"), List.of("bob@b.test"));

            hh.run();

            assertThat(second.takeTransaction(WAIT)).isPresent();
            assertThat(hh.queue()).isEmpty();
        }
    }

    @Test
    void severalMessagesForOneHostShareAConnection() throws Exception {
        int messages = DestinationRun.MAX_CONNECTIONS * 2 + 1;
        for (int i = 0; i < messages; i++) h.send(ALICE, message("m" + i), List.of("bob" + i + "@b.test"));

        h.run();

        for (int i = 0; i < messages; i++) assertThat(remote.takeTransaction(WAIT)).isPresent();
        assertThat(remote.connectionCount()).isEqualTo(DestinationRun.MAX_CONNECTIONS);
        assertThat(remote.verbs()).filteredOn("RSET"::equals).hasSize(messages - DestinationRun.MAX_CONNECTIONS);
        assertThat(h.queue()).isEmpty();
    }

    @Test
    void dnsAnswersDecideBeforeAnyConnection() throws Exception {
        h.dns.nullMx("null.test").servfail("broken.test");
        h.send(ALICE, message("nx"), List.of("x@nowhere.test"));
        h.send(ALICE, message("null"), List.of("x@null.test"));
        h.send(ALICE, message("servfail"), List.of("x@broken.test"));

        h.run();

        assertThat(remote.connectionCount()).isZero();
        assertThat(h.queue()).singleElement().satisfies(q -> assertThat(q.recipients().getFirst().address()).isEqualTo("x@broken.test"));
        assertThat(h.inbox()).hasSize(2).allSatisfy(dsn -> assertThat(dsn).contains("Action: failed", "Status: 5.1.2"));
    }

    @Test
    void aMessageWithMoreThanAHundredReceivedFieldsIsALoop() throws Exception {
        String loop = "Received: from x by y; Mon, 1 Dec 2026 08:00:00 +0000\r\n".repeat(100) + message("loop");
        h.send(ALICE, loop, List.of("bob@b.test"));

        h.run();

        assertThat(remote.connectionCount()).isZero();
        assertThat(h.queue()).isEmpty();
        assertThat(h.inbox()).singleElement().satisfies(dsn -> assertThat(dsn).contains("Status: 5.4.6", "mail loop"));
    }

    @Test
    void noNoticeForTheNullSenderOrForNotifyNever() throws Exception {
        remote.rcpt(reply(550, "5.1.1 no such user"));
        h.send("", message("bounce"), List.of("bob@b.test"));
        h.send(ALICE, message("never"), List.of("bob@b.test"),
                new org.postern.wire.smtp.RcptParams(Optional.of(org.postern.wire.dsn.Notify.NEVER), Optional.empty()),
                org.postern.server.store.Delivery.Options.NONE);

        h.run();

        assertThat(h.queue()).isEmpty();
        assertThat(h.inbox()).isEmpty();
    }

    @Test
    void dsnParametersArePassedOnToANextHopThatOffersDsn() throws Exception {
        remote.ehloKeywords("PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES", "DSN");
        var orcpt = org.postern.wire.dsn.OriginalRecipient.rfc822("Bob@b.test");
        h.send(ALICE, message("dsn"), List.of("bob@b.test"), new org.postern.wire.smtp.RcptParams(
                        Optional.of(org.postern.wire.dsn.Notify.parse("SUCCESS,FAILURE")), Optional.of(orcpt)),
                new org.postern.server.store.Delivery.Options(Optional.of(org.postern.wire.dsn.Ret.HDRS),
                        Optional.of(new org.postern.wire.dsn.EnvelopeId("QQ314")), false, false));

        h.run();

        var t = remote.takeTransaction(WAIT).orElseThrow();
        assertThat(t.mail()).contains("RET=HDRS", "ENVID=QQ314");
        assertThat(t.rcpts().getFirst()).contains("NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;Bob@b.test");
        assertThat(h.inbox()).as("the next hop reports success itself").isEmpty();
    }

    @Test
    void aSuccessNoticeSaysRelayedWhenTheNextHopHasNoDsn() throws Exception {
        h.send(ALICE, message("relayed"), List.of("bob@b.test"), new org.postern.wire.smtp.RcptParams(
                        Optional.of(org.postern.wire.dsn.Notify.parse("SUCCESS")), Optional.empty()),
                new org.postern.server.store.Delivery.Options(Optional.empty(),
                        Optional.of(new org.postern.wire.dsn.EnvelopeId("env-1")), false, false));

        h.run();

        assertThat(h.queue()).isEmpty();
        assertThat(h.inbox()).singleElement().satisfies(dsn -> assertThat(dsn)
                .contains("Action: relayed", "Original-Envelope-Id: env-1", "Final-Recipient: rfc822; bob@b.test"));
    }

    @Test
    void eightBitGoesAsSevenBitToAServerWithout8BitMime() throws Exception {
        remote.ehloKeywords("PIPELINING", "ENHANCEDSTATUSCODES");
        String text = "From: alice@a.test\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\nSubject: 8bit\r\n\r\nGrüße aus Köln\r\n";
        h.send(ALICE, text, List.of("bob@b.test"), org.postern.wire.smtp.RcptParams.NONE,
                new org.postern.server.store.Delivery.Options(Optional.empty(), Optional.empty(), true, false));

        h.run();

        var t = remote.takeTransaction(WAIT).orElseThrow();
        for (byte b : t.body()) assertThat(b).isGreaterThanOrEqualTo((byte) 0);
        assertThat(t.bodyText()).contains("Content-Transfer-Encoding: quoted-printable");
        assertThat(h.queue()).isEmpty();
    }

    @Test
    void smtpUtf8MailBouncesClearlyAtAServerWithoutIt() throws Exception {
        h.send(ALICE, message("utf8"), List.of("bob@b.test"), org.postern.wire.smtp.RcptParams.NONE,
                new org.postern.server.store.Delivery.Options(Optional.empty(), Optional.empty(), true, true));

        h.run();

        assertThat(remote.takeTransaction(Duration.ofMillis(200))).isEmpty();
        assertThat(h.queue()).isEmpty();
        assertThat(h.inbox()).singleElement().satisfies(dsn -> assertThat(dsn).contains("Action: failed", "SMTPUTF8"));
    }

    @Test
    void aNoticeToARemoteSenderIsQueuedWithTheNullReversePath() throws Exception {
        remote.rcpt("bob@b.test", reply(550, "5.1.1 no such user"));
        h.send("carol@c.test", message("remote sender"), List.of("bob@b.test"));

        h.run();

        assertThat(h.queue()).singleElement().satisfies(q -> {
            assertThat(q.envelopeFrom()).isEmpty();
            assertThat(q.recipients()).extracting(QueuedMessage.Recipient::address).containsExactly("carol@c.test");
        });
    }

    @Test
    void anEntryClaimedByAWorkerThatDiedIsDeliveredOnceItsLeaseExpires() throws Exception {
        h.send(ALICE, message("orphan"), List.of("bob@b.test"));
        // a worker claims it and dies before sending anything
        assertThat(h.store.queue().claimDue(h.clock.instant(), 10, Relay.LEASE)).hasSize(1);

        assertThat(h.run()).as("the lease still holds").isZero();
        h.advance(Relay.LEASE.plusSeconds(1));
        assertThat(h.run()).isEqualTo(1);

        assertThat(remote.takeTransaction(WAIT)).isPresent();
        assertThat(remote.takeTransaction(Duration.ofMillis(200))).isEmpty();
        assertThat(h.queue()).isEmpty();
    }

    @Test
    void anAddressLiteralIsConnectedToWithoutDns() throws Exception {
        h.send(ALICE, message("literal"), List.of("bob@[127.0.0.1]"));

        h.run();

        assertThat(remote.takeTransaction(WAIT).orElseThrow().rcpts()).containsExactly("RCPT TO:<bob@[127.0.0.1]>");
        assertThat(h.dns.queries()).isZero();
    }
}
