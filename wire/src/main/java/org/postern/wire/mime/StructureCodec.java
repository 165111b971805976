package org.postern.wire.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stored form of a {@link MessageStructure}: a version byte, then the tree depth first. Numbers are
 * unsigned LEB128 varints (offsets as deltas), strings are a varint length and UTF-8, an optional string is
 * 0 when absent or length + 1. A typical message takes a few hundred bytes, mostly its envelope strings.
 *
 * <p>Version 1: size, envelope, part. Envelope: date?, subject?, six address lists (count, then name?, adl?,
 * mailbox?, host?), in-reply-to?, message-id?. Part: headerStart, bodyStart - headerStart, end - bodyStart,
 * lines, type, subtype, params (count, name, value), id?, description?, encoding, md5?, disposition (0, or
 * 1 + type + params), languages (count, tags), location?, children (count, parts), message (0, or 1 +
 * envelope + part).
 */
final class StructureCodec {
    private StructureCodec() {}

    static final int VERSION = 1;

    /** Deeper nesting than the parser can produce (MAX_DEPTH, plus the parts below) is not ours. */
    private static final int MAX_DECODE_DEPTH = MimeLimits.MAX_DEPTH + 2;

    static byte[] encode(MessageStructure s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeNumber(out, s.size());
            writeEnvelope(out, s.envelope());
            writePart(out, s.root());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    static MessageStructure decode(byte[] bytes) {
        if (bytes.length == 0) throw new IllegalArgumentException("not a message structure: empty");
        if (bytes[0] != VERSION) {
            throw new IllegalArgumentException("not a message structure: unknown format version " + (bytes[0] & 0xFF));
        }
        ByteArrayInputStream stream = new ByteArrayInputStream(bytes, 1, bytes.length - 1);
        try (DataInputStream in = new DataInputStream(stream)) {
            long size = readNumber(in);
            Envelope envelope = readEnvelope(in, stream);
            Part root = readPart(in, stream, 0);
            if (stream.available() != 0) throw new IllegalArgumentException("trailing bytes");
            return new MessageStructure(size, envelope, root);
        } catch (IOException | IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("not a message structure: " + e.getMessage(), e);
        }
    }

    /** Only the envelope of {@link #decode}'s input: the part tree after it is not read (FETCH ENVELOPE of many messages). */
    static Envelope decodeEnvelope(byte[] bytes) {
        if (bytes.length == 0) throw new IllegalArgumentException("not a message structure: empty");
        if (bytes[0] != VERSION) {
            throw new IllegalArgumentException("not a message structure: unknown format version " + (bytes[0] & 0xFF));
        }
        ByteArrayInputStream stream = new ByteArrayInputStream(bytes, 1, bytes.length - 1);
        try (DataInputStream in = new DataInputStream(stream)) {
            readNumber(in);   // the size
            return readEnvelope(in, stream);
        } catch (IOException | IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("not a message structure: " + e.getMessage(), e);
        }
    }

    private static void writeEnvelope(DataOutputStream out, Envelope e) throws IOException {
        writeOptional(out, e.date());
        writeOptional(out, e.subject());
        for (List<EnvelopeAddress> list : List.of(e.from(), e.sender(), e.replyTo(), e.to(), e.cc(), e.bcc())) {
            writeNumber(out, list.size());
            for (EnvelopeAddress a : list) {
                writeOptional(out, a.name());
                writeOptional(out, a.adl());
                writeOptional(out, a.mailbox());
                writeOptional(out, a.host());
            }
        }
        writeOptional(out, e.inReplyTo());
        writeOptional(out, e.messageId());
    }

    private static Envelope readEnvelope(DataInputStream in, ByteArrayInputStream stream) throws IOException {
        Optional<String> date = readOptional(in, stream);
        Optional<String> subject = readOptional(in, stream);
        List<List<EnvelopeAddress>> lists = new ArrayList<>(6);
        for (int k = 0; k < 6; k++) {
            int n = readCount(in, stream);
            List<EnvelopeAddress> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(new EnvelopeAddress(readOptional(in, stream), readOptional(in, stream),
                        readOptional(in, stream), readOptional(in, stream)));
            }
            lists.add(list);
        }
        return new Envelope(date, subject, lists.get(0), lists.get(1), lists.get(2), lists.get(3), lists.get(4),
                lists.get(5), readOptional(in, stream), readOptional(in, stream));
    }

