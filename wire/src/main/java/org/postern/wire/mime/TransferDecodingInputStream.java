package org.postern.wire.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * A body with its Content-Transfer-Encoding removed (RFC 2045 §6), decoded as it is read: memory stays bounded
 * by one chunk of input whatever the body's size (IMAP BINARY, RFC 3516, streams 50 MB attachments this way).
 *
 * <p>Decoding is tolerant, with the same decoders the parser uses for search text, as Dovecot's is: base64
 * ignores characters outside its alphabet and a final incomplete quantum (RFC 2045 §6.8 says such characters
 * "must be ignored" and leaves damaged input to the implementation); quoted-printable keeps an "=" that does
 * not start a valid escape. So garbage never fails a fetch, it decodes to something. Quoted-printable hard line
 * breaks decode to CRLF, the canonical form (RFC 2045 §6.7 rule 4); trailing white space on an encoded line is
 * deleted (rule 3).
 */
public final class TransferDecodingInputStream extends InputStream {
    /** Input bytes decoded at a time (base64), and the line segment size (quoted-printable). */
    static final int CHUNK_BYTES = 16 * 1024;

    private final InputStream raw;
    private final Base64Decoder base64;
    private final byte[] chunk;
    private final QuotedPrintableDecoder qp;
    private final LineReader lines;
    private final ByteBuf out = new ByteBuf(CHUNK_BYTES + 2);
    private int pos;
    private boolean eof;

    private TransferDecodingInputStream(InputStream raw, boolean isBase64) {
        this.raw = raw;
        this.base64 = isBase64 ? new Base64Decoder() : null;
        this.chunk = isBase64 ? new byte[CHUNK_BYTES] : null;
        this.qp = isBase64 ? null : new QuotedPrintableDecoder();
        this.lines = isBase64 ? null : new LineReader(raw, CHUNK_BYTES);
    }

    /** Whether the encoding (any case) leaves the body as it is: 7bit, 8bit or binary (RFC 2045 §6.2). */
    public static boolean isIdentity(String encoding) {
        String e = encoding.toLowerCase(Locale.ROOT);
        return e.equals("7bit") || e.equals("8bit") || e.equals("binary");
    }

    /** Whether {@link #decode} knows {@code encoding} (any case): the identity encodings, base64, quoted-printable. */
    public static boolean canDecode(String encoding) {
        String e = encoding.toLowerCase(Locale.ROOT);
        return isIdentity(e) || e.equals("base64") || e.equals("quoted-printable");
    }

    /**
     * {@code raw} decoded from {@code encoding} (any case): {@code raw} itself for an identity encoding, a
     * decoding stream for base64 and quoted-printable, empty for any other encoding (an "x-" token or garbage,
     * which the caller reports, e.g. IMAP's UNKNOWN-CTE). Closing the result closes {@code raw}.
     */
    public static Optional<InputStream> decode(String encoding, InputStream raw) {
        if (isIdentity(encoding)) return Optional.of(raw);
        if (!canDecode(encoding)) return Optional.empty();
        return Optional.of(new TransferDecodingInputStream(raw, encoding.equalsIgnoreCase("base64")));
    }

    @Override
    public int read() throws IOException {
        if (!fill()) return -1;
        return out.array()[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, out.size() - pos);
        System.arraycopy(out.array(), pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

    /** Makes decoded bytes available; false at the end. */
    private boolean fill() throws IOException {
        while (pos == out.size()) {
            if (eof) return false;
            out.clear();
            pos = 0;
            if (base64 != null) {
                int n = raw.read(chunk, 0, chunk.length);
                if (n < 0) eof = true;
                else base64.decode(chunk, 0, n, out, Integer.MAX_VALUE);
            } else if (!lines.next()) {
                eof = true;
            } else {
                qp.decode(lines.buf, lines.start, lines.length, out, Integer.MAX_VALUE);
                if (lines.lineEnds && qp.endLine(false, out, Integer.MAX_VALUE) && lines.terminator > 0) {
                    out.append('\r');
                    out.append('\n');
                }
            }
        }
        return true;
    }
}
