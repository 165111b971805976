package org.postern.server.pop3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.store.MessageMeta;

/** Raw POP3 conversations, typed as a person would, against the real store with mail delivered over SMTP. */
class Pop3SessionTest {
    static final String DOTS = "From: a@test.example\r\nSubject: dots\r\n\r\n.leading dot\r\n..two dots\r\nplain\r\n.\r\nlast line\r\n";
    static final String NO_BODY = "From: a@test.example\r\nSubject: header only\r\n";

    @TempDir
    Path dir;

    @Test
    void aPersonLogsInOverStlsListsRetrievesAndDeletesAndImapSeesTheExpunge() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            server.deliver(Pop3TestServer.USER, DOTS);
            server.deliver(Pop3TestServer.USER, NO_BODY);
            List<String> stored = server.inboxTexts(Pop3TestServer.USER);
            long size1 = stored.get(0).getBytes(UTF_8).length, size2 = stored.get(1).getBytes(UTF_8).length;

            try (Pop3Client c = new Pop3Client(server.pop3Port())) {
                c.login(Pop3TestServer.USER, Pop3TestServer.PASSWORD);
                assertThat(c.command("STAT")).isEqualTo("+OK 2 " + (size1 + size2));
                assertThat(c.command("LIST")).startsWith("+OK 2 messages");
                assertThat(c.body()).containsExactly("1 " + size1, "2 " + size2);
                assertThat(c.command("LIST 2")).isEqualTo("+OK 2 " + size2);
                assertThat(c.command("UIDL")).startsWith("+OK");
                List<String> uidl = c.body();
                assertThat(uidl).hasSize(2);
                assertThat(uidl.get(0)).matches("1 [0-9]+\\.[0-9]+");

                assertThat(c.command("RETR 1")).isEqualTo("+OK " + size1 + " octets");
                String expected = stored.get(0).replace("\r\n.", "\r\n..") + ".\r\n";
                assertThat(new String(c.rawBody(), UTF_8)).isEqualTo(expected);

                // a message without a body: TOP gives the header, RETR ends the unterminated last line
                assertThat(c.command("TOP 2 5")).startsWith("+OK");
                assertThat(c.body()).last().isEqualTo("Subject: header only");
                assertThat(c.command("TOP 1 1")).startsWith("+OK");
                List<String> top = c.body();
                assertThat(top.subList(top.indexOf(""), top.size())).containsExactly("", "..leading dot");

                c.expect("DELE 1", "+OK");
                c.expect("DELE 1", "-ERR");
                c.expect("RETR 1", "-ERR");
                assertThat(c.command("STAT")).isEqualTo("+OK 1 " + size2);
                c.expect("LIST 3", "-ERR");
                assertThat(c.command("QUIT")).startsWith("+OK");
                assertThat(c.closed()).isTrue();
            }
            List<MessageMeta> left = server.inbox(Pop3TestServer.USER);
            assertThat(left).hasSize(1);
            assertThat(server.seen(left.getFirst())).as("TOP read it: \\Seen for IMAP").isTrue();
        }
    }

    @Test
    void retrIsByteExactAcrossReadAheadAndABodyTooBigToBeReadAhead() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            String big = "Subject: big\r\n\r\n" + ("y".repeat(998) + "\r\n").repeat(200);   // 200 KB: a file body
            server.deliver(Pop3TestServer.USER, DOTS);
            server.deliver(Pop3TestServer.USER, big);
            server.deliver(Pop3TestServer.USER, NO_BODY);
            List<String> stored = server.inboxTexts(Pop3TestServer.USER);
            try (Pop3Client c = new Pop3Client(server.pop3Port())) {
                c.login(Pop3TestServer.USER, Pop3TestServer.PASSWORD);
                for (int n : new int[] {1, 2, 3, 1}) {
                    c.expect("RETR " + n, "+OK");
                    String m = stored.get(n - 1);
                    String expected = m.replace("\r\n.", "\r\n..") + (m.endsWith("\r\n") ? "" : "\r\n") + ".\r\n";
                    assertThat(new String(c.rawBody(), UTF_8)).as("RETR " + n).isEqualTo(expected);
                }
                c.expect("QUIT", "+OK");
            }
        }
    }

    @Test
    void aDroppedConnectionDeletesNothingAndNewMailShowsOnlyInTheNextSession() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            server.deliver(Pop3TestServer.USER, DOTS);
            String uidl1;
            try (Pop3Client c = new Pop3Client(server.pop3Port())) {
                c.login(Pop3TestServer.USER, Pop3TestServer.PASSWORD);
                uidl1 = c.command("UIDL 1");
                c.expect("DELE 1", "+OK");
                server.deliver(Pop3TestServer.USER, NO_BODY);
                assertThat(c.command("STAT")).startsWith("+OK 0 ");
                c.expect("RSET", "+OK maildrop has 1 messages");
                c.expect("DELE 1", "+OK");
            }   // no QUIT
            Thread.sleep(200);
            assertThat(server.inbox(Pop3TestServer.USER)).hasSize(2);
            try (Pop3Client c = new Pop3Client(server.pop3Port())) {
                c.login(Pop3TestServer.USER, Pop3TestServer.PASSWORD);
                assertThat(c.command("STAT")).startsWith("+OK 2 ");
                assertThat(c.command("UIDL 1")).as("UIDL is stable across sessions").isEqualTo(uidl1);
                c.expect("QUIT", "+OK");
            }
        }
    }

    @Test
    void anImapStyleSubscriberSeesThePop3DeletionAsAnExpungeOfExactlyThoseUids() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            for (int i = 0; i < 4; i++) server.deliver(Pop3TestServer.USER, DOTS);
            List<MessageMeta> before = server.inbox(Pop3TestServer.USER);
            java.util.concurrent.BlockingQueue<org.postern.server.store.Change> changes = new java.util.concurrent.LinkedBlockingQueue<>();
            try (var sub = server.store.subscribe(server.account(Pop3TestServer.USER), changes::add);
                 Pop3Client c = new Pop3Client(server.pop3Port())) {
                c.login(Pop3TestServer.USER, Pop3TestServer.PASSWORD);
                c.expect("DELE 2", "+OK");
                c.expect("DELE 3", "+OK");
                c.expect("DELE 4", "+OK");
                c.expect("QUIT", "+OK bye, 3 messages deleted");
                org.postern.server.store.Change change;
                do {
                    change = changes.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(change).as("an expunge change arrives").isNotNull();
                } while (!(change instanceof org.postern.server.store.Change.MessagesExpunged));
                assertThat(((org.postern.server.store.Change.MessagesExpunged) change).uids())
                        .containsExactly(before.get(1).uid(), before.get(2).uid(), before.get(3).uid());
            }
            assertThat(server.inbox(Pop3TestServer.USER)).extracting(MessageMeta::uid).containsExactly(before.get(0).uid());
        }
    }

    @Test
    void aSecondSessionOnTheSameMaildropIsRefusedWithInUse() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir);
             Pop3Client first = new Pop3Client(server.pop3Port());
             Pop3Client second = Pop3Client.tls(server.pop3sPort())) {
            first.login(Pop3TestServer.USER, Pop3TestServer.PASSWORD);
            second.greeting();
            second.expect("USER " + Pop3TestServer.USER, "+OK");
            assertThat(second.command("PASS " + Pop3TestServer.PASSWORD)).startsWith("-ERR [IN-USE]");
            first.expect("QUIT", "+OK");
            assertThat(first.closed()).isTrue();
            second.expect("USER " + Pop3TestServer.USER, "+OK");
            second.expect("PASS " + Pop3TestServer.PASSWORD, "+OK");
        }
    }

    @Test
    void beforeTlsLoginIsRefusedWithAReasonAndCapaOffersStlsOnly() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir);
             Pop3Client c = new Pop3Client(server.pop3Port())) {
            c.greeting();
            c.expect("CAPA", "+OK");
            assertThat(c.body()).contains("STLS", "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING")
                    .doesNotContain("USER", "SASL PLAIN");
            assertThat(c.command("USER " + Pop3TestServer.USER)).startsWith("-ERR").contains("STLS");
            assertThat(c.command("AUTH PLAIN")).startsWith("-ERR").contains("STLS");
            c.stls();
            c.expect("CAPA", "+OK");
            assertThat(c.body()).contains("USER", "SASL PLAIN").doesNotContain("STLS");
        }
    }
}
