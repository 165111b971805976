package org.postern.wire.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * Parses a message (RFC 5322, MIME RFC 2045-2049) in one streaming pass into its {@link MessageStructure}
 * and search text. Memory is bounded whatever the input: bodies are only counted (text parts are decoded
 * for search up to a cap) and header blocks are capped ({@link MimeLimits}).
 *
 * <p>Implementation notes:
 * <ul>
 *   <li>Lines end at LF, with or without CR; offsets are exact either way, and line counts count either.</li>
 *   <li>A stack of {@link PartBuilder}s holds the open parts. A delimiter line is matched against the open
 *       multiparts from the innermost out (RFC 2046 §5.1.2: an outer boundary closes inner parts whose close
 *       delimiter is missing). A boundary "b" never matches "--bb": after the boundary only "--" and white
 *       space (transport padding, §5.1.1) may follow.</li>
 *   <li>The line ending before a delimiter belongs to the delimiter (§5.1.1), so a part ends before it.</li>
 *   <li>Malformed input never throws: a header line that is not a field starts the body; a missing close
 *       delimiter ends parts at the enclosing boundary or at the end; a part without Content-Type, or with
 *       an invalid one, is text/plain (digest: message/rfc822).</li>
 * </ul>
 */
public final class MessageParser {
    private enum Mode { IGNORE, HEADER, TEXT }

    private final LineReader in;
    private final ArrayList<PartBuilder> stack = new ArrayList<>();
    private final SearchText search = new SearchText();
    private int parts;
    private int openMultiparts;
    private long messageHeaderBytes;
    private boolean messageHeaderBudgetSpent;

    /** Line endings seen so far. */
    private long lineEndings;
    private long lineStart;
    private long lineLength;
    private Mode mode = Mode.IGNORE;
    // the last complete line
    private long prevStart = -1;
    private long prevLength;
    private int prevTerminator;

    // the header field being read
    private final ByteBuf field = new ByteBuf(256);
    private boolean fieldOpen;
    private boolean fieldKept;
    private long fieldStart;
    private long fieldEnd;
    private int lineKept;

    private Part root;
    private Envelope rootEnvelope = Envelope.EMPTY;

    private MessageParser(InputStream input) {
        this.in = new LineReader(input);
    }

    /** Parses a whole message from {@code in} (read to its end, not closed). */
    public static ParsedMessage parse(InputStream in) throws IOException {
        return new MessageParser(in).run();
    }

    public static ParsedMessage parse(byte[] message) {
        try {
            return parse(new ByteArrayInputStream(message));
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array failed", e);
        }
    }

    /** Parses a message given as text (tests and tools): its characters' UTF-8 bytes. */
    public static ParsedMessage parse(String message) {
        return parse(message.getBytes(StandardCharsets.UTF_8));
    }

    private ParsedMessage run() throws IOException {
        stack.add(new PartBuilder(0, 0, true, false));
        parts = 1;
        while (in.next()) segment();
        long end = in.position();
        while (!stack.isEmpty()) end = finishTop(end);
        MessageStructure structure = new MessageStructure(root.end(), rootEnvelope, root);
        return new ParsedMessage(structure, search.headerText(), search.bodyText());
    }

    private void segment() {
        LineReader r = in;
        if (r.lineStarts) {
            lineStart = r.offset;
            lineLength = 0;
            mode = classify(r.buf, r.start, r.length, r.lineEnds, r.terminator);
        }
        lineLength += r.length;
        switch (mode) {
            case HEADER -> keepFieldBytes(r.buf, r.start, r.length);
            case TEXT -> stack.getLast().text.feed(r.buf, r.start, r.length);
            case IGNORE -> {
            }
        }
        if (r.lineEnds) {
            switch (mode) {
                case HEADER -> endFieldLine(lineStart + lineLength + r.terminator);
                case TEXT -> stack.getLast().text.endLine(r.terminator > 0);
                case IGNORE -> {
                }
            }
            if (r.terminator > 0) lineEndings++;
            prevStart = lineStart;
            prevLength = lineLength;
            prevTerminator = r.terminator;
        }
    }

