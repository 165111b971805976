package org.postern.client.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.client.net.LineReader;
import org.postern.client.net.ProtocolException;
import org.postern.client.imap.Response.Code;
import org.postern.client.imap.Response.Condition;

/** Table-driven tests of the response parser, hostile input included. */
class ResponseReaderTest {
    private static ResponseReader reader(String wire) {
        return new ResponseReader(new LineReader(new ByteArrayInputStream(wire.getBytes(UTF_8))));
    }

    private static final Optional<Set<String>> NO_FLAGS = Optional.empty();

    @Test
    void parsesEachKindOfResponse() throws IOException {
        record Case(String wire, Response expected) {}
        for (Case c : List.of(
                new Case("+ go ahead\r\n", new Response.Continuation("go ahead")),
                new Case("+\r\n", new Response.Continuation("")),
                new Case("A1 OK done\r\n", new Response.Tagged("A1", Condition.OK, Optional.empty(), "done")),
                new Case("a2 no [TRYCREATE] no such mailbox\r\n",
                        new Response.Tagged("a2", Condition.NO, Optional.of(new Code.Other("TRYCREATE", "")), "no such mailbox")),
                new Case("A3 BAD\r\n", new Response.Tagged("A3", Condition.BAD, Optional.empty(), "")),
                new Case("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n",
                        new Response.Status(Condition.OK, Optional.of(new Code.UidValidity(3857529045L)), "UIDs valid")),
                new Case("* OK [UIDNEXT 4392] Predicted next UID\r\n",
                        new Response.Status(Condition.OK, Optional.of(new Code.UidNext(4392)), "Predicted next UID")),
                new Case("* OK [HIGHESTMODSEQ 715194045007]\r\n",
                        new Response.Status(Condition.OK, Optional.of(new Code.HighestModseq(715194045007L)), "")),
                new Case("* OK [NOMODSEQ] Sorry, this mailbox format doesn't support modsequences\r\n",
                        new Response.Status(Condition.OK, Optional.of(new Code.NoModseq()),
                                "Sorry, this mailbox format doesn't support modsequences")),
                new Case("A4 OK [APPENDUID 38505 3955] APPEND completed\r\n",
                        new Response.Tagged("A4", Condition.OK, Optional.of(new Code.AppendUid(38505, UidSet.of(3955))), "APPEND completed")),
                new Case("A5 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n", new Response.Tagged("A5", Condition.OK,
                        Optional.of(new Code.CopyUid(38505, List.of(304L, 319L, 320L), List.of(3956L, 3957L, 3958L))), "Done")),
                new Case("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready\r\n", new Response.Status(Condition.OK,
                        Optional.of(new Code.Capabilities(Set.of("IMAP4REV1", "STARTTLS", "AUTH=PLAIN"))), "ready")),
                new Case("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n", new Response.Status(Condition.OK,
                        Optional.of(new Code.Other("PERMANENTFLAGS", "(\\Deleted \\Seen \\*)")), "Limited")),
                new Case("* BYE going away\r\n", new Response.Status(Condition.BYE, Optional.empty(), "going away")),
                new Case("* PREAUTH hello\r\n", new Response.Status(Condition.PREAUTH, Optional.empty(), "hello")),
                new Case("* CAPABILITY IMAP4rev1 IDLE Literal+\r\n", new Response.Capability(Set.of("IMAP4REV1", "IDLE", "LITERAL+"))),
                new Case("* ENABLED QRESYNC CONDSTORE\r\n", new Response.Enabled(Set.of("QRESYNC", "CONDSTORE"))),
                new Case("* 23 EXISTS\r\n", new Response.Exists(23)),
                new Case("* 5 EXPUNGE\r\n", new Response.Expunge(5)),
                new Case("* 3 RECENT\r\n", new Response.Other("RECENT")),
                new Case("* VANISHED (EARLIER) 300:310,405,411\r\n",
                        new Response.Vanished(true, UidSet.parse("300:310,405,411"))),
                new Case("* VANISHED 405\r\n", new Response.Vanished(false, UidSet.of(405))),
                new Case("* FLAGS (\\Answered \\Flagged $Forwarded)\r\n", new Response.Flags(Set.of("\\Answered", "\\Flagged", "$Forwarded"))),
                new Case("* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n",
                        new Response.ListItem(Set.of("\\HasNoChildren", "\\Sent"), Optional.of('/'), "Sent")),
                new Case("* LIST () NIL \"with space\"\r\n", new Response.ListItem(Set.of(), Optional.empty(), "with space")),
                new Case("* LIST () \".\" {7}\r\nfoo\"bar ()\r\n", new Response.ListItem(Set.of(), Optional.of('.'), "foo\"bar")),
                new Case("* LIST () \"/\" \"a\\\"b\\\\c\"\r\n", new Response.ListItem(Set.of(), Optional.of('/'), "a\"b\\c")),
                new Case("* LIST (\\Subscribed) \"/\" x (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n",
                        new Response.ListItem(Set.of("\\Subscribed"), Optional.of('/'), "x")),
                new Case("* SEARCH 2 84 882\r\n", new Response.Search(List.of(2L, 84L, 882L), OptionalLong.empty())),
                new Case("* SEARCH\r\n", new Response.Search(List.of(), OptionalLong.empty())),
                new Case("* SEARCH 2 5 (MODSEQ 917162500)\r\n", new Response.Search(List.of(2L, 5L), OptionalLong.of(917162500))),
                new Case("* 12 FETCH (UID 7 FLAGS (\\Seen) MODSEQ (65402))\r\n", new Response.Fetch(12, OptionalLong.of(7),
                        Optional.of(Set.of("\\Seen")), OptionalLong.of(65402), Optional.empty(), OptionalLong.empty())),
                new Case("* 1 FETCH (FLAGS ())\r\n", new Response.Fetch(1, OptionalLong.empty(), Optional.of(Set.of()),
                        OptionalLong.empty(), Optional.empty(), OptionalLong.empty())),
                new Case("* 2 FETCH (INTERNALDATE \" 7-Jul-1996 02:44:25 -0700\" RFC822.SIZE 44827 UID 9)\r\n",
                        new Response.Fetch(2, OptionalLong.of(9), NO_FLAGS, OptionalLong.empty(),
                                Optional.of(Instant.parse("1996-07-07T09:44:25Z")), OptionalLong.of(44827))),
                new Case("* 3 FETCH (UID 4 ENVELOPE (NIL \"subj\" ((\"A\" NIL \"a\" \"b.c\")) NIL NIL NIL NIL NIL NIL {3}\r\n<x>))\r\n",
                        new Response.Fetch(3, OptionalLong.of(4), NO_FLAGS, OptionalLong.empty(), Optional.empty(), OptionalLong.empty())),
                new Case("* 4 FETCH (BODY[HEADER.FIELDS (FROM TO)] {6}\r\nab\r\n\r\n UID 8)\r\n",
                        new Response.Fetch(4, OptionalLong.of(8), NO_FLAGS, OptionalLong.empty(), Optional.empty(), OptionalLong.empty())),
                new Case("* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n", new Response.Other("STATUS")),
                new Case("* ID (\"name\" {4}\r\nabcd)\r\n", new Response.Other("ID")))) {
            assertThat(reader(c.wire()).next()).as(c.wire()).isEqualTo(c.expected());
        }
    }

