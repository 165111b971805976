package org.postern.wire.smtp.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.wire.smtp.client.FakeSmtpServer.reply;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.address.Path;
import org.postern.wire.smtp.EnhancedStatus;
import org.postern.wire.smtp.client.Envelope.Notify;
import org.postern.wire.smtp.client.RecipientOutcome.Delivered;
import org.postern.wire.smtp.client.RecipientOutcome.PermanentFailure;
import org.postern.wire.smtp.client.RecipientOutcome.TemporaryFailure;

/** Transactions against {@link FakeSmtpServer} over real sockets: every fault at every stage. */
class SmtpClientTransactionTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final ClientSettings SETTINGS = new ClientSettings("client.example", ClientSettings.Timeouts.all(WAIT));
    static final ClientSettings SHORT = new ClientSettings("client.example", ClientSettings.Timeouts.all(Duration.ofMillis(300)));
    static final String MESSAGE = "From: a@example.net\r\nSubject: hi\r\n\r\nhello\r\n";

    FakeSmtpServer remote;

    @BeforeEach
    void start() throws IOException {
        remote = FakeSmtpServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        remote.close();
    }

    SmtpClient connect(ClientSettings settings) {
        return SmtpClient.connect(Destination.mx("mx.example.org", remote.address()), settings);
    }

    static Envelope envelope(String... recipients) {
        return Envelope.of(new Path.Mailbox(EmailAddress.parse("a@example.net")),
                List.of(recipients).stream().map(EmailAddress::parse).toList());
    }

    static List<RecipientResult> send(SmtpClient c, String message, String... recipients) {
        return c.send(envelope(recipients), TestMessage.ascii(message));
    }

    FakeSmtpServer.Transaction taken() throws InterruptedException {
        return remote.takeTransaction(WAIT).orElseThrow();
    }

    @Test
    void deliversAndReportsTheFinalReplyPerRecipient() throws Exception {
        List<RecipientResult> results;
        try (SmtpClient c = connect(SETTINGS)) {
            results = send(c, MESSAGE, "b@example.org", "c@example.org");
        }
        assertThat(results).extracting(RecipientResult::recipient)
                .containsExactly(EmailAddress.parse("b@example.org"), EmailAddress.parse("c@example.org"));
        assertThat(results).allSatisfy(r -> {
            assertThat(r.outcome()).isInstanceOf(Delivered.class);
            assertThat(r.outcome().remoteHost()).isEqualTo("mx.example.org");
            assertThat(((Delivered) r.outcome()).reply().toString()).isEqualTo("250 2.0.0 queued as FAKE");
        });
        FakeSmtpServer.Transaction t = taken();
        assertThat(t.mail()).isEqualTo("MAIL FROM:<a@example.net>");
        assertThat(t.rcpts()).containsExactly("RCPT TO:<b@example.org>", "RCPT TO:<c@example.org>");
        assertThat(t.bodyText()).isEqualTo(MESSAGE);
        assertThat(remote.verbs()).containsExactly("EHLO", "MAIL", "RCPT", "RCPT", "DATA", "QUIT");
    }

    /** The reply at each stage and what every recipient gets from it. */
    @Test
    void refusalsAtMailAndAfterDataApplyToEveryAcceptedRecipient() throws Exception {
        enum Stage { MAIL, DATA, AFTER_DOT }
        record Case(Stage stage, int code, String text, Class<?> outcome, boolean dataSent) {}
        for (Case k : List.of(
                new Case(Stage.MAIL, 451, "4.3.0 try later", TemporaryFailure.class, false),
                new Case(Stage.MAIL, 550, "5.7.1 sender refused", PermanentFailure.class, false),
                new Case(Stage.DATA, 452, "4.3.1 no space", TemporaryFailure.class, true),
                new Case(Stage.DATA, 554, "5.5.1 no valid recipients", PermanentFailure.class, true),
                new Case(Stage.AFTER_DOT, 451, "4.7.1 greylisted", TemporaryFailure.class, true),
                new Case(Stage.AFTER_DOT, 554, "5.7.1 spam", PermanentFailure.class, true))) {
            try (FakeSmtpServer r = FakeSmtpServer.start()) {
                FakeSmtpServer.Reply refusal = reply(k.code(), k.text());
                switch (k.stage()) {
                    case MAIL -> r.mail(refusal);
                    case DATA -> r.data(refusal);
                    case AFTER_DOT -> r.afterDot(refusal);
                }
                List<RecipientResult> results;
                try (SmtpClient c = SmtpClient.connect(Destination.mx("mx.example.org", r.address()), SETTINGS)) {
                    results = send(c, MESSAGE, "b@example.org", "c@example.org");
                    assertThat(c.reusable()).as(k.toString()).isTrue();
                }
                assertThat(results).as(k.toString()).allSatisfy(res -> {
                    assertThat(res.outcome()).isInstanceOf(k.outcome());
                    Diagnosis.Remote d = (Diagnosis.Remote) ((RecipientOutcome.Failure) res.outcome()).diagnosis();
                    assertThat(d.diagnosticCode()).isEqualTo("smtp; " + k.code() + " " + k.text());
                    assertThat(d.status()).isEqualTo(EnhancedStatus.parse(k.text().substring(0, 5)));
                });
                assertThat(r.verbs().contains("DATA")).as(k.toString()).isEqualTo(k.dataSent());
            }
        }
    }

    @Test
    void mixedRecipientResultsKeepTheirOwnReplies() throws Exception {
        remote.rcpt("later@example.org", reply(450, "4.2.1 mailbox busy"));
        remote.rcpt("gone@example.org", reply(550, "5.1.1 no such user"));
        List<RecipientResult> results;
        try (SmtpClient c = connect(SETTINGS)) {
            results = send(c, MESSAGE, "ok@example.org", "later@example.org", "gone@example.org", "ok2@example.org");
        }
        assertThat(results).extracting(r -> r.outcome().getClass().getSimpleName())
                .containsExactly("Delivered", "TemporaryFailure", "PermanentFailure", "Delivered");
        assertThat(((PermanentFailure) results.get(2).outcome()).diagnosis().text()).isEqualTo("550 5.1.1 no such user");
        assertThat(taken().rcpts()).hasSize(4);
    }

    @Test
    void noDataWhenEveryRecipientIsRefused() throws Exception {
        remote.rcpt(reply(550, "5.1.1 no such user"));
        try (SmtpClient c = connect(SETTINGS)) {
            assertThat(send(c, MESSAGE, "x@example.org", "y@example.org"))
                    .allSatisfy(r -> assertThat(r.outcome()).isInstanceOf(PermanentFailure.class));
        }
        assertThat(remote.verbs()).containsExactly("EHLO", "MAIL", "RCPT", "RCPT", "QUIT");
    }

    @Test
    void aConnectionDroppedMidDataIsTemporaryForAcceptedRecipientsOnly() {
        remote.rcpt("gone@example.org", reply(550, "5.1.1 no such user"));
        remote.data(new FakeSmtpServer.CloseMidData(10));
        try (SmtpClient c = connect(SETTINGS)) {
            List<RecipientResult> results = c.send(envelope("b@example.org", "gone@example.org"),
                    TestMessage.generated(1024 * 1024));
            assertThat(results.get(0).outcome()).isInstanceOf(TemporaryFailure.class);
            assertThat(((TemporaryFailure) results.get(0).outcome()).diagnosis().status()).isEqualTo(EnhancedStatus.parse("4.4.2"));
            assertThat(results.get(1).outcome()).isInstanceOf(PermanentFailure.class);
            assertThat(c.reusable()).isFalse();
        }
    }

    @Test
    void aConnectionDroppedAfterTheDotIsNeverDelivered() throws Exception {
        remote.afterDot(FakeSmtpServer.CLOSE);
        try (SmtpClient c = connect(SETTINGS)) {
            List<RecipientResult> results = send(c, MESSAGE, "b@example.org");
            TemporaryFailure f = (TemporaryFailure) results.getFirst().outcome();
            assertThat(f.diagnosis()).isInstanceOf(Diagnosis.Local.class);
            assertThat(f.diagnosis().text()).contains("end of the message").contains("may arrive twice");
            assertThat(c.reusable()).isFalse();
            // The broken session fails the next transaction without touching the network.
            assertThat(send(c, MESSAGE, "c@example.org").getFirst().outcome()).isInstanceOf(TemporaryFailure.class);
        }
        assertThat(taken().bodyText()).isEqualTo(MESSAGE);   // the server had it all: a retry may duplicate
    }

    /** A server that stops answering at each stage: the short timeouts end the transaction, temporarily. */
    @Test
    void aServerThatNeverAnswersTimesOutAtEveryStage() throws Exception {
        enum Stage { MAIL, RCPT, DATA, AFTER_DOT, MID_DATA }
        for (Stage stage : Stage.values()) {
            try (FakeSmtpServer r = FakeSmtpServer.start()) {
                switch (stage) {
                    case MAIL -> r.mail(FakeSmtpServer.STALL);
                    case RCPT -> r.rcpt(FakeSmtpServer.STALL);
                    case DATA -> r.data(FakeSmtpServer.STALL);
                    case AFTER_DOT -> r.afterDot(FakeSmtpServer.STALL);
                    case MID_DATA -> r.data(new FakeSmtpServer.StallMidData());
                }
                // Mid-data the server stops reading: the writes back up once the socket buffers are full.
                OutboundMessage message = stage == Stage.MID_DATA ? TestMessage.generated(64L * 1024 * 1024) : TestMessage.ascii(MESSAGE);
                long start = System.nanoTime();
                try (SmtpClient c = SmtpClient.connect(Destination.mx("mx.example.org", r.address()), SHORT)) {
                    List<RecipientResult> results = c.send(envelope("b@example.org"), message);
                    TemporaryFailure f = (TemporaryFailure) results.getFirst().outcome();
                    assertThat(f.diagnosis().status()).as(stage.toString()).isEqualTo(EnhancedStatus.parse("4.4.2"));
                    assertThat(f.diagnosis().text()).as(stage.toString())
                            .contains(stage == Stage.MID_DATA ? "write not finished within" : "no reply to");
                    assertThat(c.reusable()).isFalse();
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(stage.toString()).isLessThan(Duration.ofSeconds(4));
            }
        }
    }

    @Test
    void pipeliningSendsMailAndEveryRcptInOneWriteAndMatchesRepliesInOrder() throws Exception {
        remote.rcpt("r2@example.org", reply(550, "5.1.1 no"));
        remote.rcpt("r4@example.org", reply(451, "4.3.0 later"));
        List<RecipientResult> results;
        try (SmtpClient c = connect(SETTINGS)) {
            assertThat(c.capabilities().pipelining()).isTrue();
            results = send(c, MESSAGE, "r1@example.org", "r2@example.org", "r3@example.org", "r4@example.org");
        }
        assertThat(taken().pipelined()).isTrue();
        assertThat(results).extracting(r -> r.outcome().getClass().getSimpleName())
                .containsExactly("Delivered", "PermanentFailure", "Delivered", "TemporaryFailure");
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        remote.ehloKeywords("8BITMIME");
        remote.rcpt("r2@example.org", reply(550, "5.1.1 no"));
        List<RecipientResult> results;
        try (SmtpClient c = connect(SETTINGS)) {
            results = send(c, MESSAGE, "r1@example.org", "r2@example.org");
        }
        assertThat(taken().pipelined()).isFalse();
        assertThat(results).extracting(r -> r.outcome().getClass().getSimpleName())
                .containsExactly("Delivered", "PermanentFailure");
    }

    @Test
    void mailRefusedWhilePipelinedStillReadsTheRcptRepliesAndStaysInStep() throws Exception {
        remote.mail(reply(550, "5.7.1 go away"));
        remote.rcpt(reply(503, "5.5.1 need MAIL first"));
        try (SmtpClient c = connect(SETTINGS)) {
            assertThat(send(c, MESSAGE, "b@example.org", "c@example.org")).allSatisfy(r ->
                    assertThat(((PermanentFailure) r.outcome()).diagnosis().text()).isEqualTo("550 5.7.1 go away"));
            remote.mail(reply(250, "2.1.0 ok"));
            remote.rcpt(reply(250, "2.1.5 ok"));
            assertThat(send(c, MESSAGE, "b@example.org").getFirst().outcome()).isInstanceOf(Delivered.class);
        }
    }

    @Test
    void aMessageOverTheServersSizeIsRefusedWithoutSending() {
        remote.ehloKeywords("PIPELINING", "SIZE 20");
        try (SmtpClient c = connect(SETTINGS)) {
            assertThat(c.capabilities().sizeLimit()).hasValue(20);
            List<RecipientResult> results = send(c, MESSAGE, "b@example.org");
            PermanentFailure f = (PermanentFailure) results.getFirst().outcome();
            assertThat(f.diagnosis().status()).isEqualTo(EnhancedStatus.parse("5.3.4"));
            assertThat(f.diagnosis().text()).contains(String.valueOf(MESSAGE.length())).contains("20");
            assertThat(c.reusable()).isTrue();
        }
        assertThat(remote.verbs()).containsExactly("EHLO", "QUIT");
    }

    @Test
    void sizeIsDeclaredWhenOfferedAndWithinTheLimit() throws Exception {
        remote.ehloKeywords("SIZE 1000000");
        try (SmtpClient c = connect(SETTINGS)) {
            send(c, MESSAGE, "b@example.org");
        }
        assertThat(taken().mail()).isEqualTo("MAIL FROM:<a@example.net> SIZE=" + MESSAGE.length());
    }

    @Test
    void anEightBitMessageGoesAsItIsWith8bitmimeAndAsItsSevenBitVersionWithout() throws Exception {
        String eight = "Subject: caf\u00e9\r\nContent-Transfer-Encoding: 8bit\r\n\r\ncaf\u00e9\r\n";
        String seven = "Subject: =?utf-8?q?caf=C3=A9?=\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9\r\n";
        record Case(List<String> keywords, String mail, String body, boolean sevenBitOpened) {}
        for (Case k : List.of(
                new Case(List.of("8BITMIME"), "MAIL FROM:<a@example.net> BODY=8BITMIME", eight, false),
                new Case(List.of("PIPELINING"), "MAIL FROM:<a@example.net>", seven, true))) {
            try (FakeSmtpServer r = FakeSmtpServer.start()) {
                r.ehloKeywords(k.keywords().toArray(String[]::new));
                TestMessage m = TestMessage.eightBit(eight, seven);
                try (SmtpClient c = SmtpClient.connect(Destination.mx("mx.example.org", r.address()), SETTINGS)) {
                    assertThat(c.send(envelope("b@example.org"), m).getFirst().outcome()).isInstanceOf(Delivered.class);
                }
                FakeSmtpServer.Transaction t = r.takeTransaction(WAIT).orElseThrow();
                assertThat(t.mail()).isEqualTo(k.mail());
                assertThat(t.bodyText()).isEqualTo(k.body());
                assertThat(m.openedSevenBit().get() == 1).isEqualTo(k.sevenBitOpened());
            }
        }
    }

    @Test
    void smtputf8NeededButNotOfferedFailsPermanentlyWithoutSending() {
        try (SmtpClient c = connect(SETTINGS)) {
            PermanentFailure header = (PermanentFailure) c.send(envelope("b@example.org"),
                    TestMessage.utf8Header("Subject: caf\u00e9\r\n\r\nx\r\n")).getFirst().outcome();
            assertThat(header.diagnosis().status()).isEqualTo(EnhancedStatus.parse("5.6.9"));
            assertThat(header.diagnosis().text()).contains("SMTPUTF8");
            Envelope utf8Address = Envelope.of(new Path.Mailbox(EmailAddress.parse("a@example.net")),
                    List.of(EmailAddress.parse("j\u00f6rg@example.org", true)));
            PermanentFailure address = (PermanentFailure) c.send(utf8Address, TestMessage.ascii(MESSAGE)).getFirst().outcome();
            assertThat(address.diagnosis().status()).isEqualTo(EnhancedStatus.parse("5.6.7"));
        }
        assertThat(remote.verbs()).doesNotContain("MAIL");
    }

    @Test
    void smtputf8IsRequestedWhenNeededAndOffered() throws Exception {
        remote.ehloKeywords("8BITMIME", "SMTPUTF8");
        Envelope e = Envelope.of(new Path.Mailbox(EmailAddress.parse("a@example.net")),
                List.of(EmailAddress.parse("j\u00f6rg@example.org", true)));
        try (SmtpClient c = connect(SETTINGS)) {
            assertThat(c.send(e, TestMessage.utf8Header("Subject: caf\u00e9\r\n\r\nx\r\n")).getFirst().outcome())
                    .isInstanceOf(Delivered.class);
        }
        FakeSmtpServer.Transaction t = taken();
        assertThat(t.mail()).isEqualTo("MAIL FROM:<a@example.net> BODY=8BITMIME SMTPUTF8");
        assertThat(t.rcpts()).containsExactly("RCPT TO:<j\u00f6rg@example.org>");
    }

    @Test
    void twoMessagesOnOneConnectionWithRsetBetween() throws Exception {
        try (SmtpClient c = connect(SETTINGS)) {
            assertThat(send(c, "Subject: one\r\n\r\n1\r\n", "b@example.org").getFirst().outcome()).isInstanceOf(Delivered.class);
            assertThat(c.reusable()).isTrue();
            assertThat(send(c, "Subject: two\r\n\r\n2\r\n", "c@example.org").getFirst().outcome()).isInstanceOf(Delivered.class);
        }
        assertThat(taken().bodyText()).contains("one");
        assertThat(taken().bodyText()).contains("two");
        assertThat(remote.connectionCount()).isEqualTo(1);
        assertThat(remote.verbs()).containsExactly("EHLO", "MAIL", "RCPT", "DATA", "RSET", "MAIL", "RCPT", "DATA", "QUIT");
    }

    @Test
    void resetChecksAnIdleSessionAndTheNextTransactionSendsNoSecondRset() throws Exception {
        try (SmtpClient c = connect(SETTINGS)) {
            send(c, "Subject: one\r\n\r\n1\r\n", "b@example.org");
            assertThat(c.reset()).isTrue();
            assertThat(send(c, "Subject: two\r\n\r\n2\r\n", "c@example.org").getFirst().outcome()).isInstanceOf(Delivered.class);
            assertThat(c.transactions()).isEqualTo(2);
        }
        assertThat(remote.verbs()).containsExactly("EHLO", "MAIL", "RCPT", "DATA", "RSET", "MAIL", "RCPT", "DATA", "QUIT");
    }

    @Test
    void resetOfASessionTheServerClosedSaysSoAndLeavesItUnusable() {
        remote.rset(FakeSmtpServer.CLOSE);
        try (SmtpClient c = connect(SETTINGS)) {
            send(c, MESSAGE, "b@example.org");
            assertThat(c.reset()).isFalse();
            assertThat(c.reusable()).isFalse();
        }
        assertThat(remote.verbs()).containsExactly("EHLO", "MAIL", "RCPT", "DATA", "RSET");
    }

    @Test
    void aRefusedRsetBreaksTheSession() {
        remote.rset(reply(421, "4.3.2 shutting down"));
        try (SmtpClient c = connect(SETTINGS)) {
            send(c, MESSAGE, "b@example.org");
            assertThat(send(c, MESSAGE, "c@example.org").getFirst().outcome()).isInstanceOf(TemporaryFailure.class);
            assertThat(c.reusable()).isFalse();
        }
        assertThat(remote.verbs()).doesNotContain("QUIT");
    }

    /** Dot-stuffing and line endings, byte-exact on the wire (RFC 5321 §4.5.2). */
    @Test
    void dotStuffingIsByteExact() throws Exception {
        record Case(String message, String wire) {}
        for (Case k : List.of(
                new Case("a\r\n", "a\r\n.\r\n"),
                new Case(".\r\n", "..\r\n.\r\n"),
                new Case("a\r\n.b\r\n..c\r\n", "a\r\n..b\r\n...c\r\n.\r\n"),
                new Case("no final line end", "no final line end\r\n.\r\n"),
                new Case("a\r\n.", "a\r\n..\r\n.\r\n"),
                new Case("x\r\n.\r\ny\r\n", "x\r\n..\r\ny\r\n.\r\n"),   // a lone dot line must not end the data
                new Case("", ".\r\n"))) {
            try (SmtpClient c = connect(SETTINGS)) {
                send(c, k.message(), "b@example.org");
            }
            FakeSmtpServer.Transaction t = taken();
            assertThat(new String(t.wire(), UTF_8)).as(k.message()).isEqualTo(k.wire());
        }
    }

    @Test
    void dsnParametersAreSentOnlyToADsnServer() throws Exception {
        Envelope e = new Envelope(new Path.Mailbox(EmailAddress.parse("a@example.net")),
                List.of(new Envelope.Recipient(EmailAddress.parse("b@example.org"), Set.of(Notify.FAILURE, Notify.SUCCESS),
                        Optional.of("B+x=y@example.org"))),
                Optional.of("id 1+2"), Optional.of(Envelope.Ret.HDRS));
        record Case(List<String> keywords, String mail, String rcpt) {}
        for (Case k : List.of(
                new Case(List.of("DSN"), "MAIL FROM:<a@example.net> RET=HDRS ENVID=id+201+2B2",
                        "RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;B+2Bx+3Dy@example.org"),
                new Case(List.of("PIPELINING"), "MAIL FROM:<a@example.net>", "RCPT TO:<b@example.org>"))) {
            try (FakeSmtpServer r = FakeSmtpServer.start()) {
                r.ehloKeywords(k.keywords().toArray(String[]::new));
                try (SmtpClient c = SmtpClient.connect(Destination.mx("mx.example.org", r.address()), SETTINGS)) {
                    c.send(e, TestMessage.ascii(MESSAGE));
                }
                FakeSmtpServer.Transaction t = r.takeTransaction(WAIT).orElseThrow();
                assertThat(t.mail()).isEqualTo(k.mail());
                assertThat(t.rcpts()).containsExactly(k.rcpt());
            }
        }
    }

    @Test
    void theNullSenderGoesAsAnEmptyPath() throws Exception {
        try (SmtpClient c = connect(SETTINGS)) {
            c.send(Envelope.of(new Path.Null(), List.of(EmailAddress.parse("b@example.org"))), TestMessage.ascii(MESSAGE));
        }
        assertThat(taken().mail()).isEqualTo("MAIL FROM:<>");
    }

    @Test
    void garbageInsteadOfAReplyBreaksTheSessionTemporarily() {
        remote.rcpt(new FakeSmtpServer.Raw("hello there\r\n"));
        try (SmtpClient c = connect(SETTINGS)) {
            TemporaryFailure f = (TemporaryFailure) send(c, MESSAGE, "b@example.org").getFirst().outcome();
            assertThat(f.diagnosis().status()).isEqualTo(EnhancedStatus.parse("4.5.0"));
            assertThat(f.diagnosis().text()).contains("RCPT").contains("hello there");
            assertThat(c.reusable()).isFalse();
        }
    }

    @Test
    void aMessageTheStoreCannotOpenFailsBeforeMail() {
        try (SmtpClient c = connect(SETTINGS)) {
            TemporaryFailure f = (TemporaryFailure) c.send(envelope("b@example.org"), TestMessage.unreadable(0, true))
                    .getFirst().outcome();
            assertThat(f.diagnosis().text()).contains("blob missing");
            assertThat(f.diagnosis().status()).isEqualTo(EnhancedStatus.parse("4.3.0"));
            assertThat(c.reusable()).isTrue();
        }
        assertThat(remote.verbs()).containsExactly("EHLO", "QUIT");
    }

    @Test
    void aMessageThatFailsMidDataIsNeverEndedWithTheDot() throws Exception {
        try (SmtpClient c = connect(SETTINGS)) {
            TemporaryFailure f = (TemporaryFailure) c.send(envelope("b@example.org"), TestMessage.unreadable(50_000, false))
                    .getFirst().outcome();
            assertThat(f.diagnosis().text()).contains("disk error");
            assertThat(c.reusable()).isFalse();
        }
        assertThat(remote.takeTransaction(Duration.ofMillis(300))).isEmpty();
    }
}