    /** Decides what the line starting in this segment is, acting on delimiters and header ends. */
    private Mode classify(byte[] b, int s, int len, boolean whole, int terminator) {
        for (;;) {
            PartBuilder top = stack.getLast();
            if (whole && openMultiparts > 0 && len >= 2 && b[s] == '-' && b[s + 1] == '-'
                    && delimiter(b, s, len, terminator)) {
                return Mode.IGNORE;
            }
            switch (top.state) {
                case HEADER -> {
                    if (len == 0) { // RFC 5322 §2.1: an empty line ends the header
                        endHeader(top, lineStart + terminator, lineEndings + (terminator > 0 ? 1 : 0));
                        return Mode.IGNORE;
                    }
                    if (b[s] == ' ' || b[s] == '\t') { // RFC 5322 §2.2.3: folded continuation
                        lineKept = 0;
                        return fieldOpen ? Mode.HEADER : Mode.IGNORE;
                    }
                    if (isFieldStart(b, s, len)) {
                        flushField(top);
                        openField(top);
                        return Mode.HEADER;
                    }
                    // not a field: the body starts here without the empty line; look at the line again
                    endHeader(top, lineStart, lineEndings);
                }
                case BODY -> {
                    return top.text != null ? Mode.TEXT : Mode.IGNORE;
                }
                case MULTIPART, EPILOGUE, MESSAGE -> {
                    return Mode.IGNORE;
                }
            }
        }
    }

    /** Handles a delimiter of an open multipart; false when the line is none (or is ignored at a limit). */
    private boolean delimiter(byte[] b, int s, int len, int terminator) {
        for (int i = stack.size() - 1; i >= 0; i--) {
            PartBuilder m = stack.get(i);
            if (m.state != PartBuilder.State.MULTIPART) continue;
            int kind = m.delimiter(b, s, len);
            if (kind == 0) continue;
            if (kind == 1 && parts >= MimeLimits.MAX_PARTS) return false; // fold the rest into this part
            long end = lineStart - prevTerminator; // RFC 2046 §5.1.1: the CRLF before belongs to the boundary
            while (stack.size() - 1 > i) end = finishTop(end);
            if (kind == 2) {
                m.state = PartBuilder.State.EPILOGUE;
                openMultiparts--;
            } else {
                boolean digest = m.content.subtype().equals("digest");
                stack.add(new PartBuilder(lineStart + len + terminator, m.depth + 1, false, digest));
                parts++;
            }
            return true;
        }
        return false;
    }

    /** RFC 5322 §2.2: a field name (printable ASCII but ':'), optional white space (obsolete), ':'. */
    private static boolean isFieldStart(byte[] b, int s, int len) {
        int end = s + len;
        int i = s;
        while (i < end && b[i] > ' ' && b[i] < 0x7F && b[i] != ':') i++;
        if (i == s) return false;
        while (i < end && (b[i] == ' ' || b[i] == '\t')) i++;
        return i < end && b[i] == ':';
    }

    private void openField(PartBuilder top) {
        field.clear();
        fieldOpen = true;
        fieldKept = !top.headerFull && !messageHeaderBudgetSpent;
        fieldStart = lineStart;
        lineKept = 0;
    }

    private void keepFieldBytes(byte[] b, int s, int len) {
        if (!fieldKept) return;
        int n = Math.min(len, MimeLimits.MAX_HEADER_LINE_BYTES - lineKept);
        if (n > 0) {
            field.append(b, s, n);
            lineKept += n;
        }
    }

    private void endFieldLine(long lineEnd) {
        fieldEnd = lineEnd;
        PartBuilder top = stack.getLast();
        if (lineEnd - top.headerStart > MimeLimits.MAX_HEADER_BYTES) {
            top.headerFull = true; // this field and all later ones in the block are skipped
            fieldKept = false;
            field.clear();
        }
    }

    private void flushField(PartBuilder top) {
        if (!fieldOpen) return;
        fieldOpen = false;
        if (!fieldKept) return;
        long size = fieldEnd - fieldStart;
        if (messageHeaderBytes + size > MimeLimits.MAX_MESSAGE_HEADER_BYTES) {
            messageHeaderBudgetSpent = true;
            return;
        }
        messageHeaderBytes += size;
        String raw = Charsets.headerString(field.array(), 0, field.size());
        int colon = raw.indexOf(':');
        if (colon < 0) return;
        String name = raw.substring(0, colon).strip();
        String value = raw.substring(colon + 1).strip();
        top.values.add(name, value);
        if (top.messageHeader) {
            if (top.depth == 0) search.headerField(name, value);
            else if (!search.bodyFull()) search.bodyField(name, value);
        }
    }

