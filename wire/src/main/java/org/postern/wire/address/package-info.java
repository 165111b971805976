/**
 * Mail addresses as SMTP carries them: {@link org.postern.wire.address.EmailAddress} (RFC 5321 §4.1.2
 * Mailbox, with RFC 6531 UTF-8 when the transaction enabled SMTPUTF8) and
 * {@link org.postern.wire.address.Path} ({@code <>}, {@code <Postmaster>}, {@code <mailbox>}, source routes
 * ignored). Length limits follow RFC 5321 §4.5.3.1. Parsing never does DNS.
 */
package org.postern.wire.address;
