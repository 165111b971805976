/**
 * Message submission (RFC 6409) over wire's {@link org.postern.wire.smtp.client.SmtpClient}: STARTTLS required and
 * verified on 587 ({@code TlsPolicy.RequiredVerified}), implicit TLS on 465 ({@code TlsPolicy.ImplicitVerified},
 * RFC 8314 §3.3), AUTH PLAIN or LOGIN, one transaction; per-recipient refusals become a
 * {@link org.postern.client.smtp.SubmissionException} naming each refused recipient and the accepted ones.
 */
package org.postern.client.smtp;