    /** The header of {@code top} ended; its body starts at {@code bodyStart}. */
    private void endHeader(PartBuilder top, long bodyStart, long lineEndingsBefore) {
        flushField(top);
        top.bodyStart = bodyStart;
        top.lineEndingsBeforeBody = lineEndingsBefore;
        ContentFields c = top.values.content(top.inDigest);
        top.content = c;
        if (top.messageHeader) top.envelope = top.values.envelope();
        addFileName(c);
        boolean expand = top.depth < MimeLimits.MAX_DEPTH;
        String boundary = c.isMultipart() ? c.param("boundary").orElse("") : "";
        if (expand && !boundary.isEmpty()) {
            top.state = PartBuilder.State.MULTIPART;
            top.boundary = boundary.getBytes(StandardCharsets.UTF_8);
            openMultiparts++;
        } else if (expand && c.isMessage() && isIdentity(c.encoding()) && parts < MimeLimits.MAX_PARTS) {
            top.state = PartBuilder.State.MESSAGE;
            stack.add(new PartBuilder(bodyStart, top.depth + 1, true, false));
            parts++;
        } else {
            top.state = PartBuilder.State.BODY;
            if (c.isText() && !search.bodyFull()) top.text = new TextExtractor(c);
        }
    }

    /** RFC 2046 §5.2.1: message/rfc822 bodies are 7bit, 8bit or binary; others are opaque. */
    private static boolean isIdentity(String encoding) {
        return encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary");
    }

    private void addFileName(ContentFields c) {
        c.fileName().ifPresent(name -> {
            if (!search.bodyFull()) search.body(EncodedWords.decode(name));
        });
    }

    /** Ends the innermost open part at {@code end} (raised to its own start); returns the end used. */
    private long finishTop(long end) {
        PartBuilder b = stack.removeLast();
        long lines;
        if (b.state == PartBuilder.State.HEADER) { // the header never ended: no body
            end = Math.max(end, b.headerStart);
            endHeader(b, end, lineEndings);
            b.text = null;
            if (b.state == PartBuilder.State.MESSAGE) { // it pushed an encapsulated root; drop it
                stack.removeLast();
                parts--;
            }
            if (b.state == PartBuilder.State.MULTIPART) openMultiparts--;
            lines = 0;
        } else {
            end = Math.max(end, b.bodyStart);
            lines = lines(b, end);
            if (b.state == PartBuilder.State.MULTIPART) openMultiparts--;
            if (b.text != null) search.body(b.text.finish());
        }
        Part p = new Part(b.headerStart, b.bodyStart, end, lines, b.content, b.children,
                java.util.Optional.ofNullable(b.message));
        if (stack.isEmpty()) {
            root = p;
            rootEnvelope = b.envelope;
        } else {
            PartBuilder parent = stack.getLast();
            if (parent.state == PartBuilder.State.MESSAGE) parent.message = new EncapsulatedMessage(b.envelope, p);
            else parent.children.add(p);
        }
        return end;
    }

    /**
     * Lines of {@code b}'s body [bodyStart, end): line endings inside it, plus an unterminated last line.
     * {@code end} lies within the last complete line (it is that line's end, or before its ending when a
     * delimiter follows), so only that line's ending can lie past it.
     */
    private long lines(PartBuilder b, long end) {
        if (end <= b.bodyStart) return 0;
        long prevEnd = prevStart + prevLength + prevTerminator;
        long endings = lineEndings - b.lineEndingsBeforeBody;
        if (prevTerminator > 0 && prevEnd > end) endings--;
        boolean endsAfterLineEnding = (prevTerminator > 0 && end == prevEnd) || (end == prevStart && prevStart > 0);
        return Math.max(0, endings) + (endsAfterLineEnding ? 0 : 1);
    }
}
