package org.postern.wire.mime;

import java.io.IOException;

/**
 * {@link SevenBitDowngrade} cannot make the message 7-bit without changing what it says. Thrown while the
 * output is being written, so the caller abandons what was written (for SMTP: closes the connection or
 * never ends DATA) and decides: bounce with 5.6.3 / 5.6.7 (RFC 3463 "conversion required but not
 * supported"), or try a host that offers 8BITMIME.
 */
public final class DowngradeException extends IOException {
    public enum Reason {
        /** RFC 6152 §3 / RFC 6532: a header holds 8-bit octets, which only SMTPUTF8 may carry. */
        EIGHT_BIT_HEADER,
        /**
         * A part declared 7bit (or nothing) has 8-bit octets past {@link SevenBitDowngrade#LOOKAHEAD_BYTES},
         * when its header was already sent unchanged.
         */
        UNDECLARED_EIGHT_BIT,
        /** A quoted-printable or base64 part (or one of an unknown encoding) holds raw 8-bit octets. */
        ENCODED_PART_EIGHT_BIT,
        /**
         * 8-bit octets in a part that may not be encoded (RFC 2045 §6.4, RFC 2046 §5.2): a multipart or message
         * that is kept opaque at {@link MimeLimits#MAX_DEPTH}, a multipart without boundary,
         * message/partial or message/external-body.
         */
        OPAQUE_COMPOSITE_EIGHT_BIT,
        /** A header block longer than {@link MimeLimits#MAX_HEADER_BYTES}: it cannot be held to be rewritten. */
        HEADER_TOO_LARGE
    }

    private final Reason reason;
    private final long offset;

    DowngradeException(Reason reason, long offset, String message) {
        super(message + " (at octet " + offset + ")");
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    /** Octet offset in the input near which the problem was found. */
    public long offset() {
        return offset;
    }
}
