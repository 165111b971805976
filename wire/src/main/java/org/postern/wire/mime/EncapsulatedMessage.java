package org.postern.wire.mime;

/**
 * The message inside a message/rfc822 (or message/global) part: its envelope and its root part, whose
 * {@code headerStart} is the enclosing part's {@code bodyStart}. BODY[n.HEADER] and BODY[n.TEXT] of IMAP
 * (RFC 9051 §6.4.5) are the root's header and body.
 */
public record EncapsulatedMessage(Envelope envelope, Part root) {}
