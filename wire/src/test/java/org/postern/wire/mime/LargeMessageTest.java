package org.postern.wire.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Big messages are parsed from a stream without being held in memory. */
class LargeMessageTest {

    static final int ATTACHMENT_LINES = 20 * 1024 * 1024 / 78; // about 20 MB of base64 lines
    static final String LINE = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n";

    /** A generated message: head, then {@code lines} copies of {@code line}, then tail; never materialised. */
    static final class Generated extends InputStream {
        private final byte[] head;
        private final byte[] line;
        private final byte[] tail;
        private final long size;
        private long pos;

        Generated(String head, String line, long lines, String tail) {
            this.head = head.getBytes(StandardCharsets.US_ASCII);
            this.line = line.getBytes(StandardCharsets.US_ASCII);
            this.tail = tail.getBytes(StandardCharsets.US_ASCII);
            this.size = this.head.length + lines * this.line.length + this.tail.length;
        }

        long size() {
            return size;
        }

        long headLength() {
            return head.length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) return -1;
            int n = 0;
            while (n < len && pos < size) {
                byte[] src;
                int at;
                long linesEnd = size - tail.length;
                if (pos < head.length) {
                    src = head;
                    at = (int) pos;
                } else if (pos < linesEnd) {
                    src = line;
                    at = (int) ((pos - head.length) % line.length);
                } else {
                    src = tail;
                    at = (int) (pos - linesEnd);
                }
                int k = Math.min(len - n, src.length - at);
                System.arraycopy(src, at, b, off + n, k);
                n += k;
                pos += k;
            }
            return n;
        }
    }

    static final String HEAD = """
            From: a@example.com\r
            Subject: big\r
            Content-Type: multipart/mixed; boundary=big\r
            \r
            --big\r
            Content-Type: text/plain\r
            \r
            see attachment\r
            --big\r
            Content-Type: application/octet-stream\r
            Content-Transfer-Encoding: base64\r
            \r
            """;

    @Test
    void twentyMegabyteAttachmentIsCountedNotKept() throws IOException {
        Generated in = new Generated(HEAD, LINE, ATTACHMENT_LINES, "--big--\r\n");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();

        ParsedMessage p = MessageParser.parse(in);

        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        MessageStructure s = p.structure();
        Part attachment = s.root().children().get(1);
        assertThat(s.size()).isEqualTo(in.size());
        assertThat(attachment.bodyStart()).isEqualTo(in.headLength());
        assertThat(attachment.bodySize()).isEqualTo((long) ATTACHMENT_LINES * LINE.length() - 2); // last CRLF: boundary's
        assertThat(attachment.lines()).isEqualTo(ATTACHMENT_LINES);
        assertThat(p.bodyText()).isEqualTo("see attachment\n");
        assertThat(s.encode().length).isLessThan(500);
        assertThat(allocated).as("bytes allocated while parsing").isLessThan(2L * 1024 * 1024);
    }

    @Test
    void twentyMegabyteTextPartIsDecodedOnlyUpToTheCaps() throws IOException {
        String head = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        Generated in = new Generated(head, LINE, ATTACHMENT_LINES, "");

        ParsedMessage p = MessageParser.parse(in);

        assertThat(p.structure().size()).isEqualTo(in.size());
        assertThat(p.structure().root().lines()).isEqualTo(ATTACHMENT_LINES);
        assertThat(p.bodyText()).hasSize(MimeLimits.MAX_SEARCH_TEXT_CHARS).startsWith("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz01234ABCDEF");
    }

    @Test
    void singleTwentyMegabyteLineDoesNotNeedATwentyMegabyteBuffer() throws IOException {
        String head = "Content-Type: application/octet-stream\r\n\r\n";
        Generated in = new Generated(head, "x", 20L * 1024 * 1024, "\r\n");

        ParsedMessage p = MessageParser.parse(in);

        assertThat(p.structure().root().bodySize()).isEqualTo(20L * 1024 * 1024 + 2);
        assertThat(p.structure().root().lines()).isEqualTo(1);
    }
}
