package org.postern.wire.mime;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a message 7-bit for a next hop that does not offer 8BITMIME (RFC 6152 §3: the relay must convert the
 * message per RFC 2045, or bounce it). One streaming pass, memory independent of the message size.
 *
 * <ul>
 *   <li>A leaf part declared {@code 8bit} or {@code binary} is re-encoded: text/* (and the text-like
 *       message/* reports) as quoted-printable (RFC 2045 §6.7), anything else as base64 (§6.8); its
 *       Content-Transfer-Encoding field is replaced. A part that turns out to be 7bit data anyway (all of it
 *       within {@link #LOOKAHEAD_BYTES}) is only relabelled {@code 7bit}.</li>
 *   <li>A leaf part declared {@code 7bit} (or nothing) that still holds 8-bit octets, a NUL, a lone CR or LF
 *       or a line over 998 octets within its first {@link #LOOKAHEAD_BYTES} is re-encoded the same way. Its
 *       header is held until then; past that, it is sent as is, and an 8-bit octet after that fails with
 *       {@link DowngradeException.Reason#UNDECLARED_EIGHT_BIT}.</li>
 *   <li>Multiparts and message/rfc822 (or message/global) parts are never encoded (RFC 2045 §6.4, RFC 2046
 *       §5.2.1): their parts are converted, recursively, and an {@code 8bit}/{@code binary} label on them
 *       becomes {@code 7bit}.</li>
 *   <li>Everything else passes byte-exact: delimiters, 7-bit parts, parts already quoted-printable or
 *       base64 (8-bit octets in those fail, {@link DowngradeException.Reason#ENCODED_PART_EIGHT_BIT}). A
 *       7-bit message comes out identical.</li>
 *   <li>8-bit octets in a header are not ours to change (only SMTPUTF8 may carry them, RFC 6531/6532): with
 *       {@link HeaderPolicy#REJECT} they fail with {@link DowngradeException.Reason#EIGHT_BIT_HEADER}; with
 *       {@link HeaderPolicy#KEEP} they pass and {@link Result#headerEightBit()} says so.</li>
 *   <li>8-bit octets in a preamble or epilogue, which RFC 2046 §5.1.1 says to ignore, become "?"
 *       ({@link Result#replacedOctets()}).</li>
 *   <li>A message without MIME-Version that gets an encoding also gets {@code MIME-Version: 1.0} (RFC 2045
 *       §4), and, when it has no Content-Type, {@code text/plain; charset=unknown-8bit} (RFC 1428 §3: its
 *       8-bit text is in a charset nobody declared).</li>
 * </ul>
 *
 * <p>The structure rules are {@link MessageParser}'s: lines end at LF; a delimiter closes inner parts whose
 * close delimiter is missing; the line ending before a delimiter belongs to it (RFC 2046 §5.1.1), so it is
 * never part of re-encoded content; parts nest down to {@link MimeLimits#MAX_DEPTH}.
 *
 * <p>Is a downgrade needed at all? The structure stored at delivery does not mark 8-bit content (a part's
 * {@link ContentFields#encoding()} is only what it declares), so {@link #declaresEightBit(MessageStructure)}
 * is a hint; {@link #isSevenBit(InputStream)} reads the message and is exact. The cheapest sign is the
 * original transaction's BODY=8BITMIME, which the queue should keep with the message.
 */
public final class SevenBitDowngrade {
    /**
     * Octets of a part declared 7bit (or nothing) held back, with its header, to see whether it hides 8-bit
     * octets: such parts come from old scripts and are small text. 1 MiB bounds the memory of one
     * conversion; a bigger part with 8-bit octets past it is refused, not corrupted.
     */
    public static final int LOOKAHEAD_BYTES = 1024 * 1024;

    public enum HeaderPolicy { REJECT, KEEP }

