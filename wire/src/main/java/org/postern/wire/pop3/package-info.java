/**
 * POP3 grammar (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH): commands as a sealed type of records
 * ({@link org.postern.wire.pop3.Pop3Command}) and the command-line parser ({@link org.postern.wire.pop3.Pop3Parser}).
 * Replies are one line, {@code +OK} or {@code -ERR} with an optional RFC 2449 §8 response code
 * ({@link org.postern.wire.pop3.Pop3Reply}); multi-line bodies are dot-stuffed by
 * {@link org.postern.wire.io.DotStuffing}.
 */
package org.postern.wire.pop3;
