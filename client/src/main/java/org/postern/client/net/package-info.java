/**
 * Where the client connects and how: {@link org.postern.client.net.Endpoint} (host, port, implicit TLS / STARTTLS /
 * plaintext, trust), {@link org.postern.client.net.Connection} (connect and read timeouts, TLS from the first byte
 * or upgraded after STARTTLS/STLS, the certificate verified and the host name checked (RFC 6125) with no way to
 * skip it, data injected behind a STARTTLS answer refused), {@link org.postern.client.net.LineReader} (lines
 * bounded by the caller's named limit, literals streamed by exact count), and
 * {@link org.postern.client.net.ProtocolException}, the failure type whose message is written for people.
 */
package org.postern.client.net;
