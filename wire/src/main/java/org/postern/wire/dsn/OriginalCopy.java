package org.postern.wire.dsn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.postern.wire.mime.EncodedWords;
import org.postern.wire.mime.HeaderFields;

/**
 * The original message while a notice is written: its header is read first (at most
 * {@link DsnLimits#MAX_SCANNED_HEADER_BYTES}) for what the notice says about it, then it is copied, whole or
 * header only, streaming from the same stream. Line endings are made CRLF while copying (a bare LF or CR
 * would make the notice itself malformed, RFC 5322 §2.3); nothing else changes.
 */
final class OriginalCopy {
    private final InputStream in;
    private final byte[] head;
    /** The header ended within {@link #head} (its empty line is not in it). */
    private final boolean headComplete;
    private final boolean headerEightBit;
    private final boolean headerUtf8;
    private final Optional<String> messageId;
    private final Optional<String> subject;
    private boolean eightBitCopied;

    private OriginalCopy(InputStream in, byte[] head, boolean headComplete) {
        this.in = in;
        this.head = head;
        this.headComplete = headComplete;
        boolean eight = false;
        for (byte b : head) eight |= b < 0;
        this.headerEightBit = eight;
        this.headerUtf8 = eight && isUtf8(head);
        Optional<String> id = Optional.empty();
        Optional<String> subj = Optional.empty();
        for (HeaderFields.Field f : HeaderFields.split(head)) {
            if (f.named("Message-ID") && id.isEmpty()) id = DsnFields.msgId(value(head, f));
            if (f.named("Subject") && subj.isEmpty()) subj = Optional.of(EncodedWords.decode(value(head, f)));
        }
        this.messageId = id;
        this.subject = subj;
    }

    /** Reads the header of {@code in} (buffered by the caller); the stream stays open for {@link #copy}. */
    static OriginalCopy read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(4096);
        int lineLength = 0;
        while (head.size() < DsnLimits.MAX_SCANNED_HEADER_BYTES) {
            int b = in.read();
            if (b < 0) break;
            if (b == '\n') {
                if (lineLength == 0) return new OriginalCopy(in, trimEmptyLine(head), true);
                lineLength = 0;
            } else if (b != '\r') {
                lineLength++;
            }
            head.write(b);
        }
        return new OriginalCopy(in, head.toByteArray(), false);
    }

    /** The header bytes without the empty line's CR (its LF was not written). */
    private static byte[] trimEmptyLine(ByteArrayOutputStream head) {
        byte[] b = head.toByteArray();
        int n = b.length;
        if (n > 0 && b[n - 1] == '\r') n--;
        return java.util.Arrays.copyOf(b, n);
    }

    Optional<String> messageId() {
        return messageId;
    }

    Optional<String> subject() {
        return subject;
    }

    /** The header (as far as read) holds octets above 127. */
    boolean headerEightBit() {
        return headerEightBit;
    }

    /** The header holds 8-bit octets and they are UTF-8 (RFC 6532): it can go as message/global. */
    boolean headerUtf8() {
        return headerUtf8;
    }

    /** An octet above 127 was copied so far. */
    boolean eightBitCopied() {
        return eightBitCopied;
    }

    /**
     * Copies the header fields (without the empty line that ends them) or, with {@code whole}, the whole
     * message; the output ends with CRLF unless nothing was copied.
     */
    void copy(OutputStream out, boolean whole) throws IOException {
        LineEndings w = new LineEndings(out);
        w.write(head, 0, head.length);
        if (headComplete) {
            if (whole) {
                w.write('\r');
                w.write('\n');
                w.copyRest(in);
            }
        } else if (whole) {
            w.copyRest(in);
        } else {
            w.copyHeaderRest(in);
        }
        w.endLine();
        eightBitCopied |= w.eightBit;
    }

    /** The field's value unfolded (line endings dropped, RFC 5322 §2.2.3), as UTF-8 when valid, else Latin-1. */
    private static String value(byte[] head, HeaderFields.Field f) {
        ByteArrayOutputStream v = new ByteArrayOutputStream(f.end() - f.start());
        int i = f.start();
        while (head[i] != ':') i++;
        for (i++; i < f.end(); i++) if (head[i] != '\r' && head[i] != '\n') v.write(head[i]);
        byte[] b = v.toByteArray();
        return new String(b, isUtf8(b) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).strip();
    }

    private static boolean isUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Writes bytes with every line ending as CRLF (a lone CR or LF becomes CRLF); notes 8-bit octets. */
    private static final class LineEndings {
        private final OutputStream out;
        private boolean afterCr;
        private boolean atLineStart = true;
        boolean eightBit;

        LineEndings(OutputStream out) {
            this.out = out;
        }

        void write(int b) throws IOException {
            if (afterCr) {
                afterCr = false;
                out.write('\n');
                atLineStart = true;
                if (b == '\n') return;
            }
            if (b == '\r') {
                out.write('\r');
                afterCr = true;
                return;
            }
            if (b == '\n') {
                out.write('\r');
                out.write('\n');
                atLineStart = true;
                return;
            }
            if (b >= 0x80) eightBit = true;
            atLineStart = false;
            out.write(b);
        }

        void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) write(b[i] & 0xFF);
        }

        void copyRest(InputStream in) throws IOException {
            byte[] buf = new byte[16 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) write(buf, 0, n);
        }

        /** Copies the rest of a long header: up to (without) its empty line. */
        void copyHeaderRest(InputStream in) throws IOException {
            boolean lineEmpty = atLineStart && !afterCr;
            for (int b; (b = in.read()) >= 0; ) {
                if (b == '\n' || b == '\r') {
                    if (lineEmpty && b == '\n') return;
                    if (lineEmpty && b == '\r') continue; // the CR of the empty line's CRLF
                    write(b);
                    lineEmpty = b == '\n';
                    continue;
                }
                write(b);
                lineEmpty = false;
            }
        }

        /** Ends an unterminated last line. */
        void endLine() throws IOException {
            if (afterCr) {
                out.write('\n');
                afterCr = false;
                atLineStart = true;
            }
            if (!atLineStart) {
                out.write('\r');
                out.write('\n');
                atLineStart = true;
            }
        }
    }
}
