package org.postern.wire.mime;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Streaming quoted-printable (RFC 2045 §6.7) for text: write the canonical text (CRLF line breaks), get
 * encoded lines. Memory is constant.
 *
 * <ul>
 *   <li>Rule 1, 2: octets 33-60 and 62-126 stand for themselves; "=" and every other octet is "=XX", upper
 *       case hex.</li>
 *   <li>Rule 3: a space or tab stands for itself unless it ends a line (or the text), where it is encoded,
 *       because transports may strip trailing white space. One octet of white space is held to decide.</li>
 *   <li>Rule 4: CRLF is a hard line break and is written as CRLF. A CR or LF that is not part of a CRLF is
 *       content, encoded as =0D or =0A, so decoding gives the octets back exactly.</li>
 *   <li>Rule 5: encoded lines are at most 76 characters; longer ones are broken with a soft line break
 *       ("=" at the end), never inside an "=XX".</li>
 * </ul>
 *
 * <p>{@link #finish()} flushes what is held; {@link #close()} finishes and does not close the underlying
 * stream.
 */
public final class QuotedPrintableEncoder extends OutputStream {
    /** RFC 2045 §6.7 rule 5: "lines of encoded data must not be longer than 76 characters". */
    public static final int MAX_LINE = 76;

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final OutputStream out;
    private int lineLength;
    /** A space or tab not yet written, or -1. */
    private int heldWhite = -1;
    private boolean heldCr;
    private final byte[] token = new byte[3];

    public QuotedPrintableEncoder(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        b &= 0xFF;
        if (heldCr) {
            heldCr = false;
            if (b == '\n') {
                hardBreak();
                return;
            }
            content('\r'); // a lone CR is content
        }
        if (b == '\r') {
            heldCr = true;
            return;
        }
        content(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off, end = off + len; i < end; i++) write(b[i]);
    }

    private void content(int b) throws IOException {
        if (heldWhite >= 0) { // white space followed by more text on the line: literal
            int w = heldWhite;
            heldWhite = -1;
            emit(w, false);
        }
        if (b == ' ' || b == '\t') heldWhite = b;
        else emit(b, !(b >= 33 && b <= 126 && b != '='));
    }

    private void hardBreak() throws IOException {
        flushWhiteEncoded();
        out.write('\r');
        out.write('\n');
        lineLength = 0;
    }

    private void flushWhiteEncoded() throws IOException {
        if (heldWhite >= 0) {
            int w = heldWhite;
            heldWhite = -1;
            emit(w, true);
        }
    }

    private void emit(int b, boolean encode) throws IOException {
        int n;
        if (encode) {
            token[0] = '=';
            token[1] = HEX[b >> 4];
            token[2] = HEX[b & 0xF];
            n = 3;
        } else {
            token[0] = (byte) b;
            n = 1;
        }
        // keep room for the "=" of a soft line break, so no line exceeds MAX_LINE
        if (lineLength + n > MAX_LINE - 1) {
            out.write('=');
            out.write('\r');
            out.write('\n');
            lineLength = 0;
        }
        out.write(token, 0, n);
        lineLength += n;
    }

    /** Ends the text: trailing white space is encoded (rule 3), a held CR written as =0D. */
    public void finish() throws IOException {
        if (heldCr) {
            heldCr = false;
            content('\r');
        }
        flushWhiteEncoded();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Finishes; the underlying stream stays open (it belongs to the caller). */
    @Override
    public void close() throws IOException {
        finish();
        out.flush();
    }
}
