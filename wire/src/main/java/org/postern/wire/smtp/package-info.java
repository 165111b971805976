/**
 * SMTP grammar (RFC 5321) shared by the server and the outbound client: commands as a sealed type of records
 * ({@link org.postern.wire.smtp.SmtpCommand}), the command-line parser ({@link org.postern.wire.smtp.SmtpParser})
 * and replies with RFC 3463 enhanced status codes ({@link org.postern.wire.smtp.SmtpReply}), whose
 * {@code encode()} is the only place reply text is put on the wire.
 */
package org.postern.wire.smtp;
