/**
 * MIME structure of stored messages, parsed once at delivery so IMAP never re-parses a message.
 *
 * <p>{@link org.postern.wire.mime.MessageParser#parse(java.io.InputStream)} reads a message in one streaming
 * pass with bounded memory and returns a {@link org.postern.wire.mime.ParsedMessage}: the
 * {@link org.postern.wire.mime.MessageStructure} (size, {@link org.postern.wire.mime.Envelope}, tree of
 * {@link org.postern.wire.mime.Part}s with exact octet offsets) and the search text. The store keeps the
 * structure in its compact binary form ({@code encode()}/{@code decode()}); the IMAP server answers ENVELOPE,
 * BODYSTRUCTURE, BODY[section], BODY[section.HEADER/.MIME/.TEXT] and RFC822.SIZE from it, slicing the stored
 * bytes by offset, and SEARCH from the search text.
 *
 * <p>Reusable pieces: {@link org.postern.wire.mime.EncodedWords} (RFC 2047),
 * {@link org.postern.wire.mime.AddressParser} (RFC 5322 address lists),
 * {@link org.postern.wire.mime.QuotedPrintableEncoder} (RFC 2045 §6.7). For relaying to a host without
 * 8BITMIME, {@link org.postern.wire.mime.SevenBitDowngrade} converts a message to 7-bit in one streaming pass
 * by the same structure rules as the parser. Limits, each with its reason, are in
 * {@link org.postern.wire.mime.MimeLimits}. Malformed mail never makes the parser throw; it degrades as
 * documented on each class (the malformed cases are in {@code MessageParserMalformedTest}).
 *
 * <p>Case convention: MIME tokens (type, subtype, encoding, parameter names, disposition type) are lower case;
 * envelope fields and other header values are raw, as IMAP sends them.
 */
package org.postern.wire.mime;
