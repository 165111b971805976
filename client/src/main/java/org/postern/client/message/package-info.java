/**
 * Reading (decoded headers, text, attachments) and writing (compose, reply, forward) messages.
 *
 * <p>Reading reuses wire's MIME code rather than a second parser: {@link org.postern.client.message.MessageView}
 * runs {@link org.postern.wire.mime.MessageParser} over the file once (bounded memory, part offsets), takes the
 * envelope's fields and the header block for References ({@link org.postern.client.message.MessageSummary}), and
 * reads each text part or attachment by its offsets through
 * {@link org.postern.wire.mime.TransferDecodingInputStream}. A text part's charset and HTML are decoded by running
 * the same parser over that part alone, so what a person reads and what the search index holds are decoded alike
 * (wire's charset and HTML helpers are package-private; this needs no change to wire). Attachment file names pass
 * through {@link org.postern.client.message.SafeFileNames} before they name anything on disk.
 *
 * <p>Writing ({@link org.postern.client.message.MessageBuilder}) is ours too: headers through
 * {@code HeaderWriter} (folding, RFC 2047 words, RFC 2231 parameters), text as 7bit or quoted-printable (wire's
 * {@link org.postern.wire.mime.QuotedPrintableEncoder}), attachments streamed as base64. Angus Mail reads our output
 * in the tests, as an independent party.
 */
package org.postern.client.message;
