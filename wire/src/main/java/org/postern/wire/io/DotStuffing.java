package org.postern.wire.io;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a message as a multi-line body that ends with "." on a line of its own: a line that starts with "."
 * gets one more in front (RFC 1939 §3, RFC 5321 §4.5.2), and {@link #finish()} ends an unterminated last line
 * with CRLF before the terminating ".". Every line goes out ending in CRLF, also when the stored message has a
 * bare LF (RFC 1939 §3: each line of a multi-line response ends with CRLF; a client that looks for CRLF.CRLF
 * would otherwise miss the end after an LF-only last line). A CR not followed by LF stays in its line. Streams:
 * nothing is buffered here beyond the caller's writes.
 *
 * <p>{@link #top(OutputStream, long)} passes the header, the blank line after it and then at most that many
 * body lines, and drops the rest (POP3 TOP, RFC 1939 §7). A message without a blank line is all header.
 */
public final class DotStuffing extends OutputStream {
    private static final byte[] LF = {'\n'}, CRLF = {'\r', '\n'}, DOT_LINE = {'.', '\r', '\n'};

    private final OutputStream out;
    private final long maxBodyLines;
    private boolean lineStart = true;
    private boolean inHeader = true;
    private boolean done;
    private long lineBytes;
    private byte lastByte;
    private long bodyLines;

    private DotStuffing(OutputStream out, long maxBodyLines) {
        this.out = out;
        this.maxBodyLines = maxBodyLines;
    }

    /** The whole message (POP3 RETR, SMTP DATA). */
    public static DotStuffing all(OutputStream out) {
        return new DotStuffing(out, Long.MAX_VALUE);
    }

    /** The header, the blank line and the first {@code bodyLines} lines of the body (POP3 TOP). */
    public static DotStuffing top(OutputStream out, long bodyLines) {
        if (bodyLines < 0) throw new IllegalArgumentException("negative line count");
        return new DotStuffing(out, bodyLines);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /**
     * Passes the bytes on in as few writes as possible: a run of lines that need no change (CRLF ends, no
     * leading ".") goes out in one write; only a line that gets a "." in front or a bare LF that becomes CRLF
     * splits the run. Stored messages are nearly always CRLF already, so a 4 KB message is one write, not two
     * per line.
     */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int run = off;   // first byte not yet passed on
        int i = off;     // scan position: the start of the current line's bytes in this write
        while (i < end && !done) {
            if (lineStart) {
                if (b[i] == '.') {
                    out.write(b, run, i - run);
                    out.write('.');
                    run = i;
                }
                lineStart = false;
            }
            int nl = i;
            while (nl < end && b[nl] != '\n') nl++;
            if (nl == end) {   // the line goes on in the next write
                lineBytes += end - i;
                lastByte = b[end - 1];
                i = end;
                break;
            }
            boolean cr = nl > i ? b[nl - 1] == '\r' : lineBytes > 0 && lastByte == '\r';   // the CR may be in the last write
            if (!cr) {   // a bare LF goes out as CRLF
                out.write(b, run, nl - run);
                out.write(CRLF);
                run = nl + 1;
            }
            lineBytes += nl - i;
            lineEnded(lineBytes == 0 || lineBytes == 1 && cr);
            i = nl + 1;
        }
        if (i > run) out.write(b, run, i - run);
    }

    private void lineEnded(boolean empty) {
        lineStart = true;
        lineBytes = 0;
        if (inHeader) {
            if (empty) {
                inHeader = false;
                done = maxBodyLines == 0;
            }
        } else if (++bodyLines >= maxBodyLines) {
            done = true;
        }
    }

    /**
     * True once nothing more will be passed on: TOP has written its last body line, or {@link #finish()} was
     * called. The caller can stop reading the message there rather than read a large body only to drop it.
     */
    public boolean done() {
        return done;
    }

    /** Ends the last line if the message did not, and writes the terminating ".CRLF". Does not flush. */
    public void finish() throws IOException {
        if (!lineStart) out.write(lastByte == '\r' ? LF : CRLF);   // "abc\r" ends as "abc\r\n", not "abc\r\r\n"
        out.write(DOT_LINE);
        lineStart = true;
        done = true;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
