package org.postern.client.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.wire.io.LineTooLongException;

class LineReaderTest {
    private static LineReader of(String s) {
        return new LineReader(new ByteArrayInputStream(s.getBytes(US_ASCII)));
    }

    @Test
    void readsLinesEndingInCrlfOrLf() throws IOException {
        record Case(String wire, List<String> lines) {}
        for (Case c : List.of(
                new Case("a\r\nb\r\n", List.of("a", "b")),
                new Case("a\nb\n", List.of("a", "b")),
                new Case("\r\n\r\n", List.of("", "")),
                new Case("a\rb\r\n", List.of("a\rb")),
                new Case("x\r\r\n", List.of("x\r")))) {
            LineReader r = of(c.wire());
            for (String expected : c.lines()) assertThat(new String(r.readLine(10), US_ASCII)).as(c.wire()).isEqualTo(expected);
            assertThat(r.read()).isEqualTo(-1);
        }
    }

    @Test
    void aLineIsAcceptedAtTheLimitAndRefusedOnePastIt() throws IOException {
        assertThat(of("12345\r\n").readLine(5)).hasSize(5);
        assertThat(of("12345\n").readLine(5)).hasSize(5);
        assertThatThrownBy(() -> of("123456\r\n").readLine(5)).isInstanceOf(LineTooLongException.class);
        assertThatThrownBy(() -> of("12345\rX\r\n").readLine(5)).isInstanceOf(LineTooLongException.class);
        assertThatThrownBy(() -> of("123").readLine(5)).isInstanceOf(EOFException.class).hasMessageContaining("after 3 bytes");
    }

    @Test
    void exactlyGivesTheCountAndClosingSkipsTheRest() throws IOException {
        LineReader r = of("0123456789rest\r\n");
        try (InputStream in = r.exactly(10)) {
            assertThat(in.readNBytes(3)).isEqualTo("012".getBytes(US_ASCII));
        }
        assertThat(new String(r.readLine(10), US_ASCII)).isEqualTo("rest");
        assertThatThrownBy(() -> of("abc").exactly(5).readAllBytes()).isInstanceOf(EOFException.class)
                .hasMessageContaining("2 of 5 announced bytes unread");
    }
}