    @Test
    void refusesMalformedResponsesWithAClearMessage() {
        record Case(String wire, String message) {}
        for (Case c : List.of(
                new Case("\r\n", "empty line"),
                new Case("garbage\r\n", "expected ' '"),
                new Case("A1 MAYBE fine\r\n", "where OK, NO or BAD belongs"),
                new Case("* 12 FETCH (UID x)\r\n", "expected a number"),
                new Case("* 12 FETCH (UID 5\r\n", "expected ' '"),
                new Case("* LIST (\\Noselect) \"/\" {5} trailing\r\n", "literal marker not at the end of the line"),
                new Case("* LIST () \"/\" \"unterminated\r\n", "unterminated quoted string"),
                new Case("* LIST () \"/\" {5}\r\nab", "connection closed by the server"),
                new Case("* 1 EXISTS extra\r\n", "unexpected data after the response"),
                new Case("* VANISHED (EARLIER) 0:4\r\n", "UID out of range"),
                new Case("* VANISHED (LATER) 4\r\n", "where (EARLIER) belongs"),
                new Case("A1 OK [COPYUID 1 1:3 5:6] x\r\n", "COPYUID with 3 source and 2 new UIDs"),
                new Case("* SEARCH 1 99999999999999999999\r\n", "number too large"),
                new Case("* 1 FETCH (UID 1 INTERNALDATE \"yesterday\")\r\n", "bad INTERNALDATE"),
                new Case("* 1 EXISTS", "connection closed by the server"),
                new Case("* 1 FETCH (X " + "(".repeat(ImapClientLimits.MAX_NESTING + 5) + ")\r\n", "nested more than"))) {
            assertThatThrownBy(() -> reader(c.wire()).next()).as(c.wire()).isInstanceOf(IOException.class)
                    .hasMessageContaining(c.message());
        }
    }

