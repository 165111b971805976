package org.postern.client.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.client.net.Endpoint;
import org.postern.client.net.ProtocolException;
import org.postern.client.testing.ScriptedServer;

/** ImapClient against scripted servers: what Postern never does, but other servers (or attackers) may. */
class ImapClientScriptedTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String PLAIN_CAPS = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR UIDPLUS] ready\r\n";

    @Test
    void waitsForTheContinuationBeforeSendingALiteralWithoutLiteralPlus() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send(PLAIN_CAPS);
            c.expect("A1 AUTHENTICATE PLAIN [A-Za-z0-9+/=]+");
            c.send("A1 OK [CAPABILITY IMAP4rev1 UIDPLUS] logged in\r\n");
            c.expect("A2 UID SEARCH HEADER Subject \\{8\\}");
            c.send("+ go ahead\r\n");
            c.bytes(8);
            c.expect("");
            c.send("* SEARCH 4 2\r\nA2 OK done\r\n");
            c.expect("A3 UID SEARCH HEADER Subject \\{2000\\}");
            c.send("A3 NO [TOOBIG] that is too much\r\n");      // refuses the literal: its bytes must not follow
            c.expect("A4 NOOP");
            c.send("A4 OK noop\r\n");
            c.awaitClose();
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                client.login("u", "p".toCharArray(), true);
                assertThat(client.uidSearchHeader("Subject", "a\r\nA9 X\"")).containsExactly(2L, 4L);
                assertThatThrownBy(() -> client.uidSearchHeader("Subject", "\n".repeat(2000)))
                        .isInstanceOf(ProtocolException.class).hasMessageContaining("TOOBIG");
                client.noop();
            }
            assertThat(server.failure()).isEmpty();
            assertThat(server.received()).contains("a\r\nA9 X\"");
        }
    }

    @Test
    void logsInWithLoginAndMovesByCopyStoreAndExpungeWithoutMove() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send("* OK [CAPABILITY IMAP4rev1 UIDPLUS] ready\r\n");
            c.expect(java.util.regex.Pattern.quote("A1 LOGIN \"user name\" \"p\\\\w \\\"q\\\"\""));
            c.send("A1 OK [CAPABILITY IMAP4rev1 UIDPLUS] in\r\n");
            c.expect("A2 UID COPY 3:4 Archive");
            c.send("A2 OK [COPYUID 99 3:4 11:12] copied\r\n");
            c.expect("A3 UID STORE 3:4 \\+FLAGS.SILENT \\(\\\\Deleted\\)");
            c.send("A3 OK stored\r\n");
            c.expect("A4 UID EXPUNGE 3:4");
            c.send("* 3 EXPUNGE\r\n* 3 EXPUNGE\r\nA4 OK gone\r\n");
            c.awaitClose();
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                client.login("user name", "p\\w \"q\"".toCharArray(), true);
                assertThat(client.move(UidSet.of(3, 4), "Archive")).containsExactly(java.util.Map.entry(3L, 11L),
                        java.util.Map.entry(4L, 12L));
                assertThat(client.drainUnsolicited()).containsExactly(new ImapClient.Unsolicited.Expunge(3),
                        new ImapClient.Unsolicited.Expunge(3));
            }
            assertThat(server.failure()).isEmpty();
        }
    }

    @Test
    void withoutUidPlusAMoveExpungesOnlyWhenNoOtherMessageIsMarkedDeleted() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send(PLAIN_CAPS.replace(" UIDPLUS", ""));
            c.expect("A1 UID COPY 5 Work");
            c.send("A1 OK copied\r\n");
            c.expect("A2 UID STORE 5 \\+FLAGS.SILENT \\(\\\\Deleted\\)");
            c.send("A2 OK\r\n");
            c.expect("A3 UID SEARCH DELETED");
            c.send("* SEARCH 5 9\r\nA3 OK\r\n");          // 9 is someone else's: no EXPUNGE
            c.expect("A4 UID COPY 6 Work");
            c.send("A4 OK copied\r\n");
            c.expect("A5 UID STORE 6 \\+FLAGS.SILENT \\(\\\\Deleted\\)");
            c.send("A5 OK\r\n");
            c.expect("A6 UID SEARCH DELETED");
            c.send("* SEARCH 6\r\nA6 OK\r\n");
            c.expect("A7 EXPUNGE");
            c.send("A7 OK\r\n");
            c.awaitClose();
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                assertThat(client.move(UidSet.of(5), "Work")).isEmpty();
                assertThat(client.move(UidSet.of(6), "Work")).isEmpty();
                assertThatThrownBy(() -> client.uidExpunge(UidSet.of(1))).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("UIDPLUS");
            }
            assertThat(server.failure()).isEmpty();
        }
    }

    @Test
    void appendWaitsForTheContinuationAndStreamsTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("m.eml");
        java.nio.file.Files.writeString(file, "Subject: x\r\n\r\nbody\r\n", US_ASCII);
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send(PLAIN_CAPS);
            c.expect(java.util.regex.Pattern.quote("A1 APPEND \"Sent Items\" (\\Seen) \"05-Mar-2024 10:00:00 +0000\" {20}"));
            c.send("+ Ready for literal data\r\n");
            c.bytes(20);
            c.expect("");
            c.send("A1 OK [APPENDUID 1710 77] APPEND completed\r\n");
            c.awaitClose();
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                try {
                    assertThat(client.append("Sent Items", java.util.Set.of("\\Seen"),
                            java.util.Optional.of(java.time.Instant.parse("2024-03-05T10:00:00Z")), file))
                            .hasValue(new ImapClient.AppendUid(1710, 77));
                } catch (IOException e) {
                    throw new AssertionError("server side: " + server.failure(), e);
                }
            }
            assertThat(server.failure()).isEmpty();
            assertThat(server.received()).contains("Subject: x\r\n\r\nbody\r\n");
        }
    }

    @Test
    void dataInjectedBehindTheStartTlsAnswerEndsTheConnection() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n");
            c.expect("A1 STARTTLS");
            c.send("A1 OK begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n");
            c.awaitClose();
        })) {
            assertThatThrownBy(() -> ImapClient.connect(server.endpoint(Endpoint.Security.STARTTLS), TIMEOUT))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("injection");
        }
    }

    @Test
    void startTlsUpgradesAndCapabilitiesAreAskedAgain() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n");
            c.expect("A1 STARTTLS");
            c.send("A1 OK begin TLS\r\n");
            c.startTls();
            c.expect("A2 CAPABILITY");
            c.send("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA2 OK done\r\n");
            c.expect("A3 AUTHENTICATE PLAIN");
            c.send("+ \r\n");
            c.expect("[A-Za-z0-9+/=]+");
            c.send("A3 OK welcome\r\n");
            c.expect("A4 CAPABILITY");
            c.send("* CAPABILITY IMAP4rev1 MOVE\r\nA4 OK done\r\n");
            c.awaitClose();
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.STARTTLS), TIMEOUT)) {
                assertThat(client.capabilities()).containsExactlyInAnyOrder("IMAP4REV1", "AUTH=PLAIN");
                client.login("u", "p".toCharArray(), false);       // no SASL-IR: waits for "+"
                assertThat(client.has("MOVE")).isTrue();
            }
            assertThat(server.failure()).isEmpty();
        }
    }

    @Test
    void refusesToGoOnWithoutTlsWhenStartTlsIsNotPossible() throws Exception {
        record Case(String greeting, String message) {}
        for (Case k : List.of(
                new Case("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] no tls here\r\n", "does not offer STARTTLS"),
                new Case("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] you are in\r\n", "PREAUTH"),
                new Case("* BYE [UNAVAILABLE] too many connections\r\n", "too many connections"),
                new Case("220 smtp.example.org ESMTP\r\n", "malformed IMAP response"))) {
            try (ScriptedServer server = ScriptedServer.start(c -> {
                c.send(k.greeting());
                c.awaitClose();
            })) {
                assertThatThrownBy(() -> ImapClient.connect(server.endpoint(Endpoint.Security.STARTTLS), TIMEOUT))
                        .as(k.greeting()).isInstanceOf(ProtocolException.class).hasMessageContaining(k.message());
            }
        }
    }

    @Test
    void aBodyThatComesBeforeItsUidIsSpooledAndStillReachesTheConsumer() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send(PLAIN_CAPS);
            c.expect("A1 UID FETCH 7 \\(UID FLAGS INTERNALDATE RFC822.SIZE\\)");
            c.send("* 1 FETCH (UID 7 FLAGS (\\Seen) INTERNALDATE \"01-Feb-2024 08:00:00 +0100\" RFC822.SIZE 5)\r\nA1 OK\r\n");
            c.expect("A2 UID FETCH 7 \\(UID BODY.PEEK\\[\\]\\)");
            c.send("* 1 FETCH (BODY[] {5}\r\nhello UID 7)\r\nA2 OK\r\n");
            c.awaitClose();
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                List<String> got = new ArrayList<>();
                client.fetchMessages(UidSet.of(7), (m, body) -> got.add(m.uid() + " " + m.flags() + " " + m.size() + " "
                        + m.internalDate() + " " + new String(body.readAllBytes(), US_ASCII)));
                assertThat(got).containsExactly("7 [\\Seen] 5 2024-02-01T07:00:00Z hello");
            }
            assertThat(server.failure()).isEmpty();
        }
    }

    @Test
    void aServerThatStopsAnsweringTimesOutAndAnUnknownTagIsAnError() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send(PLAIN_CAPS);
            c.expect("A1 NOOP");
            c.awaitClose();     // never answers
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.PLAINTEXT), Duration.ofMillis(300))) {
                assertThatThrownBy(client::noop).isInstanceOf(SocketTimeoutException.class);
                assertThatThrownBy(client::noop).isInstanceOf(ProtocolException.class).hasMessageContaining("earlier error");
            }
        }
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send(PLAIN_CAPS);
            c.expect("A1 NOOP");
            c.send("* BYE shutting down for maintenance\r\n");
            c.close();
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                assertThatThrownBy(client::noop).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("shutting down for maintenance");
            }
        }
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send(PLAIN_CAPS);
            c.expect("A1 NOOP");
            c.send("B7 OK what\r\n");
            c.awaitClose();
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                assertThatThrownBy(client::noop).isInstanceOf(ProtocolException.class).hasMessageContaining("tag B7");
            }
        }
    }

    @Test
    void withLiteralMinusALiteralAtTheLimitIsSentAtOnceAndOnePastItWaitsForTheContinuation() throws Exception {
        int max = ImapClient.LITERAL_MINUS_MAX;
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send("* OK [CAPABILITY IMAP4rev1 LITERAL-] ready\r\n");
            c.expect("A1 UID SEARCH HEADER Subject \\{" + max + "\\+\\}");
            c.bytes(max);
            c.expect("");
            c.send("A1 OK done\r\n");
            c.expect("A2 UID SEARCH HEADER Subject \\{" + (max + 1) + "\\}");
            c.send("+ go ahead\r\n");
            c.bytes(max + 1);
            c.expect("");
            c.send("A2 OK done\r\n");
            c.awaitClose();
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                assertThat(client.uidSearchHeader("Subject", "\n".repeat(max))).isEmpty();
                assertThat(client.uidSearchHeader("Subject", "\n".repeat(max + 1))).isEmpty();
            }
            assertThat(server.failure()).isEmpty();
        }
    }

    @Test
    void qresyncSendsKnownUidsUpToTheirLimitAndLeavesOutALongerSet() throws Exception {
        int max = ImapClientLimits.MAX_UID_SET_CHARS;
        UidSet atLimit = uidsWrittenIn(max), past = uidsWrittenIn(max + 1);
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send("* OK [CAPABILITY IMAP4rev1 ENABLE QRESYNC] ready\r\n");
            c.expect("A1 ENABLE QRESYNC");
            c.send("* ENABLED QRESYNC\r\nA1 OK\r\n");
            c.expect(java.util.regex.Pattern.quote("A2 SELECT INBOX (QRESYNC (7 100 " + atLimit + "))"));
            c.send("A2 OK [READ-WRITE] selected\r\n");
            c.expect(java.util.regex.Pattern.quote("A3 SELECT INBOX (QRESYNC (7 100))"));
            c.send("A3 OK [READ-WRITE] selected\r\n");
            c.awaitClose();
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                client.enable("QRESYNC");
                client.select("INBOX", java.util.Optional.of(new ImapClient.Qresync(7, 100, atLimit)));
                client.select("INBOX", java.util.Optional.of(new ImapClient.Qresync(7, 100, past)));
            }
            assertThat(server.failure()).isEmpty();
        }
    }

    /** 1399 odd four-digit UIDs and one more of {@code chars - 6995} digits: a set written in exactly {@code chars}. */
    private static UidSet uidsWrittenIn(int chars) {
        List<Long> uids = new ArrayList<>();
        for (long u = 1001; uids.size() < 1399; u += 2) uids.add(u);
        uids.add(5 * (long) Math.pow(10, chars - 6995 - 1));
        UidSet set = UidSet.of(uids);
        assertThat(set.toString()).hasSize(chars);
        return set;
    }

    @Test
    void moreUntaggedResponsesToOneCommandThanTheLimitStopTheClient() throws Exception {
        int max = ImapClientLimits.MAX_UNSOLICITED;
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send(PLAIN_CAPS);
            c.expect("A1 NOOP");
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= max + 1; i++) {
                b.append("* ").append(i).append(" EXISTS\r\n");
                if (b.length() > 1 << 20) {
                    c.send(b.toString());
                    b.setLength(0);
                }
            }
            c.send(b + "A1 OK\r\n");
            c.awaitClose();
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                assertThatThrownBy(client::noop).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("more than " + max + " untagged responses to one command");
            }
        }
    }

    @Test
    void tooManyUnsolicitedResponsesToOneCommandStopTheClient() throws Exception {
        int max = ImapClientLimits.MAX_UNSOLICITED;
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send(PLAIN_CAPS);
            c.expect("A1 NOOP");
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= max; i++) {
                b.append("* ").append(i).append(" EXISTS\r\n");
                if (b.length() > 1 << 20) {
                    c.send(b.toString());
                    b.setLength(0);
                }
            }
            c.send(b + "A1 OK\r\n");
            c.expect("A2 NOOP");
            c.send("* 1 EXISTS\r\nA2 OK\r\n");
            c.awaitClose();
        })) {
            try (ImapClient client = ImapClient.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                client.noop();      // exactly the limit: kept
                assertThatThrownBy(client::noop).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("more than " + max + " unsolicited responses");
            }
        }
    }
}
