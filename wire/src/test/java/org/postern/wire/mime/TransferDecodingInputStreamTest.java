package org.postern.wire.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TransferDecodingInputStreamTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // encoding, encoded body, decoded bytes
                Arguments.of("base64", "SGVsbG8=", bytes("Hello")),
                Arguments.of("BASE64", "SGVs\r\nbG8h\r\n", bytes("Hello!")),
                Arguments.of("base64", "AAEA/w==", new byte[] {0, 1, 0, (byte) 0xFF}),
                // RFC 2045 §6.8: characters outside the alphabet are ignored; a trailing partial quantum drops
                Arguments.of("base64", "SG*V!s\tbG8 h", bytes("Hello!")),
                Arguments.of("base64", "SGVsbG8hX", bytes("Hello!")),
                Arguments.of("base64", "%%%%", bytes("")),
                Arguments.of("base64", "", bytes("")),
                // '=' ends a quantum, so concatenated encodings decode
                Arguments.of("base64", "SGk=SGk=", bytes("HiHi")),
                // RFC 2045 §6.7: hard line breaks are CRLF in the canonical form, soft breaks join
                Arguments.of("quoted-printable", "caf=C3=A9\r\nsoft=\r\nbreak", bytes("caf\u00c3\u00a9\r\nsoftbreak")),
                Arguments.of("Quoted-Printable", "a=3Db\nc", bytes("a=b\r\nc")),
                Arguments.of("quoted-printable", "line\r\n", bytes("line\r\n")),
                Arguments.of("quoted-printable", "nul=00here", new byte[] {'n', 'u', 'l', 0, 'h', 'e', 'r', 'e'}),
                // tolerant: an "=" that starts no valid escape stays as it is
                Arguments.of("quoted-printable", "50=% =Z =4", bytes("50=% =Z =4")),
                Arguments.of("quoted-printable", "soft= \t\r\nend", bytes("softend")),
                // RFC 2045 §6.7 rule 3: trailing white space is deleted, inner white space and encoded white kept
                Arguments.of("quoted-printable", "trail \t \r\nin  ner=20\r\nlast\t", bytes("trail\r\nin  ner \r\nlast")),
                Arguments.of("quoted-printable", "keep  =\r\nx", bytes("keep  x")),
                Arguments.of("7bit", "as=20is\r\n", bytes("as=20is\r\n")),
                Arguments.of("8bit", "as=20is", bytes("as=20is")),
                Arguments.of("binary", "AAAA", bytes("AAAA")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decodesInBulkAndByteByByte(String encoding, String encoded, byte[] decoded) throws IOException {
        try (InputStream in = open(encoding, encoded)) {
            assertThat(in.readAllBytes()).isEqualTo(decoded);
        }
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        try (InputStream in = open(encoding, encoded)) {
            for (int b; (b = in.read()) >= 0; ) one.write(b);
        }
        assertThat(one.toByteArray()).isEqualTo(decoded);
    }

    @Test
    void unknownEncodingsAreRefused() {
        for (String e : new String[] {"x-uuencode", "uuencode", "base-64", "7bits", ""}) {
            assertThat(TransferDecodingInputStream.decode(e, InputStream.nullInputStream())).as(e).isEmpty();
            assertThat(TransferDecodingInputStream.canDecode(e)).as(e).isFalse();
        }
        for (String e : new String[] {"7BIT", "8bit", "Binary", "Base64", "QUOTED-PRINTABLE"}) {
            assertThat(TransferDecodingInputStream.canDecode(e)).as(e).isTrue();
        }
        assertThat(TransferDecodingInputStream.isIdentity("8BIT")).isTrue();
        assertThat(TransferDecodingInputStream.isIdentity("base64")).isFalse();
    }

    @Test
    void quotedPrintableLineLongerThanTheChunkKeepsEscapesThatStraddleSegments() throws IOException {
        // one line of n escapes, far longer than the line reader's buffer, so escapes cross segment edges
        int n = TransferDecodingInputStream.CHUNK_BYTES;          // 3 * CHUNK_BYTES encoded characters
        String encoded = "=41".repeat(n) + "=\r\n" + "=42".repeat(n) + "\r\nend";
        byte[] expected = (("A".repeat(n)) + "B".repeat(n) + "\r\nend").getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = open("quoted-printable", encoded)) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
    }

    @Test
    void heldWhiteSpaceAtTheLimitIsDeletedAndOnePastItIsKept() throws IOException {
        int max = QuotedPrintableDecoder.MAX_HELD_WHITE_SPACE;
        try (InputStream in = open("quoted-printable", "a" + " ".repeat(max) + "\r\nb")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("a\r\nb");
        }
        // one past: the first run is passed on as content, only the last byte is still held and deleted
        try (InputStream in = open("quoted-printable", "a" + " ".repeat(max + 1) + "\r\nb")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("a" + " ".repeat(max) + "\r\nb");
        }
    }

    @Test
    void base64BodyLargerThanTheChunkDecodesWhole() throws IOException {
        byte[] data = new byte[3 * TransferDecodingInputStream.CHUNK_BYTES + 7];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31);
        String encoded = java.util.Base64.getMimeEncoder().encodeToString(data);
        try (InputStream in = open("base64", encoded)) {
            byte[] got = in.readAllBytes();
            assertThat(Arrays.equals(got, data)).isTrue();
        }
    }

    @Test
    void closingClosesTheRawStream() throws IOException {
        boolean[] closed = {false};
        InputStream raw = new ByteArrayInputStream(bytes("SGk=")) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        TransferDecodingInputStream.decode("base64", raw).orElseThrow().close();
        assertThat(closed[0]).isTrue();
    }

    private static InputStream open(String encoding, String encoded) {
        return TransferDecodingInputStream.decode(encoding, new ByteArrayInputStream(bytes(encoded))).orElseThrow();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