    @Test
    void aStringLiteralIsAcceptedAtTheLimitAndRefusedOnePastItBeforeAnyByteIsRead() throws IOException {
        long max = ImapClientLimits.MAX_STRING_LITERAL;
        String name = "x".repeat((int) max);
        Response r = reader("* LIST () \"/\" {" + max + "}\r\n" + name + "\r\n").next();
        assertThat(((Response.ListItem) r).name()).hasSize((int) max);

        // one past: refused from the marker alone; the bytes are never sent, so nothing was allocated for them
        assertThatThrownBy(() -> reader("* LIST () \"/\" {" + (max + 1) + "}\r\n").next())
                .isInstanceOf(ProtocolException.class).hasMessageContaining("literal of " + (max + 1) + " bytes");
    }

    @Test
    void aStreamedLiteralPastItsLimitIsRefusedFromTheMarker() {
        long past = ImapClientLimits.MAX_STREAMED_LITERAL + 1;
        assertThatThrownBy(() -> reader("* 1 FETCH (UID 1 BODY[] {" + past + "}\r\n").next((f, s, in) -> {}))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("literal of " + past + " bytes");
        assertThatThrownBy(() -> reader("* 1 FETCH (UID 1 BODY[] {99999999999999999999}\r\n").next())
                .isInstanceOf(ProtocolException.class).hasMessageContaining("bad literal size");
    }

    @Test
    void aStreamedLiteralAtItsLimitIsHandedToTheSink() {
        long max = ImapClientLimits.MAX_STREAMED_LITERAL;
        List<Long> announced = new ArrayList<>();
        // the marker is accepted and the sink called; the 2 GiB never come, so skipping the rest ends the stream
        assertThatThrownBy(() -> reader("* 1 FETCH (UID 1 BODY[] {" + max + "}\r\n").next((f, s, in) -> announced.add(max)))
                .isInstanceOf(java.io.EOFException.class).hasMessageContaining("of " + max + " announced bytes unread");
        assertThat(announced).containsExactly(max);
    }

    @Test
    void listsAreSkippedNestedToTheLimitAndRefusedOnePastIt() throws IOException {
        int max = ImapClientLimits.MAX_NESTING;
        String atLimit = "* 1 FETCH (UID 1 X " + "(".repeat(max) + "a" + ")".repeat(max) + ")\r\n";
        assertThat(((Response.Fetch) reader(atLimit).next()).uid()).hasValue(1);
        String past = "* 1 FETCH (UID 1 X " + "(".repeat(max + 1) + "a" + ")".repeat(max + 1) + ")\r\n";
        assertThatThrownBy(() -> reader(past).next()).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("nested more than " + max + " deep");
    }

