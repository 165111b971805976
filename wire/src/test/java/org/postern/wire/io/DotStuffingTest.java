package org.postern.wire.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every case is written whole, a byte at a time (both {@code write} methods) and in two halves split at every
 * position: a line start, a CR and its LF, or the blank line after the header arriving in different writes
 * must not change a byte of the output.
 */
class DotStuffingTest {
    /** What {@link DotStuffing#all} or {@link DotStuffing#top} makes of {@code in}; {@code top < 0}: all. */
    record Case(String in, long top, String out) {}

    private static final long ALL = -1;
    private static final String MSG = "A: 1\r\nB: 2\r\n\r\nl1\r\n.l2\r\nl3\r\n";

    @Test
    void theWholeMessageIsDotStuffedAndEndsWithADotLine() {
        check(List.of(
                new Case("a\r\nb\r\n", ALL, "a\r\nb\r\n.\r\n"),
                new Case(".x\r\n", ALL, "..x\r\n.\r\n"),
                new Case("..\r\n", ALL, "...\r\n.\r\n"),
                new Case("a.b\r\n. \r\nc.\r\n", ALL, "a.b\r\n.. \r\nc.\r\n.\r\n"),   // only a dot at a line start
                new Case("H: v\r\n\r\n.\r\n", ALL, "H: v\r\n\r\n..\r\n.\r\n"),    // a lone "." is not the end
                new Case("H: v\r\n\r\nx\r\n.\r\ny\r\n", ALL, "H: v\r\n\r\nx\r\n..\r\ny\r\n.\r\n"),
                new Case(".\r\n", ALL, "..\r\n.\r\n"),
                new Case(".", ALL, "..\r\n.\r\n"),
                new Case("\r\n.\r\n", ALL, "\r\n..\r\n.\r\n"),
                new Case(MSG, ALL, "A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\nl3\r\n.\r\n")));
    }

    @Test
    void aMessageWithoutFinalCrlfGetsOneBeforeTheDot() {
        check(List.of(
                new Case("abc", ALL, "abc\r\n.\r\n"),
                new Case("H: v\r\n\r\nlast", ALL, "H: v\r\n\r\nlast\r\n.\r\n"),
                new Case("H: v\r\n\r\n.last", ALL, "H: v\r\n\r\n..last\r\n.\r\n"),
                new Case("abc\r", ALL, "abc\r\n.\r\n")));   // a CR left at the end is completed, not doubled
    }

    @Test
    void anEmptyMessageIsJustTheDot() {
        check(List.of(
                new Case("", ALL, ".\r\n"),
                new Case("", 0, ".\r\n"),
                new Case("", 5, ".\r\n")));
    }

    @Test
    void aHeaderOnlyMessageIsAllHeaderForTop() {
        check(List.of(
                new Case("A: 1\r\nB: 2\r\n", ALL, "A: 1\r\nB: 2\r\n.\r\n"),
                new Case("A: 1\r\nB: 2\r\n", 0, "A: 1\r\nB: 2\r\n.\r\n"),
                new Case("A: 1\r\nB: 2\r\n", 3, "A: 1\r\nB: 2\r\n.\r\n"),
                new Case("A: 1\r\nB: 2", 0, "A: 1\r\nB: 2\r\n.\r\n")));
    }

    @Test
    void topPassesTheHeaderTheBlankLineAndAtMostNBodyLines() {
        String header = "A: 1\r\nB: 2\r\n\r\n";
        check(List.of(
                new Case(MSG, 0, header + ".\r\n"),
                new Case(MSG, 1, header + "l1\r\n.\r\n"),
                new Case(MSG, 2, header + "l1\r\n..l2\r\n.\r\n"),
                new Case(MSG, 3, header + "l1\r\n..l2\r\nl3\r\n.\r\n"),   // exactly the body
                new Case(MSG, 4, header + "l1\r\n..l2\r\nl3\r\n.\r\n"),   // one past it
                new Case(MSG, Integer.MAX_VALUE, header + "l1\r\n..l2\r\nl3\r\n.\r\n"),
                new Case(MSG, Long.MAX_VALUE, header + "l1\r\n..l2\r\nl3\r\n.\r\n"),
                new Case("A: 1\r\n\r\n\r\n\r\nx\r\n", 2, "A: 1\r\n\r\n\r\n\r\n.\r\n"),   // blank body lines count
                new Case("A: 1\r\n\r\nno end", 1, "A: 1\r\n\r\nno end\r\n.\r\n"),
                new Case("A: 1\r\n\r\nno end", 0, "A: 1\r\n\r\n.\r\n"),
                new Case("\r\nbody\r\n", 0, "\r\n.\r\n"),   // no header at all: the first line is the blank one
                new Case("\r\n.body\r\n", 1, "\r\n..body\r\n.\r\n")));
    }

    @Test
    void lfOnlyLineEndsGoOutAsCrlf() {
        // RFC 1939 §3: every line of a multi-line response ends with CRLF, whatever the stored message has
        check(List.of(
                new Case("a\nb\n", ALL, "a\r\nb\r\n.\r\n"),
                new Case("A: 1\n\n.x\nbody\n", ALL, "A: 1\r\n\r\n..x\r\nbody\r\n.\r\n"),
                new Case("A: 1\n\nl1\nl2\n", 1, "A: 1\r\n\r\nl1\r\n.\r\n"),
                new Case("A: 1\n\nl1\nl2\n", 0, "A: 1\r\n\r\n.\r\n"),
                new Case("A: 1\r\n\nl1\r\nl2\n", 1, "A: 1\r\n\r\nl1\r\n.\r\n"),   // mixed
                new Case("\n", ALL, "\r\n.\r\n"),
                new Case("x\n.\n", ALL, "x\r\n..\r\n.\r\n")));
    }

