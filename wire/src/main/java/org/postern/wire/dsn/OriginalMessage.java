package org.postern.wire.dsn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The message a notice is about, read once while the notice is written (never held whole).
 *
 * @param size      its size in octets, to choose between returning it whole or its header only
 * @param eightBit  it may hold 8-bit octets (its MAIL FROM had BODY=8BITMIME or BINARYMIME, or we do not
 *                  know): the returned copy is declared {@code Content-Transfer-Encoding: 8bit}
 * @param smtpUtf8  its transaction used SMTPUTF8 (RFC 6531): its header may hold UTF-8
 * @param source    opens its bytes (header and body, CRLF lines, not dot-stuffed)
 */
public record OriginalMessage(long size, boolean eightBit, boolean smtpUtf8, Source source) {
    /** Opens the message; {@link DsnWriter} closes what it opens. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    public OriginalMessage {
        if (size < 0) throw new IllegalArgumentException("negative size");
        java.util.Objects.requireNonNull(source, "source");
    }

    /** A message in memory (tests, small local notices); 8-bit is looked for. */
    public static OriginalMessage of(byte[] message) {
        boolean eightBit = false;
        for (byte b : message) eightBit |= b < 0;
        return new OriginalMessage(message.length, eightBit, false, () -> new ByteArrayInputStream(message));
    }
}