    @Test
    void aLineIsAcceptedAtTheLimitAndRefusedOnePastIt() throws IOException {
        int max = ImapClientLimits.MAX_LINE_BYTES;
        String prefix = "* SEARCH";
        StringBuilder b = new StringBuilder(max + 10).append(prefix);
        while (b.length() < max - 1) b.append(" 1");
        if (b.length() < max) b.append('1');        // exactly max bytes before CRLF
        assertThat(b.length()).isEqualTo(max);
        Response r = reader(b + "\r\n").next();
        assertThat(((Response.Search) r).numbers()).isNotEmpty();

        assertThatThrownBy(() -> reader(b + "1\r\n").next()).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("longer than " + max + " bytes");
    }

    @Test
    void tooManyLiteralsInOneResponseAreRefused() throws IOException {
        int max = ImapClientLimits.MAX_LITERALS_PER_RESPONSE;
        assertThat(((Response.Fetch) reader(idWithLiterals(max)).next()).uid()).hasValue(1);
        assertThatThrownBy(() -> reader(idWithLiterals(max + 1)).next()).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("more than " + max + " literals");
    }

    private static String idWithLiterals(int n) {
        StringBuilder b = new StringBuilder("* 1 FETCH (UID 1 X (");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : " ").append("{1}\r\na");
        return b.append("))\r\n").toString();
    }

    @Test
    void aBodyLiteralIsStreamedToTheSinkAndWhatItLeavesIsSkipped() throws IOException {
        String wire = "* 1 FETCH (UID 5 FLAGS (\\Seen) INTERNALDATE \"01-Jan-2024 10:00:00 +0000\" RFC822.SIZE 10 "
                + "BODY[] {10}\r\n0123456789 MODSEQ (7))\r\n* 2 FETCH (UID 6 BODY[] ~{4}\r\nabcd)\r\nA1 OK done\r\n";
        ResponseReader r = reader(wire);
        List<String> seen = new ArrayList<>();
        Response first = r.next((soFar, section, body) -> {
            byte[] three = body.readNBytes(3);       // reads less than the whole literal
            seen.add(soFar.uid().getAsLong() + ":" + section + ":" + new String(three, UTF_8) + ":" + soFar.size().getAsLong());
        });
        assertThat(first).isEqualTo(new Response.Fetch(1, OptionalLong.of(5), Optional.of(Set.of("\\Seen")),
                OptionalLong.of(7), Optional.of(Instant.parse("2024-01-01T10:00:00Z")), OptionalLong.of(10)));
        Response second = r.next((soFar, section, body) -> seen.add(new String(body.readAllBytes(), UTF_8)));
        assertThat(((Response.Fetch) second).uid()).hasValue(6);
        assertThat(seen).containsExactly("5:BODY[]:012:10", "abcd");
        assertThat(r.next()).isInstanceOf(Response.Tagged.class);
    }

    @Test
    void aBodyIsStreamedNotBufferedSoALargeOneNeedsNoMemory() throws IOException {
        long size = 64L * 1024 * 1024;
        InputStream wire = new SequenceInputStream(java.util.Collections.enumeration(List.of(
                new ByteArrayInputStream(("* 1 FETCH (UID 1 BODY[] {" + size + "}\r\n").getBytes(UTF_8)),
                repeat((byte) 'x', size),
                new ByteArrayInputStream(")\r\n".getBytes(UTF_8)))));
        ResponseReader r = new ResponseReader(new LineReader(wire));
        long[] counted = {0};
        r.next((soFar, section, body) -> {
            byte[] buf = new byte[8192];
            for (int n; (n = body.read(buf)) > 0; ) counted[0] += n;
        });
        assertThat(counted[0]).isEqualTo(size);
    }

    private static InputStream repeat(byte b, long count) {
        return new InputStream() {
            long left = count;

            @Override
            public int read() {
                if (left == 0) return -1;
                left--;
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) {
                if (left == 0) return -1;
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(buf, off, off + n, b);
                left -= n;
                return n;
            }
        };
    }

    @Test
    void theBodyOfAFetchIsNilWhenTheServerHasNone() throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Response r = reader("* 1 FETCH (UID 3 BODY[] NIL)\r\n").next((f, s, in) -> in.transferTo(got));
        assertThat(((Response.Fetch) r).uid()).hasValue(3);
        assertThat(got.size()).isZero();
    }
}
