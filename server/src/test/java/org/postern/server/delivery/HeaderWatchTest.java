package org.postern.server.delivery;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderWatchTest {
    record Case(String message, boolean messageId, boolean date) {}

    @Test
    void seesMessageIdAndDateOnlyInTheHeaderSection() throws IOException {
        for (var c : List.of(
                new Case("Subject: x\r\n\r\nbody", false, false),
                new Case("Message-ID: <a@b>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\n\r\n", true, true),
                new Case("message-id: <a@b>\r\n\r\n", true, false),
                new Case("DATE:x\r\n\r\n", false, true),
                new Case("Date : x\r\n\r\n", false, true),   // obsolete white space before the colon
                new Case("Subject: x\r\n\r\nMessage-ID: <in@body>\r\nDate: no\r\n", false, false),
                new Case("Subject: folded\r\n Message-ID: <not a field>\r\n\r\n", false, false),
                new Case("X-Message-ID: <a@b>\r\nResent-Date: x\r\n\r\n", false, false),
                new Case("Subject: x\n\nDate: in body after bare LF blank line\n", false, false),
                new Case("", false, false))) {
            for (int split = 0; split <= c.message().length(); split += Math.max(1, c.message().length() / 4)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                HeaderWatch w = new HeaderWatch(out);
                byte[] b = c.message().getBytes(ISO_8859_1);
                w.write(b, 0, split);
                w.write(b, split, b.length - split);
                assertThat(out.toByteArray()).isEqualTo(b);
                assertThat(w.hasMessageId()).as(c.message() + " split " + split).isEqualTo(c.messageId());
                assertThat(w.hasDate()).as(c.message() + " split " + split).isEqualTo(c.date());
            }
        }
    }

    @Test
    void headerPastTheBudgetCountsAsHavingBoth() throws IOException {
        HeaderWatch w = new HeaderWatch(OutputStreamSink.INSTANCE);
        byte[] line = "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes(ISO_8859_1);
        for (long n = 0; n <= HeaderWatch.MAX_HEADER_BYTES; n += line.length) w.write(line, 0, line.length);
        assertThat(w.hasMessageId()).isTrue();
        assertThat(w.hasDate()).isTrue();
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