    /**
     * What the conversion did: parts re-encoded as quoted-printable and as base64, composite or 7-bit parts
     * whose 8bit/binary label became 7bit, whether a header held 8-bit octets (only with
     * {@link HeaderPolicy#KEEP}), octets of preambles and epilogues replaced, octets read.
     */
    public record Result(int quotedPrintable, int base64, int relabelled, boolean headerEightBit, long replacedOctets,
                         long octetsIn) {
        /** Whether the output differs from the input. */
        public boolean changed() {
            return quotedPrintable + base64 + relabelled > 0 || replacedOctets > 0;
        }
    }

    /** Where the reader is, for error messages. */
    interface Position {
        long offset();
    }

    private enum State { HEADER, LEAF, MULTIPART, EPILOGUE, MESSAGE }

    /** One open part. */
    private static final class Entity {
        final int depth;
        final boolean messageHeader;
        final boolean inDigest;
        State state = State.HEADER;
        ByteBuf header = new ByteBuf(1024);
        byte[] boundary;
        ContentFields contentFields = ContentFields.DEFAULT;
        DowngradeSinks.Sink sink;

        Entity(int depth, boolean messageHeader, boolean inDigest) {
            this.depth = depth;
            this.messageHeader = messageHeader;
            this.inDigest = inDigest;
        }
    }

    private final LineReader in;
    private final OutputStream out;
    private final HeaderPolicy policy;
    private final ArrayList<Entity> stack = new ArrayList<>();
    private final Position position;
    private int openMultiparts;
    private int pendingTerminator;
    private int quotedPrintable;
    private int base64;
    private int relabelled;
    private boolean headerEightBit;
    private long replaced;

    private SevenBitDowngrade(InputStream input, OutputStream output, HeaderPolicy policy) {
        this.in = new LineReader(input);
        this.out = output;
        this.policy = policy;
        this.position = () -> in.offset;
    }

    /** Converts with {@link HeaderPolicy#REJECT}. */
    public static Result downgrade(InputStream in, OutputStream out) throws IOException {
        return downgrade(in, out, HeaderPolicy.REJECT);
    }

