package org.postern.wire.mime;

import java.util.List;
import java.util.Optional;

/**
 * One MIME entity of a stored message: where it is and what it is.
 *
 * <p>Offsets are absolute octet offsets into the whole stored message: the part's MIME header is
 * {@code [headerStart, bodyStart)} (for IMAP, BODY[n.MIME], or BODY[HEADER] of the root, including the blank
 * line that ends it), its body is {@code [bodyStart, end)} (BODY[n]). As RFC 2046 §5.1.1 says, the line
 * ending before a boundary line belongs to the boundary, so a part's body ends before it. A part whose
 * header never ended (no blank line before the next boundary or the end) has {@code bodyStart == end}.
 *
 * <p>{@code lines} is the number of lines of the body as stored (line endings counted, plus an unterminated
 * last line): the body-fld-lines of RFC 9051 for text/* and message/rfc822 parts, computed for every part.
 *
 * <p>{@code children} are the parts of a multipart/* body, in order. A multipart may have none: its boundary
 * was missing or never seen, it lies at {@link MimeLimits#MAX_DEPTH}, or its parts came after
 * {@link MimeLimits#MAX_PARTS}. RFC 9051's body-type-mpart needs at least one part, so an IMAP writer puts an
 * empty text/plain part in its place (as Dovecot does). {@code message} is present for a message/rfc822 or
 * message/global part whose body was parsed as a message; such a part that was not (a transfer encoding other
 * than 7bit/8bit/binary, or a limit reached) has none and is written as a basic body.
 */
public record Part(long headerStart, long bodyStart, long end, long lines, ContentFields content,
                   List<Part> children, Optional<EncapsulatedMessage> message) {

    public Part {
        if (headerStart < 0 || bodyStart < headerStart || end < bodyStart || lines < 0) {
            throw new IllegalArgumentException(
                    "bad part offsets " + headerStart + "/" + bodyStart + "/" + end + " lines " + lines);
        }
        java.util.Objects.requireNonNull(content, "content");
        java.util.Objects.requireNonNull(message, "message");
        children = List.copyOf(children);
    }

    /** Octets of the body: BODYSTRUCTURE's body-fld-octets. */
    public long bodySize() {
        return end - bodyStart;
    }

    /** Octets of the MIME header, including the blank line that ends it. */
    public long headerSize() {
        return bodyStart - headerStart;
    }

    public String type() {
        return content.type();
    }

    public String subtype() {
        return content.subtype();
    }

    public boolean isMultipart() {
        return content.isMultipart();
    }
}
