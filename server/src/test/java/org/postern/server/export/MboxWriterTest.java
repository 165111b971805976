package org.postern.server.export;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MboxWriterTest {
    private static final Instant DATE = Instant.parse("2026-11-26T10:00:05Z");

    private static String mbox(String sender, String... messages) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MboxWriter w = new MboxWriter(out)) {
            for (String m : messages) w.append(sender, DATE, new ByteArrayInputStream(m.getBytes(UTF_8)));
        }
        return out.toString(UTF_8);
    }

    @Test
    void fromLinesAreQuotedAndComeBackUnchanged() throws IOException {
        for (String body : List.of(
                "Subject: x\n\nFrom here on\n",
                "Subject: x\n\n>From quoted once\n>>From quoted twice\n",
                "From the first line\n\nbody\n",
                "Subject: x\n\nFromage is not a From line\nFrom\n>From\n From with a space before\n",
                "Subject: x\n\n>>>>>not From\n>>>F\n>Fro\n",
                "Subject: x\n\nGr\u00fc\u00dfe From \u65e5\u672c\n",
                "\n",
                "")) {
            List<Mboxrd.Message> read = Mboxrd.read(mbox("a@example.org", body));
            assertThat(read).as(body).hasSize(1);
            assertThat(read.getFirst().text()).as(body).isEqualTo(body.isEmpty() ? "\n" : body);
        }
    }

    @Test
    void writesTheExactMboxrdBytes() throws IOException {
        assertThat(mbox("alice@example.org", "Subject: hi\r\n\r\nFrom me\r\n>From you\r\nFrom\r\nend\r\n"))
                .isEqualTo("From alice@example.org Thu Nov 26 10:00:05 2026\n"
                        + "Subject: hi\n\n>From me\n>>From you\nFrom\nend\n\n");
    }

    @Test
    void crLfBecomesLfButALoneCrStays() throws IOException {
        assertThat(mbox("a@b", "a\r\nb\rc\r\r\nd\r"))
                .isEqualTo("From a@b Thu Nov 26 10:00:05 2026\na\nb\rc\r\nd\r\n\n");
    }

    @Test
    void aMessageWithoutAFinalLineEndStillEndsItsLine() throws IOException {
        List<Mboxrd.Message> read = Mboxrd.read(mbox("a@b", "Subject: x\n\nno newline", "Subject: y\n\nnext\n"));
        assertThat(read).extracting(Mboxrd.Message::text).containsExactly("Subject: x\n\nno newline\n", "Subject: y\n\nnext\n");
    }

    @Test
    void twoMessagesAreSeparatedByABlankLineAndTheirOwnFromLine() throws IOException {
        String first = "Subject: one\n\nFrom the first\n", second = "Subject: two\n\nsecond\n\n";
        String out = mbox("MAILER-DAEMON", first, second);
        assertThat(out).isEqualTo("From MAILER-DAEMON Thu Nov 26 10:00:05 2026\nSubject: one\n\n>From the first\n\n"
                + "From MAILER-DAEMON Thu Nov 26 10:00:05 2026\nSubject: two\n\nsecond\n\n\n");
        assertThat(Mboxrd.read(out)).containsExactly(
                new Mboxrd.Message("From MAILER-DAEMON Thu Nov 26 10:00:05 2026", first),
                new Mboxrd.Message("From MAILER-DAEMON Thu Nov 26 10:00:05 2026", second));
    }

    @Test
    void separatorUsesAsctimeInUtcWithASpacePaddedDay() {
        assertThat(MboxWriter.separator("x@y", Instant.parse("1970-01-01T00:00:00Z")))
                .isEqualTo("From x@y Thu Jan  1 00:00:00 1970\n");
        assertThat(MboxWriter.separator("", DATE)).startsWith("From MAILER-DAEMON ");
        assertThat(MboxWriter.separator("\"a b\"@y", DATE)).startsWith("From \"a_b\"@y Thu");
    }

    @Test
    void longLinesStreamThrough() throws IOException {
        String line = "x".repeat(2_000_000);
        List<Mboxrd.Message> read = Mboxrd.read(mbox("a@b", "Subject: big\n\n" + line + "\r\n"));
        assertThat(read.getFirst().text()).isEqualTo("Subject: big\n\n" + line + "\n");
    }
}