    /**
     * Reads the message from {@code in} to its end and writes it 7-bit to {@code out} (flushed, not closed).
     *
     * @throws DowngradeException when it cannot; {@code out} then holds a partial message to be abandoned
     */
    public static Result downgrade(InputStream in, OutputStream out, HeaderPolicy policy) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 16 * 1024);
        SevenBitDowngrade d = new SevenBitDowngrade(in, buffered, policy);
        d.run();
        buffered.flush();
        return new Result(d.quotedPrintable, d.base64, d.relabelled, d.headerEightBit, d.replaced, d.in.position());
    }

    /** Whether the message has no octet above 127 (reads it to its end). */
    public static boolean isSevenBit(InputStream in) throws IOException {
        byte[] buf = new byte[16 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) if (buf[i] < 0) return false;
        }
        return true;
    }

    /** Whether any part declares 8bit or binary: a hint from the stored structure, no I/O. */
    public static boolean declaresEightBit(MessageStructure s) {
        return declaresEightBit(s.root());
    }

    private static boolean declaresEightBit(Part p) {
        if (!isSevenBitLabel(p.content().encoding()) && isIdentity(p.content().encoding())) return true;
        for (Part c : p.children()) if (declaresEightBit(c)) return true;
        return p.message().isPresent() && declaresEightBit(p.message().get().root());
    }

    private void run() throws IOException {
        stack.add(new Entity(0, true, false));
        while (in.next()) segment();
        flushPending();
        while (!stack.isEmpty()) finishTop();
    }

    private void segment() throws IOException {
        LineReader r = in;
        if (r.lineStarts) {
            if (r.lineEnds && openMultiparts > 0 && r.length >= 2 && r.buf[r.start] == '-' && r.buf[r.start + 1] == '-'
                    && delimiter(r.buf, r.start, r.length, r.terminator)) {
                return;
            }
            flushPending();
            if (lineStarts(r.buf, r.start, r.length, r.terminator)) return;
        }
        Entity top = stack.getLast();
        content(top, r.buf, r.start, r.length);
        if (r.lineEnds && r.terminator > 0) {
            if (top.state == State.HEADER) top.header.append(TERMINATORS[r.terminator], 0, r.terminator);
            else pendingTerminator = r.terminator;
        }
    }

    private static final byte[][] TERMINATORS = {{}, {'\n'}, {'\r', '\n'}};

    /** The line ending held back: content of the innermost part unless a delimiter follows. */
    private void flushPending() throws IOException {
        if (pendingTerminator == 0) return;
        int t = pendingTerminator;
        pendingTerminator = 0;
        content(stack.getLast(), TERMINATORS[t], 0, t);
    }

    /**
     * A new line starts in the innermost part: in a header, it may end the header. Returns true when the line
     * was the empty line that ends a header, which is then written with it.
     */
    private boolean lineStarts(byte[] b, int s, int len, int terminator) throws IOException {
        for (;;) {
            Entity top = stack.getLast();
            if (top.state != State.HEADER) return false;
            if (len == 0) { // RFC 5322 §2.1: the empty line ends the header
                top.header.append(TERMINATORS[terminator], 0, terminator);
                endHeader(top);
                return true;
            }
            if (b[s] == ' ' || b[s] == '\t' || isFieldStart(b, s, len)) return false;
            endHeader(top); // not a field: the body starts here without the empty line
        }
    }

    private void content(Entity e, byte[] b, int off, int len) throws IOException {
        if (len == 0) return;
        switch (e.state) {
            case HEADER -> {
                if (e.header.size() + len > MimeLimits.MAX_HEADER_BYTES)
                    throw new DowngradeException(DowngradeException.Reason.HEADER_TOO_LARGE, in.offset, "header too large");
                e.header.append(b, off, len);
            }
            case LEAF -> e.sink.write(b, off, len);
            case MULTIPART, EPILOGUE -> preambleOrEpilogue(b, off, len);
            case MESSAGE -> throw new IllegalStateException("content of a message part goes to its message");
        }
    }

    /** RFC 2046 §5.1.1: text "to be ignored"; 8-bit octets in it become "?". */
    private void preambleOrEpilogue(byte[] b, int off, int len) throws IOException {
        for (int i = off, end = off + len; i < end; i++) {
            if (b[i] < 0) {
                out.write('?');
                replaced++;
            } else {
                out.write(b[i]);
            }
        }
    }

    /** Handles a delimiter of an open multipart; false when the line is none. */
    private boolean delimiter(byte[] b, int s, int len, int terminator) throws IOException {
        for (int i = stack.size() - 1; i >= 0; i--) {
            Entity m = stack.get(i);
            if (m.state != State.MULTIPART) continue;
            int kind = delimiterKind(m.boundary, b, s, len);
            if (kind == 0) continue;
            while (stack.size() - 1 > i) finishTop();
            if (pendingTerminator > 0) { // RFC 2046 §5.1.1: the line ending before a delimiter belongs to it
                out.write(TERMINATORS[pendingTerminator], 0, pendingTerminator);
                pendingTerminator = 0;
            }
            out.write(b, s, len);
            out.write(TERMINATORS[terminator], 0, terminator);
            if (kind == 2) {
                m.state = State.EPILOGUE;
                openMultiparts--;
            } else {
                stack.add(new Entity(m.depth + 1, false, m.contentFields.subtype().equals("digest")));
            }
            return true;
        }
        return false;
    }

    /** 0 none, 1 open, 2 close; as {@link PartBuilder#delimiter}. */
    private static int delimiterKind(byte[] bd, byte[] b, int s, int len) {
        int bl = bd.length;
        if (len < 2 + bl) return 0;
        for (int k = 0; k < bl; k++) if (b[s + 2 + k] != bd[k]) return 0;
        int p = s + 2 + bl;
        int end = s + len;
        int kind = 1;
        if (p + 1 < end && b[p] == '-' && b[p + 1] == '-') {
            kind = 2;
            p += 2;
        }
        while (p < end && (b[p] == ' ' || b[p] == '\t')) p++;
        return p == end ? kind : 0;
    }

    /** Ends the innermost open part. */
    private void finishTop() throws IOException {
        Entity e = stack.removeLast();
        switch (e.state) {
            case HEADER -> { // the header never ended: there is no body to convert
                checkHeader(e.header.array(), e.header.size());
                out.write(e.header.array(), 0, e.header.size());
            }
            case LEAF -> e.sink.finish();
            case MULTIPART -> openMultiparts--;
            case EPILOGUE, MESSAGE -> {
            }
        }
    }

    // --- headers ---

    /** The fields of {@code e}'s header block are all read; decides what its body is and how it goes. */
    private void endHeader(Entity e) throws IOException {
        byte[] h = java.util.Arrays.copyOf(e.header.array(), e.header.size());
        e.header = null;
        checkHeader(h, h.length);
        ContentFields c = contentFields(h, e.inDigest);
        e.contentFields = c;
        boolean expand = e.depth < MimeLimits.MAX_DEPTH;
        String boundary = c.isMultipart() ? c.param("boundary").orElse("") : "";
        String encoding = c.encoding();
        if (expand && !boundary.isEmpty()) {
            e.state = State.MULTIPART;
            e.boundary = boundary.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            openMultiparts++;
            // RFC 2045 §6.4: a multipart is labelled by its content, which is all 7bit once converted
            writeHeader(e, h, (isSevenBitLabel(encoding) || !isIdentity(encoding)) ? null : "7bit");
        } else if (expand && c.isMessage() && isIdentity(encoding)) {
            e.state = State.MESSAGE;
            writeHeader(e, h, isSevenBitLabel(encoding) ? null : "7bit");
            stack.add(new Entity(e.depth + 1, true, false));
        } else {
            e.state = State.LEAF;
            e.sink = leafSink(e, h, c);
        }
    }

    private DowngradeSinks.Sink leafSink(Entity e, byte[] h, ContentFields c) throws IOException {
        String encoding = c.encoding();
        boolean opaque = c.isMultipart() || c.isMessage()
                || (c.type().equals("message") && (c.subtype().equals("partial") || c.subtype().equals("external-body")));
        if (opaque || !isIdentity(encoding)) {
            writeHeader(e, h, null);
            return new DowngradeSinks.Checked(out, opaque ? DowngradeException.Reason.OPAQUE_COMPOSITE_EIGHT_BIT
                    : DowngradeException.Reason.ENCODED_PART_EIGHT_BIT, position);
        }
        return new Lookahead(e, h, c, !isSevenBitLabel(encoding));
    }

    /** RFC 2045 §6.1: the identity encodings, whose content is the content. */
    private static boolean isIdentity(String encoding) {
        return TransferDecodingInputStream.isIdentity(encoding);
    }

    private static boolean isSevenBitLabel(String encoding) {
        return encoding.equals("7bit");
    }

    private void checkHeader(byte[] h, int len) throws DowngradeException {
        for (int i = 0; i < len; i++) {
            if (h[i] < 0) {
                if (policy == HeaderPolicy.REJECT)
                    throw new DowngradeException(DowngradeException.Reason.EIGHT_BIT_HEADER, in.offset, "8-bit octet in a header");
                headerEightBit = true;
                return;
            }
        }
    }

    private static ContentFields contentFields(byte[] h, boolean inDigest) {
        HeaderValues values = new HeaderValues();
        ByteBuf b = new ByteBuf(256);
        for (HeaderFields.Field f : HeaderFields.split(h)) {
            b.clear();
            // RFC 5322 §2.2.3: unfolding removes the line breaks
            for (int i = f.start(); i < f.end(); i++) if (h[i] != '\r' && h[i] != '\n') b.append(h[i]);
            String raw = Charsets.headerString(b.array(), 0, b.size());
            int colon = raw.indexOf(':');
            values.add(raw.substring(0, colon).strip(), raw.substring(colon + 1).strip());
        }
        return values.content(inDigest);
    }

    /**
     * Writes a header block, with the Content-Transfer-Encoding field set to {@code encoding} when not null:
     * the first such field is replaced in place, later ones dropped, or one is added after the last field.
     * A message header without MIME-Version gets one (RFC 2045 §4), and without Content-Type also
     * {@code text/plain; charset=unknown-8bit} when its content is re-encoded (RFC 1428 §3).
     */
    private void writeHeader(Entity e, byte[] h, String encoding) throws IOException {
        if (encoding == null) {
            out.write(h);
            return;
        }
        if (encoding.equals("7bit")) relabelled++;
        List<HeaderFields.Field> fields = HeaderFields.split(h);
        boolean hasVersion = false;
        boolean hasType = false;
        boolean replaced = false;
        int cursor = 0;
        int lastEnd = 0;
        ByteBuf o = new ByteBuf(h.length + 64);
        for (HeaderFields.Field f : fields) {
            hasVersion |= f.named("MIME-Version");
            hasType |= f.named("Content-Type");
            lastEnd = f.end();
            if (!f.named("Content-Transfer-Encoding")) continue;
            o.append(h, cursor, f.start() - cursor);
            if (!replaced) append(o, "Content-Transfer-Encoding: " + encoding + "\r\n");
            replaced = true;
            cursor = f.end();
        }
        o.append(h, cursor, lastEnd - cursor);
        if (e.messageHeader && !hasVersion) append(o, "MIME-Version: 1.0\r\n");
        if (e.messageHeader && !hasVersion && !hasType && !encoding.equals("7bit"))
            append(o, "Content-Type: text/plain; charset=unknown-8bit\r\n");
        if (!replaced) append(o, "Content-Transfer-Encoding: " + encoding + "\r\n");
        o.append(h, lastEnd, h.length - lastEnd);
        out.write(o.array(), 0, o.size());
    }

    private static void append(ByteBuf b, String s) {
        byte[] bytes = s.getBytes(US_ASCII);
        b.append(bytes, 0, bytes.length);
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

    // --- leaf content ---

    /**
     * Holds a leaf's header and its first {@link #LOOKAHEAD_BYTES} of content until it knows whether the
     * content is 7bit data, then sends both the cheapest correct way.
     */
    private final class Lookahead implements DowngradeSinks.Sink {
        private final Entity entity;
        private final byte[] header;
        private final ContentFields content;
        private final boolean declaredEightBit;
        private final DowngradeSinks.SevenBitCheck check = new DowngradeSinks.SevenBitCheck();
        private ByteBuf held = new ByteBuf(4096);
        private DowngradeSinks.Sink decided;

        Lookahead(Entity entity, byte[] header, ContentFields content, boolean declaredEightBit) {
            this.entity = entity;
            this.header = header;
            this.content = content;
            this.declaredEightBit = declaredEightBit;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (decided != null) {
                decided.write(b, off, len);
                return;
            }
            check.scan(b, off, len);
            if (!check.ok(false) || held.size() + len > LOOKAHEAD_BYTES) {
                decide(false);
                decided.write(b, off, len);
                return;
            }
            held.append(b, off, len);
        }

        @Override
        public void finish() throws IOException {
            if (decided == null) decide(true);
            decided.finish();
        }

        /** {@code complete}: all content is held, so a 7bit verdict is final. */
        private void decide(boolean complete) throws IOException {
            boolean sevenBit = check.ok(complete) && (complete || !declaredEightBit);
            if (sevenBit) {
                writeHeader(entity, header, declaredEightBit ? "7bit" : null);
                // past the lookahead, the header is out: an 8-bit octet now can only fail
                decided = new DowngradeSinks.Checked(out, DowngradeException.Reason.UNDECLARED_EIGHT_BIT, position);
            } else if (textLike(content)) {
                writeHeader(entity, header, "quoted-printable");
                decided = DowngradeSinks.quotedPrintable(out);
                quotedPrintable++;
            } else {
                writeHeader(entity, header, "base64");
                decided = DowngradeSinks.base64(out);
                base64++;
            }
            decided.write(held.array(), 0, held.size());
            held = null;
        }
    }

    /** Text, and the message/* reports that are text (RFC 3464, RFC 6533, RFC 8098): quoted-printable. */
    private static boolean textLike(ContentFields c) {
        return c.isText() || (c.type().equals("message") && !c.isMessage());
    }
}
