package org.postern.client.pop3;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.client.net.LineReader;
import org.postern.client.net.ProtocolException;

class DotUnstuffingTest {
    private static Pop3Client.DotUnstuffing of(String wire, long max) {
        return new Pop3Client.DotUnstuffing(new LineReader(new ByteArrayInputStream(wire.getBytes(US_ASCII))), max, "test");
    }

    @Test
    void removesTheStuffedDotAndStopsAtTheTerminator() throws IOException {
        record Case(String wire, String message, String after) {}
        for (Case c : List.of(
                new Case("a\r\nb\r\n.\r\nNEXT", "a\r\nb\r\n", "NEXT"),
                new Case(".\r\n", "", ""),
                new Case("..\r\n.\r\n", ".\r\n", ""),
                new Case("..leading\r\nmid.dle\r\n...two\r\n.\r\n+OK", ".leading\r\nmid.dle\r\n..two\r\n", "+OK"),
                new Case("x\n.\n", "x\n", ""))) {
            LineReader in = new LineReader(new ByteArrayInputStream(c.wire().getBytes(US_ASCII)));
            var body = new Pop3Client.DotUnstuffing(in, 1000, "test");
            assertThat(new String(body.readAllBytes(), US_ASCII)).as(c.wire()).isEqualTo(c.message());
            StringBuilder rest = new StringBuilder();
            for (int b; (b = in.read()) >= 0; ) rest.append((char) b);
            assertThat(rest.toString()).as("left in step after " + c.wire()).isEqualTo(c.after());
        }
    }

    @Test
    void aMessageIsAcceptedAtTheLimitAndRefusedOnePastIt() throws IOException {
        assertThat(of("12345678\r\n.\r\n", 10).readAllBytes()).hasSize(10);
        assertThatThrownBy(() -> of("123456789\r\n.\r\n", 10).readAllBytes()).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("longer than 10 bytes");
    }

    @Test
    void aMessageCutOffIsAnErrorNotAShortMessage() {
        assertThatThrownBy(() -> of("abc\r\n", 100).readAllBytes()).isInstanceOf(EOFException.class)
                .hasMessageContaining("before the end of the message");
        assertThatThrownBy(() -> of(".\rX", 100).readAllBytes()).isInstanceOf(ProtocolException.class);
    }
}