    @Test
    void aCrNotBeforeLfIsLeftInTheLine() {
        check(List.of(
                new Case("a\rb\r\n", ALL, "a\rb\r\n.\r\n"),
                new Case("a\r.b\r\n", ALL, "a\r.b\r\n.\r\n"),   // not a line start: no stuffing
                new Case("A: 1\r\n\r\r\nbody\r\n", 0, "A: 1\r\n\r\r\nbody\r\n.\r\n")));   // "\r" is not a blank line
    }

    @Test
    void aNegativeLineCountIsRefused() {
        assertThatThrownBy(() -> DotStuffing.top(new ByteArrayOutputStream(), -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nothingIsWrittenPastTheTopLimitEvenInTheSameWrite() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffing d = DotStuffing.top(out, 1);
        d.write(MSG.getBytes(UTF_8));
        d.write("more\r\n.more\r\n".getBytes(UTF_8));
        assertThat(out.toString(UTF_8)).isEqualTo("A: 1\r\nB: 2\r\n\r\nl1\r\n");
        d.finish();
        assertThat(out.toString(UTF_8)).isEqualTo("A: 1\r\nB: 2\r\n\r\nl1\r\n.\r\n");
    }

    @Test
    void topIsDoneRightAfterItsLastLineSoTheCallerCanStopReadingTheMessage() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffing one = DotStuffing.top(out, 1);
        one.write("A: 1\r\n\r\nl1\r".getBytes(UTF_8));
        assertThat(one.done()).isFalse();
        one.write('\n');
        assertThat(one.done()).isTrue();

        DotStuffing zero = DotStuffing.top(out, 0);
        zero.write("A: 1\r\n".getBytes(UTF_8));
        assertThat(zero.done()).isFalse();
        zero.write("\r\n".getBytes(UTF_8));
        assertThat(zero.done()).as("TOP n 0: done at the blank line").isTrue();

        DotStuffing all = DotStuffing.all(out);
        all.write(MSG.getBytes(UTF_8));
        assertThat(all.done()).isFalse();
        all.finish();
        assertThat(all.done()).isTrue();
    }

    @Test
    void linesThatNeedNoChangeGoOutInOneWriteAndOnlyChangedLinesSplitIt() throws IOException {
        List<String> writes = new ArrayList<>();
        java.io.OutputStream recorder = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                writes.add(String.valueOf((char) b));
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(new String(b, off, len, UTF_8));
            }
        };
        DotStuffing d = DotStuffing.all(recorder);
        byte[] clean = "Subject: x\r\n\r\nline 1\r\nline 2\r\n".getBytes(UTF_8);
        d.write(clean, 0, clean.length);
        assertThat(writes).containsExactly("Subject: x\r\n\r\nline 1\r\nline 2\r\n");
        writes.clear();
        byte[] dirty = "a\r\n.b\r\nc\nd\r\n".getBytes(UTF_8);
        d.write(dirty, 0, dirty.length);
        assertThat(String.join("", writes)).isEqualTo("a\r\n..b\r\nc\r\nd\r\n");
        assertThat(writes).containsExactly("a\r\n", ".", ".b\r\nc", "\r\n", "d\r\n");
    }

    @Test
    void writesHonourOffsetAndLength() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffing d = DotStuffing.all(out);
        byte[] b = "xxx.a\r\nyyy".getBytes(UTF_8);
        d.write(b, 3, 4);   // ".a\r\n"
        d.write(b, 0, 0);
        d.finish();
        assertThat(out.toString(UTF_8)).isEqualTo("..a\r\n.\r\n");
    }

    private static void check(List<Case> cases) {
        for (Case c : cases) {
            String name = (c.top() < 0 ? "all " : "top " + c.top() + " ") + c.in().replace("\r", "\\r").replace("\n", "\\n");
            byte[] in = c.in().getBytes(UTF_8);
            assertThat(whole(in, c.top())).as(name + " (whole)").isEqualTo(c.out());
            assertThat(bytewise(in, c.top(), false)).as(name + " (write(byte[]) a byte at a time)").isEqualTo(c.out());
            assertThat(bytewise(in, c.top(), true)).as(name + " (write(int) a byte at a time)").isEqualTo(c.out());
            for (int split = 0; split <= in.length; split++)
                assertThat(halves(in, c.top(), split)).as(name + " (split at " + split + ")").isEqualTo(c.out());
        }
    }

    private static DotStuffing open(ByteArrayOutputStream out, long top) {
        return top < 0 ? DotStuffing.all(out) : DotStuffing.top(out, top);
    }

    private static String whole(byte[] in, long top) {
        return run(top, d -> d.write(in));
    }

    private static String bytewise(byte[] in, long top, boolean singleByteWrite) {
        return run(top, d -> {
            for (int i = 0; i < in.length; i++) {
                if (singleByteWrite) d.write(in[i]);
                else d.write(in, i, 1);
            }
        });
    }

    private static String halves(byte[] in, long top, int split) {
        return run(top, d -> {
            d.write(in, 0, split);
            d.write(in, split, in.length - split);
        });
    }

    private interface Writes {
        void to(DotStuffing d) throws IOException;
    }

    private static String run(long top, Writes writes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            DotStuffing d = open(out, top);
            writes.to(d);
            d.finish();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toString(UTF_8);
    }
}
