package org.postern.wire.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.wire.imap.ImapWire.responses;
import static org.postern.wire.imap.ImapWriter.Condition.BAD;
import static org.postern.wire.imap.ImapWriter.Condition.NO;
import static org.postern.wire.imap.ImapWriter.Condition.OK;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ImapWriterTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ImapWriter w = new ImapWriter(out);

    private String written() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String writtenAfter(ImapWriter.Body body) throws IOException {
        out.reset();
        w.untagged(body);
        return written();
    }

    @Test
    void aCapturedItemIsWrittenAndRepeatsVerbatimInLaterResponses() throws IOException {
        ImapWriter.Rendered[] kept = new ImapWriter.Rendered[1];
        String first = writtenAfter(r -> {
            r.number(1).atom("FETCH").open().atom("ENVELOPE");
            kept[0] = r.capture(e -> e.open().string("Mon, 7 Feb 1994").string("a \"quoted\" line\r\nand more").nil().close())
                    .orElseThrow();
            r.atom("UID").number(5).close();
        });
        String again = writtenAfter(r -> r.number(2).atom("FETCH").open().atom("ENVELOPE").rendered(kept[0]).atom("UID").number(6).close());

        String envelope = "(\"Mon, 7 Feb 1994\" {25}\r\na \"quoted\" line\r\nand more NIL)";
        assertThat(first).isEqualTo("* 1 FETCH (ENVELOPE " + envelope + " UID 5)\r\n");
        assertThat(again).as("the same bytes, still a literal where the writer chose one").isEqualTo("* 2 FETCH (ENVELOPE " + envelope + " UID 6)\r\n");
        assertThat(kept[0].length()).isEqualTo(envelope.length());
        assertThat(kept[0].utf8()).isFalse();
    }

    @Test
    void aRenderedItemIsRefusedInTheOtherUtf8Mode() throws IOException {
        ImapWriter.Rendered[] kept = new ImapWriter.Rendered[1];
        writtenAfter(r -> kept[0] = r.capture(e -> e.string("caf\u00e9")).orElseThrow());
        assertThat(written()).as("8-bit before UTF-8 is enabled: a literal").isEqualTo("* {5}\r\ncaf\u00e9\r\n");
        w.enableUtf8();
        assertThatThrownBy(() -> w.untagged(r -> r.rendered(kept[0]))).isInstanceOf(IllegalArgumentException.class);
        writtenAfter(r -> kept[0] = r.capture(e -> e.string("caf\u00e9")).orElseThrow());
        assertThat(written()).isEqualTo("* \"caf\u00e9\"\r\n");
        assertThat(kept[0].utf8()).isTrue();
        assertThat(kept[0].ascii()).isFalse();
        assertThat(kept[0].usableIn(false)).isFalse();
    }

    /** A 7-bit item, quoted or a literal, is written alike in both modes, so either may write it again. */
    @Test
    void aSevenBitRenderedItemIsWrittenInEitherUtf8Mode() throws IOException {
        ImapWriter.Rendered[] kept = new ImapWriter.Rendered[1];
        writtenAfter(r -> kept[0] = r.capture(e -> e.open().string("plain").string("two\r\nlines").close()).orElseThrow());
        String rev1 = written();
        assertThat(kept[0].ascii()).isTrue();
        assertThat(kept[0].usableIn(true)).isTrue();
        w.enableUtf8();
        assertThat(writtenAfter(r -> r.rendered(kept[0]))).isEqualTo(rev1).isEqualTo("* (\"plain\" {10}\r\ntwo\r\nlines)\r\n");
        ImapWriter.Rendered[] again = new ImapWriter.Rendered[1];
        assertThat(writtenAfter(r -> again[0] = r.capture(e -> e.open().string("plain").string("two\r\nlines").close())
                .orElseThrow())).as("what a UTF-8 session writes itself").isEqualTo(rev1);
        assertThat(again[0].usableIn(false)).isTrue();
    }

    @Test
    void anItemThatCrossesABufferFlushIsWrittenButNotKept() throws IOException {
        String big = "x".repeat(ImapWriter.MAX_QUOTED);
        List<java.util.Optional<ImapWriter.Rendered>> kept = new ArrayList<>();
        String response = writtenAfter(r -> {
            for (int i = 0; i < 5; i++) kept.add(r.capture(e -> e.open().string(big).close()));
        });
        // items of 4,100 bytes: the buffer (16 KiB) is full in the fourth, which goes out across the flush
        assertThat(kept).extracting(java.util.Optional::isPresent).containsExactly(true, true, true, false, true);
        String item = "(\"" + big + "\")";
        assertThat(response).isEqualTo("* " + String.join(" ", java.util.Collections.nCopies(5, item)) + "\r\n");
        assertThat(kept.getFirst().orElseThrow().length()).isEqualTo(item.length());
    }

    @Test
    void aBatchFlushesOnceAtItsEndWhileSingleResponsesFlushEachTime() throws IOException {
        List<String> flushed = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
            }

            @Override
            public void flush() {
                flushed.add(bytes.toString(StandardCharsets.US_ASCII));
            }
        };
        ImapWriter w = new ImapWriter(out);
        w.untagged(r -> r.number(1).atom("EXISTS"));
        assertThat(flushed).containsExactly("* 1 EXISTS\r\n");
        w.batch(() -> {
            for (int n = 1; n <= 3; n++) {
                int seq = n;
                w.untagged(r -> r.number(seq).atom("FETCH").open().atom("UID").number(seq).close());
            }
            assertThat(flushed).as("nothing flushed inside the batch").hasSize(1);
        });
        assertThat(flushed).hasSize(2);
        assertThat(flushed.get(1)).endsWith("* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\n* 3 FETCH (UID 3)\r\n");
        w.tagged("a1", OK, "done");
        assertThat(flushed).as("after the batch, responses flush again").hasSize(3);
    }

    @Test
    void writesTaggedUntaggedByeAndContinuationLines() throws IOException {
        w.untagged(OK, ResponseCode.capability(List.of("IMAP4rev2", "IMAP4rev1", "AUTH=PLAIN")), "Postern ready");
        w.untagged(OK, ResponseCode.uidValidity(3857529045L), "UIDs valid");
        w.untagged(NO, "disk is filling up");
        w.tagged("a001", OK, "LOGIN completed");
        w.tagged("A142", OK, ResponseCode.READ_WRITE, "SELECT completed");
        w.tagged("a2", NO, ResponseCode.TRYCREATE, "no such mailbox");
        w.tagged("a3", BAD, "unknown command");
        w.continuation("Ready for literal data");
        w.challenge(new byte[0]);
        w.challenge("ab".getBytes(StandardCharsets.US_ASCII));
        w.bye("Logging out");
        w.bye(ResponseCode.ALERT, "shutting down");
        w.preauth(ResponseCode.capability(List.of("IMAP4rev2")), "welcome back");
        assertThat(written()).isEqualTo("""
                * OK [CAPABILITY IMAP4rev2 IMAP4rev1 AUTH=PLAIN] Postern ready\r
                * OK [UIDVALIDITY 3857529045] UIDs valid\r
                * NO disk is filling up\r
                a001 OK LOGIN completed\r
                A142 OK [READ-WRITE] SELECT completed\r
                a2 NO [TRYCREATE] no such mailbox\r
                a3 BAD unknown command\r
                + Ready for literal data\r
                + \r
                + YWI=\r
                * BYE Logging out\r
                * BYE [ALERT] shutting down\r
                * PREAUTH [CAPABILITY IMAP4rev2] welcome back\r
                """);
    }

    @Test
    void choosesQuotedOrLiteralForEachString() throws IOException {
        record Case(String value, boolean utf8, String wire) {}
        for (Case c : List.of(
                new Case("", false, "\"\""),
                new Case("plain text", false, "\"plain text\""),
                new Case("atomlike", false, "\"atomlike\""),
                new Case("NIL", false, "\"NIL\""),
                new Case("say \"hi\" \\o/", false, "\"say \\\"hi\\\" \\\\o/\""),
                new Case("tab\there", false, "\"tab\there\""),
                new Case("café", false, "{5}\r\ncafé"),
                new Case("café", true, "\"café\""),
                new Case("😀", true, "\"😀\""),
                new Case("two\r\nlines", false, "{10}\r\ntwo\r\nlines"),
                new Case("two\r\nlines", true, "{10}\r\ntwo\r\nlines"),
                new Case("bare\nLF", true, "{7}\r\nbare\nLF"),
                new Case("bare\rCR", true, "{7}\r\nbare\rCR"),
                new Case("x".repeat(ImapWriter.MAX_QUOTED), false, "\"" + "x".repeat(ImapWriter.MAX_QUOTED) + "\""),
                new Case("x".repeat(ImapWriter.MAX_QUOTED + 1), false,
                        "{" + (ImapWriter.MAX_QUOTED + 1) + "}\r\n" + "x".repeat(ImapWriter.MAX_QUOTED + 1)))) {
            ImapWriter writer = new ImapWriter(out);
            if (c.utf8()) writer.enableUtf8();
            out.reset();
            writer.untagged(r -> r.string(c.value()));
            assertThat(written()).as(c.value() + (c.utf8() ? " (utf8)" : "")).isEqualTo("* " + c.wire() + "\r\n");
        }
    }

    @Test
    void writesAstringsAsAtomsOnlyWhenTheyAreAtoms() throws IOException {
        record Case(String value, String wire) {}
        for (Case c : List.of(
                new Case("INBOX", "INBOX"),
                new Case("a]b", "a]b"),
                new Case("nil", "\"nil\""),
                new Case("", "\"\""),
                new Case("with space", "\"with space\""),
                new Case("star*", "\"star*\""),
                new Case("pct%", "\"pct%\""),
                new Case("brace{", "\"brace{\""),
                new Case("paren(", "\"paren(\""),
                new Case("a\r\nb", "{4}\r\na\r\nb"))) {
            assertThat(writtenAfter(r -> r.astring(c.value()))).as(c.value()).isEqualTo("* " + c.wire() + "\r\n");
        }
    }

    @Test
    void spellsMailboxNamesInModifiedUtf7UntilUtf8IsEnabled() throws IOException {
        record Case(String name, String rev1, String utf8) {}
        List<Case> cases = List.of(
                new Case("INBOX", "INBOX", "INBOX"),
                new Case("Entwürfe", "Entw&APw-rfe", "\"Entwürfe\""),
                new Case("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-", "\"~peter/mail/台北/日本語\""),
                new Case("Tom & Jerry", "\"Tom &- Jerry\"", "\"Tom & Jerry\""),
                new Case("Sent Items", "\"Sent Items\"", "\"Sent Items\""));
        for (Case c : cases) {
            assertThat(writtenAfter(r -> r.mailbox(c.name()))).as(c.name()).isEqualTo("* " + c.rev1() + "\r\n");
        }
        w.enableUtf8();
        for (Case c : cases) {
            assertThat(writtenAfter(r -> r.mailbox(c.name()))).as(c.name()).isEqualTo("* " + c.utf8() + "\r\n");
        }
    }

    @Test
    void separatesItemsWithSingleSpacesAndGluesOnRequest() throws IOException {
        String line = writtenAfter(r -> r.number(12).atom("FETCH").open()
                .atom("FLAGS").flags(List.of("\\Seen", "$Forwarded"))
                .atom("UID").number(4827313)
                .token("BODY[1.HEADER.FIELDS (DATE FROM)]<0>").nil()
                .atom("X").open().open().nil().close().glue().open().nil().close().close()
                .atom("EMPTY").flags(List.of())
                .close());
        assertThat(line).isEqualTo("* 12 FETCH (FLAGS (\\Seen $Forwarded) UID 4827313 "
                + "BODY[1.HEADER.FIELDS (DATE FROM)]<0> NIL X ((NIL)(NIL)) EMPTY ())\r\n");
    }

    @Test
    void writesNstringsAsNilOrString() throws IOException {
        assertThat(writtenAfter(r -> r.nstring(Optional.empty()).nstring(Optional.of("")).nstring(Optional.of("x"))))
                .isEqualTo("* NIL \"\" \"x\"\r\n");
    }

    @Test
    void writesBinaryLiteralsWithTheirNulsAndPlainLiteralsWithout() throws IOException {
        byte[] data = {'a', 0, 'b', (byte) 0xFF};
        out.reset();
        w.untagged(r -> r.literal8(data).literal(data).literal8(new ByteArrayInputStream(data), 4)
                .literal(new ByteArrayInputStream(data), 4));
        byte[] expected = concat("* ~{4}\r\n".getBytes(StandardCharsets.US_ASCII), data,
                " {4}\r\na".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0x80, 'b', (byte) 0xFF},
                " ~{4}\r\n".getBytes(StandardCharsets.US_ASCII), data,
                " {4}\r\na".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0x80, 'b', (byte) 0xFF, '\r', '\n'});
        assertThat(out.toByteArray()).isEqualTo(expected);
    }

    @Test
    void stringOfBytesIsQuotedOnlyWhenItIsTextTheClientAccepts() throws IOException {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9};
        byte[] utf8 = "café".getBytes(StandardCharsets.UTF_8);
        assertThat(writtenAfter(r -> r.string("plain".getBytes(StandardCharsets.US_ASCII)))).isEqualTo("* \"plain\"\r\n");
        assertThat(writtenAfter(r -> r.string(utf8))).isEqualTo("* {5}\r\ncafé\r\n");
        w.enableUtf8();
        assertThat(writtenAfter(r -> r.string(utf8))).isEqualTo("* \"café\"\r\n");
        out.reset();
        w.untagged(r -> r.string(latin1));        // not UTF-8: only a literal can carry it
        assertThat(out.toByteArray()).isEqualTo(concat("* {4}\r\n".getBytes(StandardCharsets.US_ASCII), latin1,
                "\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void streamsALiteralLargerThanItsBuffersWithoutChangingIt() throws IOException {
        byte[] body = new byte[ImapWriter.BUFFER_BYTES * 5 + 17];
        for (int i = 0; i < body.length; i++) body[i] = (byte) (i % 250 + 1);
        out.reset();
        w.untagged(r -> r.number(1).atom("FETCH").open().token("BODY[]")
                .literal(new TrickleInputStream(body), body.length).close());
        byte[] wire = out.toByteArray();
        String head = "* 1 FETCH (BODY[] {" + body.length + "}\r\n";
        assertThat(new String(wire, 0, head.length(), StandardCharsets.US_ASCII)).isEqualTo(head);
        assertThat(Arrays.copyOfRange(wire, head.length(), head.length() + body.length)).isEqualTo(body);
        assertThat(new String(wire, head.length() + body.length, 3, StandardCharsets.US_ASCII)).isEqualTo(")\r\n");
    }

    @Test
    void sanitizesResponseTextSoItStaysOneLineAndIsNotReadAsACode() throws IOException {
        record Case(String text, boolean utf8, String wire) {}
        for (Case c : List.of(
                new Case("bad\r\n* OK [ALERT] hacked", false, "a NO bad  * OK [ALERT] hacked"),
                new Case("nul\0tab\tdel\u007f", false, "a NO nul tab del "),
                new Case("Grüße", false, "a NO Gr??e"),
                new Case("Grüße", true, "a NO Grüße"),
                new Case("[ALERT] forged", false, "a NO (ALERT] forged"))) {
            ImapWriter writer = new ImapWriter(out);
            if (c.utf8()) writer.enableUtf8();
            out.reset();
            writer.tagged("a", NO, c.text());
            assertThat(responses(out)).as(c.text()).containsExactly(c.wire());
        }
        out.reset();
        w.tagged("a", NO, ResponseCode.NONEXISTENT, "[bracket] is fine after a code");
        assertThat(written()).isEqualTo("a NO [NONEXISTENT] [bracket] is fine after a code\r\n");
        out.reset();
        w.continuation("go\r\n* BYE");
        assertThat(written()).isEqualTo("+ go  * BYE\r\n");
    }

    @Test
    void mailboxNameWithCrlfCannotForgeAResponse() throws IOException {
        String evil = "INBOX\r\n* OK [ALERT] hacked";
        ImapWriter.Body list = r -> r.atom("LIST").flags(List.of("\\HasNoChildren")).string("/").mailbox(evil);
        w.untagged(list);
        w.tagged("a1", OK, "LIST completed");
        assertThat(responses(out)).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" \"INBOX&AA0ACg-* OK [ALERT] hacked\"",
                "a1 OK LIST completed");

        out.reset();
        w.enableUtf8();
        w.untagged(list);
        w.tagged("a2", OK, "LIST completed");
        assertThat(responses(out)).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" {26}\r\nINBOX\r\n* OK [ALERT] hacked",
                "a2 OK LIST completed");
    }

    @Test
    void headerValueWithCrlfInsideALiteralStaysInsideIt() throws IOException {
        // a literal that itself contains "{n}" CRLF and a tagged-looking line
        String subject = "x {5}\r\na1 OK [ALERT] hacked\r\n";
        w.untagged(r -> r.number(1).atom("FETCH").open().token("BODY[HEADER.FIELDS (SUBJECT)]").string(subject).close());
        w.tagged("a1", OK, "FETCH completed");
        List<String> responses = responses(out);
        assertThat(responses).hasSize(2);
        assertThat(responses.get(0)).isEqualTo("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {"
                + subject.length() + "}\r\n" + subject + ")");
        assertThat(responses.get(1)).isEqualTo("a1 OK FETCH completed");
    }

    @Test
    void numbersAreWrittenInDecimalFromZeroToTheLargestNumber64() throws IOException {
        record Case(long n, String wire) {}
        for (Case c : List.of(new Case(0, "0"), new Case(7, "7"), new Case(10, "10"), new Case(4827313, "4827313"),
                new Case(1_000_000_000_000L, "1000000000000"), new Case(Long.MAX_VALUE, "9223372036854775807"))) {
            assertThat(writtenAfter(r -> r.number(c.n()).atom("EXISTS").number(c.n()))).as("%d", c.n())
                    .isEqualTo("* " + c.wire() + " EXISTS " + c.wire() + "\r\n");
        }
    }

    @Test
    void anAtomMadeOnceIsWrittenLikeTheSameAtomAndRefusedWhenItIsNotOne() throws IOException {
        ImapWriter.Atom fetch = ImapWriter.Atom.of("FETCH");
        assertThat(writtenAfter(r -> r.number(1).atom(fetch).open().atom(ImapWriter.Atom.of("UID")).number(9).close()))
                .isEqualTo(writtenAfter(r -> r.number(1).atom("FETCH").open().atom("UID").number(9).close()))
                .isEqualTo("* 1 FETCH (UID 9)\r\n");
        assertThat(fetch).hasToString("FETCH");
        for (String bad : List.of("", "a b", "a\r\n", "(x", "x]", "é")) {
            assertThatThrownBy(() -> ImapWriter.Atom.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        ImapWriter.Response[] outside = {null};
        w.untagged(r -> outside[0] = r.number(1).atom("EXISTS"));
        assertThatThrownBy(() -> outside[0].atom(fetch)).as("outside its response")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesValuesThatAreNotWhatTheirTypeSays() {
        record Case(String what, ImapWriter.Body body) {}
        for (Case c : List.of(
                new Case("atom with space", r -> r.atom("a b")),
                new Case("atom with CRLF", r -> r.atom("a\r\n")),
                new Case("empty atom", r -> r.atom("")),
                new Case("flag with space", r -> r.flag("\\a b")),
                new Case("token with LF", r -> r.token("BODY[]\n")),
                new Case("token with 8-bit", r -> r.token("é")),
                new Case("negative number", r -> r.number(-1)))) {
            assertThatThrownBy(() -> w.untagged(c.body())).as(c.what()).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> w.tagged("a+b", OK, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.tagged("a\r\n* OK", OK, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.tagged("", OK, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.tagged("a", OK, " \r\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResponseCode.of("ALERT", "x]y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResponseCode.of("ALERT", "x\r\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResponseCode.of("AL ERT")).isInstanceOf(IllegalArgumentException.class);
        assertThat(out.size()).as("nothing refused reached the wire").isZero();
    }

    @Test
    void aResponseRefusedBeforeAnythingWasSentLeavesTheWriterUsable() throws IOException {
        assertThatThrownBy(() -> w.untagged(r -> r.number(3).atom("FETCH").open().atom("bad atom")))
                .isInstanceOf(IllegalArgumentException.class);
        w.untagged(r -> r.number(3).atom("EXISTS"));
        assertThat(written()).isEqualTo("* 3 EXISTS\r\n");
    }

    @Test
    void aLiteralWhoseSourceEndsEarlyMakesTheWriterRefuseFurtherResponses() throws IOException {
        assertThatThrownBy(() -> w.untagged(r -> r.token("BODY[]").literal(new ByteArrayInputStream(new byte[3]), 10)))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> w.tagged("a", OK, "done")).isInstanceOf(IOException.class)
                .hasMessageContaining("unusable");
        assertThat(written()).startsWith("* BODY[] {10}\r\n").doesNotContain("a OK");
    }

    @Test
    void responseValuesCannotBeWrittenAfterTheirResponseEnded() throws IOException {
        ImapWriter.Response[] kept = new ImapWriter.Response[1];
        w.untagged(r -> {
            kept[0] = r;
            r.atom("OK");
        });
        assertThatThrownBy(() -> kept[0].atom("late")).isInstanceOf(IllegalStateException.class);
        assertThat(written()).isEqualTo("* OK\r\n");
    }

    @Test
    void aResponseCannotBeStartedInsideAnother() throws IOException {
        assertThatThrownBy(() -> w.untagged(r -> {
            r.number(1).atom("FETCH");
            w.untagged(inner -> inner.number(2).atom("EXISTS"));
        })).isInstanceOf(IllegalStateException.class);
        assertThat(out.size()).isZero();
        w.untagged(r -> r.number(2).atom("EXISTS"));
        assertThat(written()).isEqualTo("* 2 EXISTS\r\n");
    }

    @Test
    void responsesFromTwoThreadsNeverInterleave() throws Exception {
        OutputStream slow = new OutputStream() {      // many small writes, so interleaving would show
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    out.write(b[off + i]);
                    if (i % 4096 == 0) Thread.yield();
                }
            }
        };
        ImapWriter shared = new ImapWriter(slow);
        int perThread = 200;
        byte[] body = "x".repeat(ImapWriter.BUFFER_BYTES + 100).getBytes(StandardCharsets.US_ASCII);
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> failures = new ArrayList<>();
        Thread idle = Thread.ofVirtual().start(() -> run(start, failures, () -> {
            for (int i = 1; i <= perThread; i++) {
                long n = i;
                shared.untagged(r -> r.number(n).atom("EXISTS"));
            }
        }));
        Thread session = Thread.ofVirtual().start(() -> run(start, failures, () -> {
            for (int i = 1; i <= perThread; i++) {
                long n = i;
                shared.untagged(r -> r.number(n).atom("FETCH").open().token("BODY[]")
                        .literal(new ByteArrayInputStream(body), body.length).close());
            }
        }));
        start.countDown();
        idle.join();
        session.join();
        assertThat(failures).isEmpty();
        List<String> responses = responses(out);
        assertThat(responses).hasSize(2 * perThread);
        String fetchTail = " FETCH (BODY[] {" + body.length + "}\r\n" + new String(body, StandardCharsets.US_ASCII) + ")";
        assertThat(responses).allMatch(s -> s.matches("\\* \\d+ EXISTS") || s.matches("\\* \\d+" + java.util.regex.Pattern.quote(fetchTail)));
    }

    @Test
    void exclusivelyKeepsSeveralResponsesTogether() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> {
            try {
                w.exclusively(() -> {
                    w.untagged(r -> r.number(4).atom("EXISTS"));
                    inside.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    w.tagged("a1", OK, "NOOP completed");
                });
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        inside.await();
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                w.untagged(r -> r.number(2).atom("EXPUNGE"));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(50);
        release.countDown();
        holder.join();
        other.join();
        assertThat(responses(out)).containsExactly("* 4 EXISTS", "a1 OK NOOP completed", "* 2 EXPUNGE");
    }

    private interface IoRun {
        void run() throws Exception;
    }

    private static void run(CountDownLatch start, List<Throwable> failures, IoRun work) {
        try {
            start.await();
            work.run();
        } catch (Throwable t) {
            synchronized (failures) {
                failures.add(t);
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    /** Hands out at most 1000 bytes per read, as a socket or file stream may. */
    private static final class TrickleInputStream extends InputStream {
        private final byte[] data;
        private int pos;

        TrickleInputStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) return -1;
            int n = Math.min(Math.min(len, 1000), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void theResponseBufferIsHeldOnlyBetweenReleases() throws Exception {
        assertThat(w.holdsBuffer()).isFalse();   // a new connection holds none
        w.tagged("a1", OK, "one");
        assertThat(w.holdsBuffer()).isTrue();
        w.release();
        assertThat(w.holdsBuffer()).isFalse();
        w.batch(() -> {
            w.untagged(OK, "two");
            w.release();   // inside a batch: kept
            assertThat(w.holdsBuffer()).isTrue();
            w.untagged(OK, "three");
        });
        w.release();
        w.tagged("a2", OK, "four");
        assertThat(written()).isEqualTo("a1 OK one\r\n* OK two\r\n* OK three\r\na2 OK four\r\n");
    }
}
