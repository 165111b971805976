/**
 * The outbound SMTP client (RFC 5321), used to relay mail to other domains' MX hosts or to a smarthost. It knows
 * nothing of queues or storage: the caller resolves MX hosts, supplies the message as an
 * {@link org.postern.wire.smtp.client.OutboundMessage} and decides what to do with each recipient's outcome.
 *
 * <p>The parts:
 * <ul>
 * <li>{@link org.postern.wire.smtp.client.SmtpClient}: one session to one
 *     {@link org.postern.wire.smtp.client.Destination}. {@code connect} does greeting, EHLO/HELO,
 *     STARTTLS per {@link org.postern.wire.smtp.client.TlsPolicy} and AUTH, or throws
 *     {@link org.postern.wire.smtp.client.SessionFailure}; {@code send} runs one transaction and may be
 *     called again on the same session (RSET between); {@code close} sends QUIT.</li>
 * <li>{@link org.postern.wire.smtp.client.Envelope}: sender, recipients, DSN requests (RFC 3461).</li>
 * <li>{@link org.postern.wire.smtp.client.RecipientOutcome}: per recipient, Delivered / TemporaryFailure /
 *     PermanentFailure, with the remote host and a {@link org.postern.wire.smtp.client.Diagnosis} (the full
 *     remote reply, or our own reason) that a DSN can quote as Remote-MTA, Status and Diagnostic-Code.</li>
 * <li>{@link org.postern.wire.smtp.client.ClientSettings}: our EHLO name and the RFC 5321 §4.5.3.2 timeouts;
 *     {@link org.postern.wire.smtp.client.ClientLimits}: what we accept from a server.</li>
 * </ul>
 *
 * <p>Typical use by a queue worker:
 * <pre>{@code
 * try (SmtpClient c = SmtpClient.connect(Destination.mx(mxHost, address), settings)) {
 *     for (Entry e : entriesFor(domain)) record(e, c.send(e.envelope(), e.message()));   // while c.reusable()
 * } catch (SessionFailure f) {
 *     // f.failure() applies to every recipient; temporary: try the next MX
 * }
 * }</pre>
 *
 * <p>Not done here: BDAT/CHUNKING (RFC 3030; we always use DATA), DANE and MTA-STS (RFC 7672, RFC 8461:
 * certificate policy per domain would become another {@link org.postern.wire.smtp.client.TlsPolicy}), REQUIRETLS,
 * and the 8-bit to 7-bit conversion itself, which is {@code wire/mime}'s.
 */
package org.postern.wire.smtp.client;
