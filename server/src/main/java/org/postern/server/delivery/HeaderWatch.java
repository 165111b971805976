package org.postern.server.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Passes message bytes through while noting whether the header section has a Message-ID and a Date field,
 * so submission can add the missing ones (RFC 6409 §8.3) without reading the stored file again. Scanning
 * stops at the empty line that ends the header section, or after {@link #MAX_HEADER_BYTES}: a
 * header that long is treated as having both (adding a second Date would do more harm than a missing one).
 */
final class HeaderWatch extends OutputStream {
    /** Header bytes scanned for Message-ID and Date; real header sections are a few KiB, spam-inflated ones
     *  a few hundred. */
    static final int MAX_HEADER_BYTES = 1024 * 1024;
    /** Field names are short; anything longer is not one we look for. */
    private static final int MAX_NAME = 64;

    private final OutputStream out;
    private final StringBuilder name = new StringBuilder();
    private long scanned;
    private int lineLength;
    private boolean collecting = true;
    private boolean done;
    private boolean messageId, date;

    HeaderWatch(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        for (int i = off; i < off + len && !done; i++) scan(b[i]);
    }

    private void scan(byte c) {
        if (++scanned > MAX_HEADER_BYTES) {
            done = true;
            messageId = date = true;
            return;
        }
        if (c == '\r') return;
        if (c == '\n') {
            if (lineLength == 0) done = true;   // RFC 5322 §2.1: an empty line ends the header section
            lineLength = 0;
            collecting = true;
            name.setLength(0);
            return;
        }
        lineLength++;
        if (!collecting) return;
        if (lineLength == 1 && (c == ' ' || c == '\t')) {
            collecting = false;   // folded continuation of the previous field
        } else if (c == ':') {
            switch (name.toString().strip().toLowerCase(Locale.ROOT)) {
                case "message-id" -> messageId = true;
                case "date" -> date = true;
                default -> { }
            }
            collecting = false;
        } else if (name.length() < MAX_NAME) {
            name.append((char) (c & 0xff));
        } else {
            collecting = false;
        }
    }

    boolean hasMessageId() {
        return messageId;
    }

    boolean hasDate() {
        return date;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Does not close {@code out}. */
    @Override
    public void close() throws IOException {
        out.flush();
    }
}
