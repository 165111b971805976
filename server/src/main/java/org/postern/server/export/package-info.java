/**
 * Export of a folder out of the store, for backup or moving away: {@link org.postern.server.export.Export}
 * writes an mboxrd file ({@link org.postern.server.export.MboxWriter}) or a Maildir
 * ({@link org.postern.server.export.MaildirWriter}). Both use LF line ends, as the Unix tools that read them
 * expect; the stored messages keep their CRLF.
 */
package org.postern.server.export;
