package org.postern.server.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.postern.server.delivery.DeliveryAgent;
import org.postern.server.delivery.IncomingBody;
import org.postern.server.delivery.Recipient;
import org.postern.server.queue.QueuedMessage;
import org.postern.server.store.BlobStore;
import org.postern.server.store.Delivery;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.address.Path;
import org.postern.wire.dsn.Action;
import org.postern.wire.dsn.DeliveryReport;
import org.postern.wire.dsn.Diagnostic;
import org.postern.wire.dsn.DsnWriter;
import org.postern.wire.dsn.OriginalMessage;
import org.postern.wire.dsn.RecipientResult;
import org.postern.wire.smtp.EnhancedStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends delivery status notifications (RFC 3464) about queued messages to their senders, through the delivery
 * agent: to a local sender's INBOX, or into the queue (MAIL FROM:&lt;&gt;) for a remote one. Never about a message
 * with the null reverse-path (RFC 5321 §4.5.5, RFC 3464 §4: no notice about a notice). Which recipients a notice
 * reports (NOTIFY, RFC 3461 §4.1) is the caller's choice.
 */
final class Notices {
    private static final Logger log = LoggerFactory.getLogger(Notices.class);
    /** The "with" of the Received field a notice gets: generated here, not received over SMTP. */
    private static final String PROTOCOL = "LOCAL";

    private final DeliveryAgent delivery;
    private final BlobStore blobs;
    private final String hostname;
    private final DsnWriter writer;
    private final Clock clock;

    Notices(DeliveryAgent delivery, BlobStore blobs, String hostname, Clock clock) {
        this.delivery = delivery;
        this.blobs = blobs;
        this.hostname = hostname;
        this.writer = DsnWriter.defaults();
        this.clock = clock;
    }

    /**
     * One recipient's line in a notice.
     *
     * @param remoteHost the host that answered, when one did
     * @param remoteReply {@code text} is that host's reply ({@code 550 5.1.1 …}), not our own words
     */
    record Line(QueuedMessage.Recipient recipient, Action action, EnhancedStatus status, Optional<String> remoteHost,
                String text, boolean remoteReply, Optional<Instant> willRetryUntil) {}

    /**
     * Writes and commits one notice of {@code kind} about {@code lines}. Returns false when none was sent (a
     * null sender, or a sender that cannot receive it); a failure of the store propagates, so the caller keeps
     * the recipients queued and tries again (a notice may then go twice, never zero times).
     */
    boolean send(QueuedMessage m, DeliveryReport.Kind kind, List<Line> lines) {
        if (lines.isEmpty() || m.nullSender()) return false;
        EmailAddress sender;
        try {
            sender = EmailAddress.parse(m.envelopeFrom(), m.options().smtpUtf8());
        } catch (IllegalArgumentException e) {
            log.warn("queue={} no {} notice: sender {} is not an address", m.id(), kind, m.envelopeFrom());
            return false;
        }
        Instant now = clock.instant();
        DeliveryReport report = new DeliveryReport(kind, hostname, sender, m.options().envelopeId(), m.created(),
                lines.stream().map(l -> result(l, now)).toList(), m.options().ret(),
                new OriginalMessage(m.size(), m.options().eightBit(), m.options().smtpUtf8(),
                        () -> new QueuedBody(m, blobs).open()));
        Optional<Recipient> to = delivery.route(sender);
        if (to.isEmpty()) {
            log.warn("queue={} no {} notice: local sender {} no longer exists", m.id(), kind, sender);
            return false;
        }
        DsnWriter.Written written;
        IncomingBody.Received received;
        try (IncomingBody body = delivery.begin()) {
            try {
                written = writer.write(report, now, body.out());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("writing a " + kind + " notice for queue entry " + m.id(), e);
            }
            received = body.commit();
        }
        // RFC 3464 §4 / RFC 5321 §4.5.5: the notice itself goes with the null reverse-path
        var envelope = new DeliveryAgent.Envelope(new Path.Null(), List.of(to.get()), new Delivery.Options(
                Optional.empty(), Optional.empty(), written.eightBit(), written.smtpUtf8()));
        var accepted = delivery.deliver(envelope, new DeliveryAgent.Trace(hostname, InetAddress.getLoopbackAddress(),
                PROTOCOL, false), received);
        log.info("queue={} {} notice to {} about {} recipient(s): id={}", m.id(), kind, sender, lines.size(), accepted.id());
        return true;
    }

    private static RecipientResult result(Line l, Instant now) {
        EmailAddress to;
        try {
            to = EmailAddress.parse(l.recipient().address(), true);
        } catch (IllegalArgumentException e) {
            to = new EmailAddress("invalid", "invalid");   // todo: Final-Recipient for an unparsable address
        }
        Diagnostic diagnostic = l.remoteReply() ? Diagnostic.smtp(l.text()) : Diagnostic.local(l.text());
        RecipientResult r = new RecipientResult(to, Optional.empty(), l.action(), l.status(),
                l.remoteHost().filter(h -> EmailAddress.isDomainOrLiteral(h, true)), Optional.of(diagnostic),
                Optional.of(now), l.willRetryUntil());
        return l.recipient().orcpt().map(r::withOriginal).orElse(r);
    }
}
