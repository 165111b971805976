package org.postern.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.config.Cidr;
import org.postern.server.store.Delivery;
import org.postern.wire.Secret;
import org.postern.wire.sasl.SaslPlain;

/** What ends up in the store: envelopes, routing, and the header prefix the server adds. */
class SmtpDeliveryTest {
    private static void send(RawClient c, String from, List<String> rcpts, String message) throws IOException {
        c.expect("MAIL FROM:<" + from + ">", "250");
        for (String r : rcpts) c.expect("RCPT TO:<" + r + ">", "250");
        c.expect("DATA", "354");
        c.expect(message + "\r\n.", "250 2.0.0 OK queued as");
    }

    @Test
    void mxDeliveryGetsReturnPathAndReceivedButNoAddedMessageIdOrDate(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            send(c, "sender@elsewhere.example", List.of("mjl@example.org"), "Subject: hi\r\n\r\nbody line\r\n..dot");
            String stored = server.inbox(TestServer.USER).getFirst();
            assertThat(stored).startsWith("Return-Path: <sender@elsewhere.example>\r\nReceived: from client.example ([127.0.0.1])\r\n"
                    + "\tby mx.example.org (Postern) with ESMTP id ");
            assertThat(stored).containsPattern("\r\n\tfor <mjl@example.org>;\r\n\t\\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000\r\n");
            assertThat(stored).endsWith("\r\nSubject: hi\r\n\r\nbody line\r\n.dot\r\n");
            assertThat(stored).doesNotContain("Message-ID:").doesNotContain("\nDate:");
        }
    }

    @Test
    void receivedNamesNoRecipientWhenThereAreSeveral(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.greeting();
            c.expect("HELO old.example", "250");
            send(c, "sender@elsewhere.example", List.of("mjl@example.org", "other@example.org"), "Subject: two\r\n\r\nx");
            String stored = server.inbox(TestServer.OTHER).getFirst();
            assertThat(stored).contains("Received: from old.example ([127.0.0.1])").contains(" with SMTP id ").doesNotContain("for <");
        }
    }

    @Test
    void aliasIsDeliveredOncePerAccountAndForwardedToItsExternalTarget(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            // the alias reaches mjl and other, and mjl is also named directly: mjl still gets one copy
            send(c, "sender@elsewhere.example", List.of(TestServer.ALIAS, "mjl@example.org", "MJL+x@example.org"),
                    "Subject: team\r\n\r\nx");
            assertThat(server.deliveries()).isEqualTo(1);
            Delivery d = server.store.deliveries.getFirst();
            assertThat(d.localAccounts()).containsExactly(server.account(TestServer.USER).id(), server.account(TestServer.OTHER).id());
            assertThat(d.outbound()).hasValueSatisfying(o -> {
                assertThat(o.recipients()).containsExactly(TestServer.EXTERNAL);
                assertThat(o.envelopeFrom()).isEqualTo("sender@elsewhere.example");
            });
            String forwarded = server.outboundText().getFirst();
            assertThat(forwarded).startsWith("Received: from client.example").doesNotContain("Return-Path");
            assertThat(forwarded.length()).isEqualTo(d.outbound().get().size());
            String local = server.inbox(TestServer.USER).getFirst();
            assertThat(local.length()).isEqualTo(d.local().size());
        }
    }

    @Test
    void relayNetworksMayRelayWithoutAuthButOthersMayNot(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withRelayNetworks(List.of(Cidr.parse("127.0.0.0/8"))));
             RawClient c = server.mxClient()) {
            c.hello();
            send(c, "app@example.org", List.of("someone@elsewhere.example", "mjl@example.org"), "Subject: relayed\r\n\r\nx");
            assertThat(server.outbound()).singleElement().satisfies(o -> assertThat(o.recipients()).containsExactly("someone@elsewhere.example"));
            assertThat(server.inbox(TestServer.USER)).hasSize(1);
        }
        try (TestServer server = TestServer.start(dir.resolve("other"), TestServer.settings().withRelayNetworks(List.of(Cidr.parse("10.0.0.0/8"))));
             RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<app@example.org>", "250");
            c.expect("RCPT TO:<someone@elsewhere.example>", "550 5.7.1");
        }
    }

    @Test
    void dsnParametersAndTheBodyTypeAreQueuedWithTheMessage(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withRelayNetworks(List.of(Cidr.parse("127.0.0.0/8"))));
             RawClient c = server.mxClient()) {
            c.hello();
            // RFC 3461 §4: RET and ENVID on MAIL, NOTIFY and ORCPT on RCPT; BODY=8BITMIME kept for the relay
            c.expect("MAIL FROM:<app@example.org> RET=HDRS ENVID=QQ+2B314 BODY=8BITMIME", "250");
            c.expect("RCPT TO:<someone@elsewhere.example> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;Someone@elsewhere.example", "250");
            c.expect("RCPT TO:<plain@elsewhere.example>", "250");
            c.expect("DATA", "354");
            c.expect("Subject: dsn\r\n\r\nx\r\n.", "250 2.0.0 OK queued as");

            var o = server.store.deliveries.getFirst().outbound().orElseThrow();
            assertThat(o.options().ret()).contains(org.postern.wire.dsn.Ret.HDRS);
            assertThat(o.options().envelopeId()).contains(new org.postern.wire.dsn.EnvelopeId("QQ+314"));
            assertThat(o.options().eightBit()).isTrue();
            assertThat(o.options().smtpUtf8()).isFalse();
            assertThat(o.rcpts().get(0).notifyOn()).contains(org.postern.wire.dsn.Notify.parse("DELAY,SUCCESS"));
            assertThat(o.rcpts().get(0).orcpt()).contains(org.postern.wire.dsn.OriginalRecipient.rfc822("Someone@elsewhere.example"));
            assertThat(o.rcpts().get(1)).isEqualTo(Delivery.OutboundRecipient.of("plain@elsewhere.example"));
        }
    }

    @Test
    void notifySuccessForALocalRecipientSendsTheSenderADeliveredNotice(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<" + TestServer.OTHER + "> ENVID=local-1", "250");
            c.expect("RCPT TO:<mjl@example.org> NOTIFY=SUCCESS ORCPT=rfc822;MJL@example.org", "250");
            c.expect("DATA", "354");
            c.expect("Subject: tell me\r\n\r\nx\r\n.", "250 2.0.0 OK queued as");

            assertThat(server.inbox(TestServer.USER)).hasSize(1);
            assertThat(server.inbox(TestServer.OTHER)).singleElement().satisfies(dsn -> assertThat(dsn).startsWith("Return-Path: <>")
                    .contains("Action: delivered", "Final-Recipient: rfc822; mjl@example.org",
                            "Original-Recipient: rfc822; MJL@example.org", "Original-Envelope-Id: local-1"));
            // without NOTIFY=SUCCESS, no notice
            c.expect("MAIL FROM:<" + TestServer.OTHER + ">", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            c.expect("DATA", "354");
            c.expect("Subject: quiet\r\n\r\nx\r\n.", "250 2.0.0 OK queued as");
            assertThat(server.inbox(TestServer.OTHER)).hasSize(1);
        }
    }

    @Test
    void dsnParametersNeedEhlo(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.greeting();
            c.expect("HELO old.example", "250");
            c.expect("MAIL FROM:<a@elsewhere.example>", "250");
            c.expect("RCPT TO:<mjl@example.org> NOTIFY=NEVER", "555 5.5.4");
        }
    }

    @Test
    void nullSenderGetsAnEmptyReturnPath(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            send(c, "", List.of("mjl@example.org"), "Subject: bounce\r\n\r\nx");
            assertThat(server.inbox(TestServer.USER).getFirst()).startsWith("Return-Path: <>\r\n");
        }
    }

    @Test
    void submissionAddsMissingMessageIdAndDateOnly(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, TestServer.settings().withAllowPlaintextAuth(true));
             RawClient c = server.submissionClient()) {
            c.hello();
            c.expect("AUTH PLAIN " + SaslPlain.encode(TestServer.USER, Secret.of(TestServer.PASSWORD)), "235");
            send(c, TestServer.USER, List.of("other@example.org", "friend@elsewhere.example"), "Subject: no ids\r\n\r\nx");
            send(c, TestServer.USER, List.of("other@example.org"),
                    "Message-ID: <mine@example.org>\r\nDATE: Thu, 26 Nov 2026 10:00:00 +0000\r\nSubject: ids\r\n\r\nx");
            send(c, TestServer.USER, List.of("other@example.org"),
                    "Subject: body mentions them\r\n\r\nMessage-ID: <not-a-header@x>\r\nDate: no");

            List<String> inbox = server.inbox(TestServer.OTHER);
            assertThat(inbox.get(0)).containsPattern("\r\nMessage-ID: <[0-9A-Z]{16}@mx\\.example\\.org>\r\nDate: .*\r\nSubject: no ids");
            assertThat(inbox.get(0)).contains(" with ESMTPA id ");   // RFC 3848: authenticated, no TLS
            assertThat(server.outboundText().getFirst()).contains("\r\nMessage-ID: <").contains("\r\nDate: ");
            assertThat(inbox.get(1)).doesNotContain("Message-ID: <0").containsOnlyOnce("Message-ID:").containsOnlyOnce("DATE:");
            assertThat(inbox.get(1).toLowerCase()).containsOnlyOnce("\ndate:");
            assertThat(inbox.get(2).split("\r\n\r\n")[0]).contains("Message-ID: <").contains("Date: ");
        }
    }

    @Test
    void submissionOverImplicitTlsIsRecordedAsEsmtpsa(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = RawClient.tls(server.submissions.port())) {
            c.greeting();
            RawClient.Reply ehlo = c.command("EHLO client.example");
            assertThat(ehlo.text()).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            c.expect("AUTH PLAIN " + SaslPlain.encode(TestServer.USER, Secret.of(TestServer.PASSWORD)), "235 2.7.0");
            send(c, TestServer.USER, List.of("other@example.org"), "Subject: tls\r\n\r\nx");
            assertThat(server.inbox(TestServer.OTHER).getFirst()).contains(" with ESMTPSA id ");
        }
    }

    @Test
    void smtputf8TransactionIsRecordedAsUtf8smtp(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            c.expect("MAIL FROM:<jösé@elsewhere.example> SMTPUTF8", "250");
            c.expect("RCPT TO:<mjl@example.org>", "250");
            c.expect("DATA", "354");
            c.expect("Subject: ü\r\n\r\nü\r\n.", "250");
            assertThat(server.inbox(TestServer.USER).getFirst()).startsWith("Return-Path: <jösé@elsewhere.example>\r\n")
                    .contains(" with UTF8SMTP id ");
        }
    }

    @Test
    void pipelinedCommandsGetTheirRepliesInOrderAndInOneBatch(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir); RawClient c = server.mxClient()) {
            c.hello();
            // RFC 2920 §3: MAIL, RCPT… and DATA may be sent in one go; DATA is the last of the group
            c.send("MAIL FROM:<a@elsewhere.example>\r\nRCPT TO:<mjl@example.org>\r\nRCPT TO:<nobody@example.org>\r\n"
                    + "RCPT TO:<other@example.org>\r\nDATA\r\n");
            assertThat(c.reply().last()).startsWith("250 2.1.0");
            assertThat(c.reply().last()).startsWith("250 2.1.5");
            assertThat(c.reply().last()).startsWith("550 5.1.1");
            assertThat(c.reply().last()).startsWith("250 2.1.5");
            assertThat(c.reply().last()).startsWith("354");
            c.send("Subject: pipelined\r\n\r\nx\r\n.\r\nMAIL FROM:<a@elsewhere.example>\r\nRCPT TO:<mjl@example.org>\r\nQUIT\r\n");
            assertThat(c.reply().last()).startsWith("250 2.0.0 OK queued");
            assertThat(c.reply().last()).startsWith("250 2.1.0");
            assertThat(c.reply().last()).startsWith("250 2.1.5");
            assertThat(c.reply().last()).startsWith("221");
            assertThat(server.inbox(TestServer.OTHER)).hasSize(1);
        }
    }

    /** RFC 2920 §3.1: replies to pipelined commands come in command order. (That they go out in one flush is
     *  {@code WireInputTest.flushesOnlyWhenTheBufferIsEmpty}'s concern.) */
    @Test
    void pipelinedCommandsGetTheirRepliesInOrder(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir); java.net.Socket s = new java.net.Socket("127.0.0.1", server.mx.port())) {
            s.setSoTimeout(5000);
            var in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);   // greeting
            assertThat(new String(buf, 0, n)).startsWith("220 ");
            s.getOutputStream().write(("EHLO a.example\r\nMAIL FROM:<a@elsewhere.example>\r\nRCPT TO:<nobody@example.org>\r\n"
                    + "RCPT TO:<mjl@example.org>\r\nNOOP\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder got = new StringBuilder();
            while (!got.toString().endsWith("250 2.0.0 OK\r\n")) {
                n = in.read(buf);
                assertThat(n).as("replies so far: " + got).isPositive();
                got.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII));
            }
            java.util.List<String> finals = got.toString().lines().filter(l -> l.length() > 3 && l.charAt(3) == ' ').toList();
            assertThat(finals).hasSize(5);
            assertThat(finals.get(0)).isEqualTo("250 CHUNKING");      // EHLO's last line
            assertThat(finals.get(1)).startsWith("250 2.1.0");        // MAIL
            assertThat(finals.get(2)).startsWith("550 5.1.1");        // unknown local recipient, refused at RCPT
            assertThat(finals.get(3)).startsWith("250 2.1.5");        // RCPT
            assertThat(finals.get(4)).isEqualTo("250 2.0.0 OK");     // NOOP
        }
    }
}
