package org.postern.wire.mime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuotedPrintableEncoderTest {

    @Test
    void encodesByTheRulesOfRfc2045() throws IOException {
        record Case(String rule, String in, String out) {}
        for (var c : List.of(
                new Case("rule 2: printable ASCII stands for itself", "Hello, World!", "Hello, World!"),
                new Case("rule 1: '=' is encoded", "a=b", "a=3Db"),
                new Case("rule 1: 8-bit octets, upper-case hex", "café", "caf=C3=A9"),
                new Case("rule 3: inner white space is literal", "a b\tc", "a b\tc"),
                new Case("rule 3: trailing space before CRLF", "end \r\nnext", "end=20\r\nnext"),
                new Case("rule 3: trailing tab at the end", "end\t", "end=09"),
                new Case("rule 3: only the last of a run is encoded", "a  \r\n", "a =20\r\n"),
                new Case("rule 4: CRLF stays a hard break", "a\r\nb\r\n", "a\r\nb\r\n"),
                new Case("rule 4: a lone LF is content", "a\nb", "a=0Ab"),
                new Case("rule 4: a lone CR is content", "a\rb\r", "a=0Db=0D"),
                new Case("rule 4: CR CR LF", "a\r\r\nb", "a=0D\r\nb"),
                new Case("rule 5: 75 characters fit", "x".repeat(75), "x".repeat(75)),
                new Case("rule 5: 76 get a soft break", "x".repeat(76), "x".repeat(75) + "=\r\nx"),
                new Case("rule 5: never inside =XX", "x".repeat(74) + "é", "x".repeat(74) + "=\r\n=C3=A9"),
                new Case("control octets", "\u0000\u001b\u007f", "=00=1B=7F"),
                new Case("empty", "", ""))) {
            assertThat(encode(c.in().getBytes(UTF_8))).as(c.rule()).isEqualTo(c.out());
        }
    }

    @Test
    void everyOctetRoundTripsAndNoLineIsLongerThan76() throws IOException {
        byte[] all = new byte[256 * 3];
        for (int i = 0; i < all.length; i++) all[i] = (byte) i;
        String encoded = encode(all);
        for (String line : encoded.split("\r\n", -1)) assertThat(line.length()).isLessThanOrEqualTo(QuotedPrintableEncoder.MAX_LINE);
        assertThat(encoded.chars().allMatch(c -> c < 128)).isTrue();

        QuotedPrintableDecoder d = new QuotedPrintableDecoder();
        ByteBuf out = new ByteBuf(1024);
        String[] lines = encoded.split("\r\n", -1);
        for (int i = 0; i < lines.length; i++) {
            byte[] b = lines[i].getBytes(ISO_8859_1);
            d.decode(b, 0, b.length, out, Integer.MAX_VALUE);
            if (!d.endLine(false, out, Integer.MAX_VALUE) || i == lines.length - 1) continue;
            out.append('\r');
            out.append('\n');
        }
        assertThat(java.util.Arrays.copyOf(out.array(), out.size())).isEqualTo(all);
    }

    private static String encode(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (QuotedPrintableEncoder e = new QuotedPrintableEncoder(out)) {
            e.write(in);
        }
        return out.toString(ISO_8859_1);
    }
}
