/**
 * Delivery status notifications: what the relay queue sends the sender when a message fails, is delayed or
 * (when asked) was delivered.
 *
 * <p>{@link org.postern.wire.dsn.DsnWriter} writes a notice (RFC 3464 message/delivery-status in an RFC 6522
 * multipart/report, the original attached) from a {@link org.postern.wire.dsn.DeliveryReport}: the reported
 * recipients ({@link org.postern.wire.dsn.RecipientResult}, each with its {@link org.postern.wire.dsn.Action},
 * RFC 3463 status and the remote host's reply as {@link org.postern.wire.dsn.Diagnostic}) and the original as
 * a stream ({@link org.postern.wire.dsn.OriginalMessage}). Everything that comes from outside (remote replies,
 * the original's header) is sanitized by {@code DsnFields}, the one place that decides how text goes into a
 * notice's header fields.
 *
 * <p>The RFC 3461 SMTP parameters the queue passes on and that notices report:
 * {@link org.postern.wire.dsn.Ret} (RET=), {@link org.postern.wire.dsn.EnvelopeId} (ENVID=),
 * {@link org.postern.wire.dsn.Notify} (NOTIFY=), {@link org.postern.wire.dsn.OriginalRecipient} (ORCPT=),
 * and their {@link org.postern.wire.dsn.Xtext} encoding. Limits are in {@link org.postern.wire.dsn.DsnLimits}.
 *
 * <p>What is the caller's: sending no notice for a null reverse-path (RFC 5321 §4.5.5) or when
 * {@link org.postern.wire.dsn.Notify#wants} says no; the notice's envelope ({@code MAIL FROM:<>}); choosing
 * BODY=8BITMIME/SMTPUTF8 from {@link org.postern.wire.dsn.DsnWriter.Written}.
 */
package org.postern.wire.dsn;
