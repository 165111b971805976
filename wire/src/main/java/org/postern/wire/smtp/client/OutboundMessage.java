package org.postern.wire.smtp.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.postern.wire.mime.SevenBitDowngrade;

/**
 * The message to send, as the caller stores it: CRLF lines, header and body, no dot-stuffing (the client
 * does that). Each {@code open} returns a new stream from the start and the client closes it; the client never
 * holds the message in memory.
 */
public interface OutboundMessage {
    /** Whether any octet has the high bit set (in the header or body): needs 8BITMIME (RFC 6152) or conversion. */
    boolean eightBit();

    /**
     * Whether the header holds UTF-8 (RFC 6532), so the transaction needs SMTPUTF8 (RFC 6531 §3.4). UTF-8 in
     * the envelope's addresses is found by the client itself.
     */
    boolean needsSmtpUtf8();

    /** Octets of {@link #open()}: the SIZE= estimate (RFC 1870 §3) and the check against the server's limit. */
    long size();

    /** The message as stored. */
    InputStream open() throws IOException;

    /**
     * The message converted to 7 bit (8-bit MIME parts re-encoded as quoted-printable or base64), sent to a
     * server without 8BITMIME (RFC 6152 §3). Only called when {@link #eightBit()} is true. This default converts
     * {@link #open()} into a temporary file (the message is never held in memory) that goes when the stream closes.
     */
    default InputStream openSevenBit() throws IOException {
        Path tmp = Files.createTempFile("postern-7bit-", ".eml");
        try (InputStream in = open(); OutputStream out = Files.newOutputStream(tmp)) {
            SevenBitDowngrade.downgrade(in, out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new FilterInputStream(Files.newInputStream(tmp)) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        };
    }
}
