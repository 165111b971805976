/**
 * Protocol grammar and codecs shared by the server and the client: SMTP/IMAP/POP3 parsing and writing, MIME
 * structure, addresses, SASL, bounded readers. Knows nothing of storage or JDBC.
 */
package org.postern.wire;
