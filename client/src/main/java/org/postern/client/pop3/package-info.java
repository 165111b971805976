/**
 * Our POP3 client (RFC 1939, CAPA 2449, STLS 2595, AUTH PLAIN 5034): {@link org.postern.client.pop3.Pop3Client}
 * lists by UIDL and LIST, streams RETR dot-unstuffed byte by byte (no line buffer, a total bound of
 * {@link org.postern.client.pop3.Pop3ClientLimits#MAX_MESSAGE_BYTES}), and deletes at QUIT.
 */
package org.postern.client.pop3;
