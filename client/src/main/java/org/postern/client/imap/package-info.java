/**
 * Our IMAP client: commands, response parser with streamed literals, QRESYNC/CONDSTORE (RFC 9051, 3501, 7162).
 */
package org.postern.client.imap;