    private static void writePart(DataOutputStream out, Part p) throws IOException {
        writeNumber(out, p.headerStart());
        writeNumber(out, p.bodyStart() - p.headerStart());
        writeNumber(out, p.end() - p.bodyStart());
        writeNumber(out, p.lines());
        ContentFields c = p.content();
        writeString(out, c.type());
        writeString(out, c.subtype());
        writeParams(out, c.params());
        writeOptional(out, c.id());
        writeOptional(out, c.description());
        writeString(out, c.encoding());
        writeOptional(out, c.md5());
        if (c.disposition().isPresent()) {
            out.writeByte(1);
            writeString(out, c.disposition().get().type());
            writeParams(out, c.disposition().get().params());
        } else {
            out.writeByte(0);
        }
        writeNumber(out, c.language().size());
        for (String tag : c.language()) writeString(out, tag);
        writeOptional(out, c.location());
        writeNumber(out, p.children().size());
        for (Part child : p.children()) writePart(out, child);
        if (p.message().isPresent()) {
            out.writeByte(1);
            writeEnvelope(out, p.message().get().envelope());
            writePart(out, p.message().get().root());
        } else {
            out.writeByte(0);
        }
    }

    private static Part readPart(DataInputStream in, ByteArrayInputStream stream, int depth) throws IOException {
        if (depth > MAX_DECODE_DEPTH) throw new IllegalArgumentException("parts nested too deep");
        long headerStart = readNumber(in);
        long bodyStart = Math.addExact(headerStart, readNumber(in));
        long end = Math.addExact(bodyStart, readNumber(in));
        long lines = readNumber(in);
        String type = readString(in, stream);
        String subtype = readString(in, stream);
        List<Param> params = readParams(in, stream);
        Optional<String> id = readOptional(in, stream);
        Optional<String> description = readOptional(in, stream);
        String encoding = readString(in, stream);
        Optional<String> md5 = readOptional(in, stream);
        Optional<Disposition> disposition = readFlag(in)
                ? Optional.of(new Disposition(readString(in, stream), readParams(in, stream))) : Optional.empty();
        int languages = readCount(in, stream);
        List<String> language = new ArrayList<>(languages);
        for (int i = 0; i < languages; i++) language.add(readString(in, stream));
        Optional<String> location = readOptional(in, stream);
        ContentFields content = new ContentFields(type, subtype, params, id, description, encoding, md5,
                disposition, language, location);
        int n = readCount(in, stream);
        List<Part> children = new ArrayList<>(n);
        for (int i = 0; i < n; i++) children.add(readPart(in, stream, depth + 1));
        Optional<EncapsulatedMessage> message = Optional.empty();
        if (readFlag(in)) {
            Envelope envelope = readEnvelope(in, stream);
            message = Optional.of(new EncapsulatedMessage(envelope, readPart(in, stream, depth + 1)));
        }
        return new Part(headerStart, bodyStart, end, lines, content, children, message);
    }

    private static void writeParams(DataOutputStream out, List<Param> params) throws IOException {
        writeNumber(out, params.size());
        for (Param p : params) {
            writeString(out, p.name());
            writeString(out, p.value());
        }
    }

    private static List<Param> readParams(DataInputStream in, ByteArrayInputStream stream) throws IOException {
        int n = readCount(in, stream);
        List<Param> params = new ArrayList<>(n);
        for (int i = 0; i < n; i++) params.add(new Param(readString(in, stream), readString(in, stream)));
        return params;
    }

    private static boolean readFlag(DataInputStream in) throws IOException {
        int b = in.readUnsignedByte();
        if (b > 1) throw new IllegalArgumentException("bad flag " + b);
        return b == 1;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeNumber(out, b.length);
        out.write(b);
    }

    private static void writeOptional(DataOutputStream out, Optional<String> s) throws IOException {
        if (s.isEmpty()) {
            writeNumber(out, 0);
            return;
        }
        byte[] b = s.get().getBytes(StandardCharsets.UTF_8);
        writeNumber(out, b.length + 1L);
        out.write(b);
    }

    private static String readString(DataInputStream in, ByteArrayInputStream stream) throws IOException {
        return readBytes(in, stream, readNumber(in));
    }

    private static Optional<String> readOptional(DataInputStream in, ByteArrayInputStream stream) throws IOException {
        long n = readNumber(in);
        return n == 0 ? Optional.empty() : Optional.of(readBytes(in, stream, n - 1));
    }

    private static boolean ascii(byte[] b) {
        for (byte x : b) if (x < 0) return false;
        return true;
    }

    private static String readBytes(DataInputStream in, ByteArrayInputStream stream, long n) throws IOException {
        if (n > stream.available()) throw new IllegalArgumentException("string length " + n + " past the end");
        byte[] b = new byte[(int) n];
        in.readFully(b);
        // nearly every stored string is 7-bit (header values, addresses, parameters): no decoder needed for those
        if (ascii(b)) return new String(b, StandardCharsets.US_ASCII);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid UTF-8", e);
        }
    }

    /** A count of items, each at least one byte long: never more than the bytes left. */
    private static int readCount(DataInputStream in, ByteArrayInputStream stream) throws IOException {
        long n = readNumber(in);
        if (n > stream.available()) throw new IllegalArgumentException("count " + n + " past the end");
        return (int) n;
    }

    private static void writeNumber(DataOutputStream out, long v) throws IOException {
        if (v < 0) throw new IllegalArgumentException("negative " + v);
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long readNumber(DataInputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new IllegalArgumentException("number too long");
    }
}
