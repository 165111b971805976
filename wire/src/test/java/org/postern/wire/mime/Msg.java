package org.postern.wire.mime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Test helpers: building messages, slicing them by offsets, describing structures compactly. */
final class Msg {
    private Msg() {}

    /** The text with every LF turned into CRLF, as bytes (UTF-8). */
    static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The text as is (LF-only when written with \n), as bytes (UTF-8). */
    static byte[] lf(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String slice(byte[] message, long from, long to) {
        return new String(Arrays.copyOfRange(message, (int) from, (int) to), StandardCharsets.UTF_8);
    }

    static String header(byte[] message, Part p) {
        return slice(message, p.headerStart(), p.bodyStart());
    }

    static String body(byte[] message, Part p) {
        return slice(message, p.bodyStart(), p.end());
    }

    /** A compact description of a part tree: "multipart/mixed(text/plain,message/rfc822[text/html])". */
    static String shape(Part p) {
        String s = p.type() + "/" + p.subtype();
        if (!p.children().isEmpty()) {
            s += p.children().stream().map(Msg::shape).collect(Collectors.joining(",", "(", ")"));
        }
        if (p.message().isPresent()) s += "[" + shape(p.message().get().root()) + "]";
        return s;
    }

    /** Parses, checks the structure survives encode/decode, and returns it. */
    static ParsedMessage parse(byte[] message) {
        ParsedMessage parsed = MessageParser.parse(message);
        MessageStructure s = parsed.structure();
        if (!MessageStructure.decode(s.encode()).equals(s)) throw new AssertionError("round trip differs: " + s);
        if (s.size() != message.length) throw new AssertionError("size " + s.size() + " != " + message.length);
        return parsed;
    }
}
