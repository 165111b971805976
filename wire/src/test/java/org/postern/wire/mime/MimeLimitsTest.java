package org.postern.wire.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.wire.mime.Msg.body;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each limit at its value and one past it. */
class MimeLimitsTest {

    /** k nested multiparts (boundaries b1..bk) around one text part. */
    static byte[] nestedMultiparts(int k) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= k; i++) sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i).append("\r\n");
        sb.append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        for (int i = k; i >= 1; i--) sb.append("--b").append(i).append("--\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static int depth(Part p) {
        int d = 0;
        for (Part c : p.children()) d = Math.max(d, 1 + depth(c));
        if (p.message().isPresent()) d = Math.max(d, 1 + depth(p.message().get().root()));
        return d;
    }

    static Part deepest(Part p) {
        while (!p.children().isEmpty()) p = p.children().getFirst();
        return p;
    }

    @Test
    void nestingUpToMaxDepthIsExpanded() {
        Part root = Msg.parse(nestedMultiparts(MimeLimits.MAX_DEPTH)).structure().root();

        assertThat(depth(root)).isEqualTo(MimeLimits.MAX_DEPTH);
        assertThat(deepest(root).type()).isEqualTo("text");
    }

    @Test
    void nestingPastMaxDepthBecomesAnOpaqueLeaf() {
        byte[] m = nestedMultiparts(MimeLimits.MAX_DEPTH + 1);
        Part root = Msg.parse(m).structure().root();

        assertThat(depth(root)).isEqualTo(MimeLimits.MAX_DEPTH);
        Part leaf = deepest(root);
        assertThat(leaf.isMultipart()).isTrue();
        assertThat(leaf.children()).isEmpty();
        assertThat(body(m, leaf)).isEqualTo("--b33\r\nContent-Type: text/plain\r\n\r\ndeep\r\n--b33--");
    }

    @Test
    void nestedMessagesAreLimitedTheSameWay() {
        for (int k : new int[] {MimeLimits.MAX_DEPTH, MimeLimits.MAX_DEPTH + 1}) {
            String m = "Content-Type: message/rfc822\r\n\r\n".repeat(k) + "Subject: bottom\r\n\r\nx\r\n";
            Part root = Msg.parse(m.getBytes(StandardCharsets.US_ASCII)).structure().root();
            assertThat(depth(root)).isEqualTo(MimeLimits.MAX_DEPTH);
        }
    }

    /** A multipart with {@code leaves} text parts "leaf 1".."leaf n". */
    static byte[] manyParts(int leaves) {
        StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (int i = 1; i <= leaves; i++) sb.append("--b\r\n\r\nleaf ").append(i).append("\r\n");
        sb.append("--b--\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void maxPartsPartsAreAllKept() {
        byte[] m = manyParts(MimeLimits.MAX_PARTS - 1); // plus the root
        List<Part> children = Msg.parse(m).structure().root().children();

        assertThat(children).hasSize(MimeLimits.MAX_PARTS - 1);
        assertThat(body(m, children.getLast())).isEqualTo("leaf " + (MimeLimits.MAX_PARTS - 1));
    }

    @Test
    void partsPastMaxPartsAreFoldedIntoTheLastPart() {
        byte[] m = manyParts(MimeLimits.MAX_PARTS);
        List<Part> children = Msg.parse(m).structure().root().children();

        assertThat(children).hasSize(MimeLimits.MAX_PARTS - 1);
        assertThat(body(m, children.getLast())).isEqualTo(
                "leaf " + (MimeLimits.MAX_PARTS - 1) + "\r\n--b\r\n\r\nleaf " + MimeLimits.MAX_PARTS);
    }

    /** "Subject: s", pad fields, then "To: t@x.test" ending exactly {@code toEnd} bytes into the header. */
    static String headerEndingAt(int toEnd) {
        String first = "Subject: s\r\n";
        String last = "To: t@x.test\r\n";
        StringBuilder sb = new StringBuilder(first);
        int remaining = toEnd - first.length() - last.length();
        while (remaining > 0) {
            int size = remaining >= 2000 ? 999 : remaining;  // a field of 'size' bytes: "X-Pad: " + a's + CRLF
            if (size < 10) size = remaining;                 // never left with less than a field
            sb.append("X-Pad: ").append("a".repeat(size - 9)).append("\r\n");
            remaining -= size;
        }
        sb.append(last);
        if (sb.length() != toEnd) throw new AssertionError(sb.length() + " != " + toEnd);
        return sb.toString();
    }

    @Test
    void headerFieldEndingAtMaxHeaderBytesIsKept() {
        byte[] m = (headerEndingAt(MimeLimits.MAX_HEADER_BYTES) + "\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        MessageStructure s = Msg.parse(m).structure();

        assertThat(s.envelope().to()).hasSize(1);
        assertThat(s.root().bodyStart()).isEqualTo(MimeLimits.MAX_HEADER_BYTES + 2);
    }

    @Test
    void headerFieldEndingPastMaxHeaderBytesIsSkippedButOffsetsStayExact() {
        byte[] m = (headerEndingAt(MimeLimits.MAX_HEADER_BYTES + 1) + "Content-Type: text/html\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ParsedMessage p = Msg.parse(m);

        assertThat(p.structure().envelope().subject()).contains("s");
        assertThat(p.structure().envelope().to()).isEmpty();
        assertThat(p.structure().root().type()).isEqualTo("text"); // the later Content-Type was skipped too
        assertThat(p.structure().root().subtype()).isEqualTo("plain");
        assertThat(body(m, p.structure().root())).isEqualTo("body\r\n");
        assertThat(p.headerText()).doesNotContain("To:");
    }

    /**
     * A multipart whose kept header fields total {@code total} bytes: the root's Content-Type, pad fields in
     * parts (under MAX_HEADER_BYTES each), and a last part whose Content-Type: text/html field ends the total.
     */
    static byte[] headersTotalling(int total) {
        String rootField = "Content-Type: multipart/mixed; boundary=b\r\n";
        String lastField = "Content-Type: text/html\r\n";
        StringBuilder sb = new StringBuilder(rootField).append("\r\n");
        int remaining = total - rootField.length() - lastField.length();
        while (remaining > 0) {
            int block = Math.min(remaining, 200_000);
            if (remaining - block > 0 && remaining - block < 10) block -= 10;
            sb.append("--b\r\n").append(padFields(block)).append("\r\nx\r\n");
            remaining -= block;
        }
        sb.append("--b\r\n").append(lastField).append("\r\n<p>last</p>\r\n--b--\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Pad header fields of exactly {@code bytes} bytes in all (at least 10). */
    static String padFields(int bytes) {
        StringBuilder sb = new StringBuilder();
        int remaining = bytes;
        while (remaining > 0) {
            int size = remaining >= 2000 ? 999 : remaining;
            sb.append("X-Pad: ").append("a".repeat(size - 9)).append("\r\n");
            remaining -= size;
        }
        return sb.toString();
    }

    @Test
    void headerFieldsUpToMaxMessageHeaderBytesAreKept() {
        List<Part> parts = Msg.parse(headersTotalling(MimeLimits.MAX_MESSAGE_HEADER_BYTES)).structure().root().children();

        assertThat(parts.getLast().subtype()).isEqualTo("html");
    }

    @Test
    void headerFieldsPastMaxMessageHeaderBytesAreSkipped() {
        byte[] m = headersTotalling(MimeLimits.MAX_MESSAGE_HEADER_BYTES + 1);
        List<Part> parts = Msg.parse(m).structure().root().children();

        assertThat(parts.getLast().subtype()).isEqualTo("plain");
        assertThat(body(m, parts.getLast())).isEqualTo("<p>last</p>");
    }

    @Test
    void headerLineOfMaxHeaderLineBytesIsKeptWhole() {
        String subject = "x".repeat(MimeLimits.MAX_HEADER_LINE_BYTES - "Subject: ".length());
        byte[] m = ("Subject: " + subject + "\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII);

        assertThat(Msg.parse(m).structure().envelope().subject()).contains(subject);
    }

    @Test
    void headerLineLongerThanMaxHeaderLineBytesIsCut() {
        String subject = "x".repeat(MimeLimits.MAX_HEADER_LINE_BYTES - "Subject: ".length());
        byte[] m = ("Subject: " + subject + "y\r\n continued\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII);
        MessageStructure s = Msg.parse(m).structure();

        assertThat(s.envelope().subject()).contains(subject + " continued"); // "y" dropped, next line kept
        assertThat(body(m, s.root())).isEqualTo("body");
    }

    @Test
    void searchTextOfMaxSearchTextCharsIsKeptWhole() {
        String text = "x".repeat(MimeLimits.MAX_SEARCH_TEXT_CHARS - 1) + "\n";
        ParsedMessage p = Msg.parse(("Subject: s\n\n" + text).getBytes(StandardCharsets.US_ASCII));

        assertThat(p.bodyText()).isEqualTo(text);
    }

    @Test
    void searchTextPastMaxSearchTextCharsIsCut() {
        String text = "x".repeat(MimeLimits.MAX_SEARCH_TEXT_CHARS) + "\n";
        ParsedMessage p = Msg.parse(("Subject: s\n\n" + text + "--more--\n").getBytes(StandardCharsets.US_ASCII));

        assertThat(p.bodyText()).hasSize(MimeLimits.MAX_SEARCH_TEXT_CHARS).doesNotContain("\n").doesNotContain("-");
    }

    /** An HTML part whose decoded bytes are a comment then "Z", {@code bytes} in all, without a final newline. */
    static byte[] htmlOfBytes(int bytes) {
        String html = "<!--" + "a".repeat(bytes - 8) + "-->Z";
        return ("Content-Type: text/html\r\n\r\n" + html).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void textPartOfMaxTextPartBytesIsDecodedWhole() {
        assertThat(Msg.parse(htmlOfBytes(MimeLimits.MAX_TEXT_PART_BYTES)).bodyText()).isEqualTo("Z\n");
    }

    @Test
    void textPartPastMaxTextPartBytesIsCut() {
        assertThat(Msg.parse(htmlOfBytes(MimeLimits.MAX_TEXT_PART_BYTES + 1)).bodyText()).isEmpty();
    }
}
