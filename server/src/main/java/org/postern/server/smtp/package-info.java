/**
 * The SMTP server (RFC 5321) with its extensions PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152),
 * SMTPUTF8 (RFC 6531), ENHANCEDSTATUSCODES (RFC 2034), DSN (RFC 3461: NOTIFY, ORCPT, RET and ENVID are kept with the queued message), STARTTLS (RFC 3207), AUTH (RFC 4954) and CHUNKING
 * (RFC 3030), on three kinds of listener: MX (port 25), SUBMISSION (587) and SUBMISSIONS (465, RFC 8314).
 *
 * <p>{@link org.postern.server.smtp.SmtpServer} opens listeners; each connection runs one
 * {@link org.postern.server.smtp.SmtpSession} whose implementation notes describe the session rules. Limits
 * are in {@link org.postern.server.smtp.SmtpLimits} (fixed) and
 * {@link org.postern.server.smtp.SmtpSettings} (configurable). Accepted mail goes to the
 * {@link org.postern.server.delivery.DeliveryAgent}; the 250 reply is sent only after it has committed.
 */
package org.postern.server.smtp;
