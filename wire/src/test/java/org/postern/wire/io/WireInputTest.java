package org.postern.wire.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WireInputTest {
    private static WireInput input(String s, int max) {
        return new WireInput(new ByteArrayInputStream(s.getBytes(UTF_8)), max, () -> {});
    }

    @Test
    void readsCrlfAndBareLfLines() throws IOException {
        WireInput in = input("EHLO x\r\nNOOP\nQUIT\r\n", 100);
        assertThat(in.readLine()).isEqualTo("EHLO x");
        assertThat(in.readLine()).isEqualTo("NOOP");
        assertThat(in.readLine()).isEqualTo("QUIT");
        assertThatThrownBy(in::readLine).isInstanceOf(EOFException.class);
    }

    @Test
    void lineOfExactlyTheLimitIncludingCrlfIsAcceptedAndOneMoreIsRefused() throws IOException {
        int max = 20;
        String atLimit = "x".repeat(max - 2);
        assertThat(input(atLimit + "\r\n", max).readLine()).isEqualTo(atLimit);
        assertThatThrownBy(() -> input(atLimit + "y\r\n", max).readLine())
                .isInstanceOf(LineTooLongException.class).hasMessageContaining("20");
    }

    @Test
    void tooLongLineStopsReadingAtTheLimit() {
        AtomicInteger served = new AtomicInteger();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served.incrementAndGet();
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = Math.min(len, 16);
                for (int i = 0; i < n; i++) b[off + i] = 'x';
                served.addAndGet(n);
                return n;
            }
        };
        WireInput in = new WireInput(endless, 64, () -> {});
        assertThatThrownBy(in::readLine).isInstanceOf(LineTooLongException.class);
        assertThat(served.get()).isLessThanOrEqualTo(64 + 16);
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() throws IOException {
        WireInput in = new WireInput(new ByteArrayInputStream(new byte[] {'a', (byte) 0xff, 'b', '\r', '\n'}), 100, () -> {});
        assertThat(in.readLine()).isEqualTo("a\uFFFDb");
    }

    @Test
    void discardBufferedDropsWhatFollowsTheCurrentLine() throws IOException {
        WireInput in = input("STARTTLS\r\nMAIL FROM:<evil@example>\r\n", 100);
        assertThat(in.readLine()).isEqualTo("STARTTLS");
        assertThat(in.hasBuffered()).isTrue();
        assertThat(in.discardBuffered()).isEqualTo("MAIL FROM:<evil@example>\r\n".length());
        assertThat(in.hasBuffered()).isFalse();
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void flushesOnlyWhenTheBufferIsEmpty() throws IOException {
        AtomicInteger flushes = new AtomicInteger();
        WireInput in = new WireInput(new ByteArrayInputStream("A\r\nB\r\nC\r\n".getBytes(UTF_8)), 100, flushes::incrementAndGet);
        in.readLine();
        in.readLine();
        in.readLine();
        assertThat(flushes.get()).isEqualTo(1);   // all three lines came in one read
        assertThatThrownBy(in::readLine).isInstanceOf(EOFException.class);
        assertThat(flushes.get()).isEqualTo(2);
    }

    @Test
    void transferCopiesExactlyTheCount() throws IOException {
        WireInput in = input("0123456789REST\r\n", 100);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transfer(10, out);
        assertThat(out.toString(UTF_8)).isEqualTo("0123456789");
        assertThat(in.readLine()).isEqualTo("REST");
        assertThatThrownBy(() -> input("abc", 100).transfer(4, new ByteArrayOutputStream())).isInstanceOf(EOFException.class);
    }
}
