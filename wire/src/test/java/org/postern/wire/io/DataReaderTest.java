package org.postern.wire.io;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataReaderTest {
    private static final long BIG = 1 << 20;

    record Read(DataResult result, String stored, String after) {}

    private static Read read(String wire, long maxBytes, int maxLine) throws IOException {
        WireInput in = new WireInput(new ByteArrayInputStream(wire.getBytes(ISO_8859_1)), 1000, () -> {});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataResult r = DataReader.read(in, out, maxBytes, maxLine);
        StringBuilder rest = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) rest.append((char) b);
        return new Read(r, out.toString(ISO_8859_1), rest.toString());
    }

    record Case(String wire, String message) {}

    @Test
    void unstuffsDotsAndEndsAtCrlfDotCrlf() throws IOException {
        for (var c : List.of(
                new Case(".\r\n", ""),
                new Case("a\r\n.\r\n", "a\r\n"),
                new Case("Subject: x\r\n\r\nbody\r\n.\r\n", "Subject: x\r\n\r\nbody\r\n"),
                new Case("..\r\n.\r\n", ".\r\n"),
                new Case("...\r\n.\r\n", "..\r\n"),
                new Case("..x\r\n.\r\n", ".x\r\n"),
                new Case("a.\r\n.b\r\n.\r\n", "a.\r\nb\r\n"),
                new Case("a\r\n. \r\n.\r\n", "a\r\n \r\n"),
                new Case("\r\n\r\n.\r\n", "\r\n\r\n"))) {
            Read r = read(c.wire() + "QUIT\r\n", BIG, 1000);
            assertThat(r.result()).as(c.wire()).isEqualTo(new DataResult.Complete(c.message().length()));
            assertThat(r.stored()).as(c.wire()).isEqualTo(c.message());
            assertThat(r.after()).as(c.wire()).isEqualTo("QUIT\r\n");
        }
    }

    /** mox TestSmuggle: none of these may end the data; each makes the message fail as a whole. */
    @Test
    void smugglingSequencesNeitherEndTheDataNorSurvive() throws IOException {
        for (String smuggle : List.of("\r\n.\n", "\n.\r\n", "\r.\r\n", "\n.\n")) {
            String wire = "Subject: hi\r\n\r\nfirst" + smuggle
                    + "MAIL FROM:<evil@example>\r\nRCPT TO:<victim@example>\r\nDATA\r\nsecond\r\n.\r\nNEXT\r\n";
            Read r = read(wire, BIG, 1000);
            assertThat(r.result()).as(esc(smuggle)).isInstanceOf(DataResult.BareLineEnding.class);
            assertThat(r.after()).as(esc(smuggle)).isEqualTo("NEXT\r\n");   // read up to the real end only
        }
    }

    @Test
    void bareCrOrLfAnywhereFailsTheMessage() throws IOException {
        for (String wire : List.of("a\nb\r\n.\r\n", "a\rb\r\n.\r\n", "a\r\r\n.\r\n", "\n.\r\n.\r\n",
                "Subject: x\n\r\n.\r\n", ".\r.\r\n.\r\n", ".\n\r\n.\r\n")) {
            Read r = read(wire + "Q\r\n", BIG, 1000);
            assertThat(r.result()).as(esc(wire)).isInstanceOf(DataResult.BareLineEnding.class);
            assertThat(r.after()).as(esc(wire)).isEqualTo("Q\r\n");
        }
    }

    @Test
    void messageOfExactlyTheSizeLimitIsAcceptedAndOneByteMoreIsRefusedAfterTheEnd() throws IOException {
        String ten = "12345678\r\n";
        Read atLimit = read(ten + ".\r\nQ\r\n", 10, 1000);
        assertThat(atLimit.result()).isEqualTo(new DataResult.Complete(10));
        assertThat(atLimit.stored()).isEqualTo(ten);

        Read over = read("123456789\r\n" + "more\r\n".repeat(100) + ".\r\nQ\r\n", 10, 1000);
        assertThat(over.result()).isEqualTo(new DataResult.TooLarge(11 + 600, 10));
        assertThat(over.stored().length()).isLessThanOrEqualTo(10);
        assertThat(over.after()).isEqualTo("Q\r\n");
    }

    @Test
    void lineOfExactlyTheLineLimitIsAcceptedAndOneMoreIsRefused() throws IOException {
        int max = 50;   // including CRLF
        String line = "x".repeat(max - 2) + "\r\n";
        assertThat(read(line + ".\r\n", BIG, max).result()).isEqualTo(new DataResult.Complete(max));
        Read over = read("x" + line + ".\r\nQ\r\n", BIG, max);
        assertThat(over.result()).isInstanceOf(DataResult.LineTooLong.class);
        assertThat(over.after()).isEqualTo("Q\r\n");
        // a stuffed dot does not count against the line: it is not part of the message
        assertThat(read("." + line + ".\r\n", BIG, max).result()).isEqualTo(new DataResult.Complete(max));
    }

    @Test
    void endOfStreamBeforeTheEndIsAnError() {
        assertThatThrownBy(() -> read("a\r\nb\r\n", BIG, 1000)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read("a\r\n.", BIG, 1000)).isInstanceOf(EOFException.class);
    }

    @Test
    void largeMessageIsStreamedThroughUnchanged() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) sb.append("line ").append(i).append(" .. some text\r\n");
        Read r = read(sb + ".\r\n", BIG, 1000);
        assertThat(r.stored()).isEqualTo(sb.toString());
    }

    @Test
    void checkerAlsoRefusesBareLineEndingsSplitAcrossWrites() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageChecker c = new MessageChecker(out, BIG, 1000);
        c.write("abc\r".getBytes(ISO_8859_1));
        c.write("\nxyz\r".getBytes(ISO_8859_1));
        assertThat(c.finish()).isInstanceOf(DataResult.BareLineEnding.class);   // ends in a lone CR

        MessageChecker ok = new MessageChecker(new ByteArrayOutputStream(), BIG, 1000);
        ok.write("abc\r".getBytes(ISO_8859_1));
        ok.write("\n".getBytes(ISO_8859_1));
        assertThat(ok.finish()).isEqualTo(new DataResult.Complete(5));
    }

    private static String esc(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
