package org.postern.wire.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StructureCodecTest {

    static List<MessageStructure> samples() {
        List<MessageStructure> out = new ArrayList<>();
        for (String m : MessageParserTest.ALL) {
            out.add(MessageParser.parse(Msg.crlf(m)).structure());
            out.add(MessageParser.parse(Msg.lf(m)).structure());
        }
        for (MessageParserMalformedTest.Case c : MessageParserMalformedTest.CASES) {
            out.add(MessageParser.parse(Msg.crlf(c.message())).structure());
        }
        return out;
    }

    @Test
    void encodeDecodeRoundTripGivesEqualStructures() {
        for (MessageStructure s : samples()) {
            byte[] encoded = s.encode();
            assertThat(encoded[0]).isEqualTo((byte) MessageStructure.FORMAT_VERSION);
            assertThat(MessageStructure.decode(encoded)).isEqualTo(s);
        }
    }

    @Test
    void theEnvelopeAloneDecodesToTheWholeDecodesEnvelope() {
        for (MessageStructure s : samples()) {
            assertThat(MessageStructure.decodeEnvelope(s.encode())).isEqualTo(s.envelope());
        }
        assertThatThrownBy(() -> MessageStructure.decodeEnvelope(new byte[] {(byte) (MessageStructure.FORMAT_VERSION + 1), 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageStructure.decodeEnvelope(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTripKeepsEveryKindOfValue() {
        ContentFields content = new ContentFields("application", "x-test", List.of(new Param("name", "naïve ✓.bin")),
                Optional.of("<id@x>"), Optional.of(""), "x-custom", Optional.of("md5"),
                Optional.of(new Disposition("attachment", List.of(new Param("filename", "日本.txt")))),
                List.of("en", "de"), Optional.of("http://x.test/"));
        Envelope envelope = new Envelope(Optional.of("date"), Optional.of(""),
                List.of(EnvelopeAddress.groupStart("g"), new EnvelopeAddress(Optional.of("N"), Optional.of("@r"),
                        Optional.of("m"), Optional.of("")), EnvelopeAddress.GROUP_END),
                List.of(), List.of(), List.of(), List.of(), List.of(), Optional.empty(), Optional.of("<id>"));
        Part leaf = new Part(300, 400, 5_000_000_000L, 123_456_789L, content, List.of(), Optional.empty());
        Part root = new Part(0, 200, 5_000_000_000L, 1, ContentFields.DEFAULT.withType("message", "rfc822", List.of()),
                List.of(), Optional.of(new EncapsulatedMessage(envelope, new Part(200, 300, 5_000_000_000L, 2,
                ContentFields.DEFAULT.withType("multipart", "mixed", List.of()), List.of(leaf), Optional.empty()))));
        MessageStructure s = new MessageStructure(5_000_000_000L, envelope, root);

        assertThat(MessageStructure.decode(s.encode())).isEqualTo(s);
    }

    @Test
    void typicalStructureIsCompact() {
        MessageStructure s = MessageParser.parse(Msg.crlf(SampleMessages.TYPICAL)).structure();

        assertThat(s.encode().length).isLessThan(400); // 349: mostly the envelope's strings
    }

    @Test
    void garbageAndUnknownVersionsAreRejected() {
        byte[] valid = MessageParser.parse(Msg.crlf(SampleMessages.MIXED)).structure().encode();
        List<byte[]> bad = new ArrayList<>(List.of(new byte[0], new byte[] {0}, new byte[] {2}, new byte[] {(byte) 0xFF},
                new byte[] {1}, "garbage".getBytes(), Arrays.copyOf(valid, valid.length + 1)));
        byte[] otherVersion = valid.clone();
        otherVersion[0] = 2;
        bad.add(otherVersion);
        for (int len = 1; len < valid.length; len++) bad.add(Arrays.copyOf(valid, len)); // every truncation
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            byte[] b = new byte[1 + random.nextInt(200)];
            random.nextBytes(b);
            b[0] = 1;
            bad.add(b);
        }
        for (byte[] b : bad) {
            assertThatThrownBy(() -> MessageStructure.decode(b)).as(Arrays.toString(b))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
