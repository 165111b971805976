package org.postern.wire.io;

/**
 * How a message body read from the wire turned out. Only {@link Complete} may be stored; every other outcome
 * means the bytes were read to their real end (so the protocol stays in step) and must be discarded.
 */
public sealed interface DataResult {
    /** Message bytes seen (after dot-unstuffing), including any past the size limit. */
    long bytes();

    record Complete(long bytes) implements DataResult {}

    /** More than {@code limit} bytes: SMTP answers 552 (RFC 5321 §4.5.3.1.10, RFC 1870). */
    record TooLarge(long bytes, long limit) implements DataResult {}

    /** A CR not followed by LF, or an LF not preceded by CR (RFC 5321 §2.3.8: SMTP smuggling). */
    record BareLineEnding(long bytes) implements DataResult {}

    /** A line longer than {@code limit} bytes including its CRLF. */
    record LineTooLong(long bytes, int limit) implements DataResult {}
}
