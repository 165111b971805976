package org.postern.wire.mime;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;

/** Where the content of one leaf part goes in {@link SevenBitDowngrade}: as is, or re-encoded. */
final class DowngradeSinks {
    private DowngradeSinks() {}

    /** RFC 5321 §4.5.3.1.6 / RFC 2045 §2.7: at most 998 octets on a line of 7bit data. */
    static final int MAX_LINE_OCTETS = 998;

    /** The content of one leaf part: its octets, line endings included; then {@link #finish()}. */
    interface Sink {
        void write(byte[] b, int off, int len) throws IOException;

        void finish() throws IOException;
    }

    /** Copies content unchanged; an 8-bit octet fails with {@code reason} (the header is already out). */
    static final class Checked implements Sink {
        private final OutputStream out;
        private final DowngradeException.Reason reason;
        private final SevenBitDowngrade.Position position;

        Checked(OutputStream out, DowngradeException.Reason reason, SevenBitDowngrade.Position position) {
            this.out = out;
            this.reason = reason;
            this.position = position;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off, end = off + len; i < end; i++) {
                if (b[i] < 0) throw new DowngradeException(reason, position.offset(), "8-bit octet in a part that cannot be re-encoded here");
            }
            out.write(b, off, len);
        }

        @Override
        public void finish() {}
    }

    /** RFC 2045 §6.7 for text: see {@link QuotedPrintableEncoder}. */
    static Sink quotedPrintable(OutputStream out) {
        QuotedPrintableEncoder qp = new QuotedPrintableEncoder(out);
        return new Sink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                qp.write(b, off, len);
            }

            @Override
            public void finish() throws IOException {
                qp.finish();
            }
        };
    }

    /** RFC 2045 §6.8: 76-character lines, CRLF between them, none after the last. */
    static Sink base64(OutputStream out) {
        OutputStream enc = Base64.getMimeEncoder().wrap(new OutputStream() { // close() must not close out
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }
        });
        return new Sink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                enc.write(b, off, len);
            }

            @Override
            public void finish() throws IOException {
                enc.close(); // writes the last quantum and its padding
            }
        };
    }

    /**
     * Tells whether content is already 7bit data (RFC 2045 §2.7: no octet above 127, no NUL, CR and LF only
     * together, lines of at most 998 octets), as it goes by.
     */
    static final class SevenBitCheck {
        private boolean ok = true;
        private boolean afterCr;
        private int lineLength;

        void scan(byte[] b, int off, int len) {
            for (int i = off, end = off + len; i < end && ok; i++) {
                int c = b[i] & 0xFF;
                if (afterCr) {
                    afterCr = false;
                    if (c != '\n') ok = false;
                    lineLength = 0;
                    continue;
                }
                if (c == '\r') afterCr = true;
                else if (c == '\n' || c == 0 || c >= 0x80 || ++lineLength > MAX_LINE_OCTETS) ok = false;
            }
        }

        /** Whether all content seen is 7bit data; {@code atEnd}: a CR may not end it. */
        boolean ok(boolean atEnd) {
            return ok && !(atEnd && afterCr);
        }
    }
}
