package org.postern.wire.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Reads the text after an SMTP DATA command up to its terminating {@code CRLF.CRLF} and writes the message,
 * dot-unstuffed (RFC 5321 §4.5.2), through a {@link MessageChecker} to {@code out}.
 *
 * <p>A line starts only after CRLF. So {@code LF.CRLF}, {@code CRLF.LF}, {@code CR.CRLF} and {@code LF.LF}
 * never end the data: they are SMTP smuggling attempts (mox TestSmuggle) and, since they contain a bare CR or
 * LF, make the message fail with {@link DataResult.BareLineEnding} once the real end has been read
 * (RFC 5321 §2.3.8). Too large and too-long-line messages are likewise read to their end and then refused.
 * Nothing here holds more than a small copy buffer, whatever the message size.
 */
public final class DataReader {
    private static final int LINE_START = 0, DOT = 1, DOT_CR = 2, IN_LINE = 3, CR = 4;
    private static final int CHUNK = 8192;

    private DataReader() {}

    /**
     * @param maxBytes     the largest message accepted, after unstuffing
     * @param maxLineBytes the longest line accepted, its CRLF included
     * @throws EOFException if the connection ends before {@code CRLF.CRLF}
     */
    public static DataResult read(WireInput in, OutputStream out, long maxBytes, int maxLineBytes) throws IOException {
        MessageChecker checker = new MessageChecker(out, maxBytes, maxLineBytes);
        byte[] chunk = new byte[CHUNK];
        int n = 0;
        int state = LINE_START;
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed before the end of DATA");
            if (n >= CHUNK - 2) {
                checker.write(chunk, 0, n);
                n = 0;
            }
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
                        state = DOT;   // either the end marker or a stuffed dot: not part of the message
                    } else {
                        chunk[n++] = (byte) b;
                        state = b == '\r' ? CR : IN_LINE;
                    }
                }
                case DOT -> {
                    if (b == '\r') {
                        state = DOT_CR;
                    } else {
                        chunk[n++] = (byte) b;   // the line was dot-stuffed: its first dot is dropped
                        state = IN_LINE;
                    }
                }
                case DOT_CR -> {
                    if (b == '\n') {
                        if (n > 0) checker.write(chunk, 0, n);
                        return checker.finish();
                    }
                    chunk[n++] = '\r';   // ".CR" then something else: a stuffed dot and a bare CR
                    chunk[n++] = (byte) b;
                    state = b == '\r' ? CR : IN_LINE;
                }
                case IN_LINE -> {
                    chunk[n++] = (byte) b;
                    if (b == '\r') state = CR;
                }
                case CR -> {
                    chunk[n++] = (byte) b;
                    state = b == '\n' ? LINE_START : b == '\r' ? CR : IN_LINE;
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
    }
}
