package org.postern.server.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postern.server.directory.Directory;
import org.postern.server.directory.Route;
import org.postern.server.store.AccountId;
import org.postern.server.store.BlobRef;
import org.postern.server.store.Delivery;
import org.postern.server.store.Flags;
import org.postern.server.store.MailStore;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.NewMail;
import org.postern.server.store.NewMessage;
import org.postern.server.store.StoreException;
import org.postern.wire.address.AddressException;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.address.Path;
import org.postern.wire.dsn.Action;
import org.postern.wire.dsn.DeliveryReport;
import org.postern.wire.dsn.Diagnostic;
import org.postern.wire.dsn.DsnWriter;
import org.postern.wire.dsn.OriginalMessage;
import org.postern.wire.dsn.RecipientResult;
import org.postern.wire.mime.MessageParser;
import org.postern.wire.smtp.EnhancedStatus;
import org.postern.wire.mime.ParsedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes recipients when RCPT names them, and commits an accepted message: local INBOX appends and the
 * outbound queue entry in ONE {@link MailStore#deliver} (DESIGN.md "Commit"). The body blob is already
 * durable when {@link #deliver} runs; what is added here is the header prefix the store keeps in front of it.
 */
public final class DeliveryAgent {
    private static final Logger log = LoggerFactory.getLogger(DeliveryAgent.class);

    private final MailStore store;
    private final Directory directory;
    private final Clock clock;
    private final String hostname;
    private final NewMail newMail;

    public DeliveryAgent(MailStore store, Directory directory, Clock clock, String hostname) {
        this(store, directory, clock, hostname, NewMail.NONE);
    }

    /** {@code newMail} is told of each message delivered here, after the commit (the IMAP server's envelope cache). */
    public DeliveryAgent(MailStore store, Directory directory, Clock clock, String hostname, NewMail newMail) {
        this.store = store;
        this.directory = directory;
        this.clock = clock;
        this.hostname = hostname;
        this.newMail = newMail;
    }

    /**
     * The envelope of one transaction: MAIL FROM, the accepted recipients in RCPT order, and what the queue keeps
     * of the MAIL parameters (RET, ENVID, BODY, SMTPUTF8).
     */
    public record Envelope(Path from, List<Recipient> recipients, Delivery.Options options) {
        public Envelope {
            if (!(from instanceof Path.Null || from instanceof Path.Mailbox)) throw new IllegalArgumentException("bad reverse-path " + from);
            recipients = List.copyOf(recipients);
        }

        public Envelope(Path from, List<Recipient> recipients) {
            this(from, recipients, Delivery.Options.NONE);
        }
    }

    /**
     * What the Received field records about the client.
     *
     * @param protocol   RFC 3848 / RFC 6531 §3.7.3 "with" keyword: SMTP, ESMTP, ESMTPS, ESMTPSA, UTF8SMTPS…
     * @param submission from a submission port: a missing Message-ID / Date is added (RFC 6409 §8.3)
     */
    public record Trace(String helo, InetAddress client, String protocol, boolean submission) {}

    /** The message is committed: tell the client {@code 250 … queued as id}. */
    public record Accepted(String id, int localAccounts, int remoteRecipients, long size) {}

    /**
     * Routes one RCPT TO mailbox. Empty: the domain is ours but nothing takes the address (550 5.1.1).
     * A {@link Recipient.Remote} still needs relay permission, which is the session's decision.
     */
    public Optional<Recipient> route(EmailAddress address) {
        return switch (directory.route(address.toString())) {
            case Route.Local l when l.accounts().isEmpty() && l.forwards().isEmpty() -> Optional.empty();
            case Route.Local l -> Optional.of(new Recipient.Local(address, l.accounts(), l.forwards()));
            case Route.Unknown _ -> Optional.empty();
            case Route.Remote r -> Optional.of(new Recipient.Remote(address));
        };
    }

    /**
     * {@code <Postmaster>} without a domain (RFC 5321 §4.1.1.3, which every server must accept): postmaster
     * of our host name if that is one of our domains, else of our first domain.
     */
    public Optional<Recipient> routePostmaster() {
        List<String> domains = directory.domains();
        String domain = directory.isLocalDomain(hostname) ? hostname : domains.isEmpty() ? null : domains.getFirst();
        if (domain == null) return Optional.empty();
        try {
            return route(new EmailAddress("postmaster", domain));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    /** Starts receiving a body into a pending blob. */
    public IncomingBody begin() {
        try {
            return new IncomingBody(store.blobs().begin());
        } catch (IOException e) {
            throw new StoreException("could not start a message body blob", e);
        }
    }

    /**
     * Builds the header prefixes, describes the message once (prefix + blob) and commits the delivery. Only
     * when this returns may the client be told 250. On any failure the blob is deleted and the exception
     * rethrown (the session answers 451).
     */
    public Accepted deliver(Envelope envelope, Trace trace, IncomingBody.Received body) {
        BlobRef blob = body.blob().ref();
        try {
            return commit(envelope, trace, body);
        } catch (RuntimeException | IOException e) {
            deleteQuietly(blob);
            if (e instanceof RuntimeException r) throw r;
            throw new StoreException("delivery failed reading back blob " + blob.id(), e);
        }
    }

    private Accepted commit(Envelope envelope, Trace trace, IncomingBody.Received body) throws IOException {
        Instant now = clock.instant();
        String id = QueueIds.next(now);

        // local accounts, de-duplicated (two aliases reaching one account deliver once)
        Set<AccountId> accounts = new LinkedHashSet<>();
        // outbound: remote recipients and alias forwards, de-duplicated case-insensitively on the domain
        Map<String, Delivery.OutboundRecipient> outbound = new LinkedHashMap<>();
        for (Recipient r : envelope.recipients()) {
            switch (r) {
                case Recipient.Local l -> {
                    accounts.addAll(l.accounts());
                    for (String f : l.forwards()) outbound.putIfAbsent(f.toLowerCase(Locale.ROOT), Delivery.OutboundRecipient.of(f));
                }
                case Recipient.Remote rm -> outbound.putIfAbsent(rm.address().toString().toLowerCase(Locale.ROOT),
                        new Delivery.OutboundRecipient(rm.address().toString(), rm.params().notifyOn(), rm.params().orcpt()));
            }
        }

        Optional<EmailAddress> only = envelope.recipients().size() == 1
                ? Optional.of(envelope.recipients().getFirst().address()) : Optional.empty();
        StringBuilder added = new StringBuilder(TraceHeaders.received(trace.helo(), trace.client(), hostname,
                trace.protocol(), id, only, now));
        if (trace.submission()) {
            // RFC 6409 §8.3: a submission server MAY add a missing Message-ID and Date (many clients rely on it)
            if (!body.hasMessageId()) added.append(TraceHeaders.messageId(id, hostname));
            if (!body.hasDate()) added.append(TraceHeaders.dateField(now));
        }
        byte[] outboundPrefix = added.toString().getBytes(UTF_8);
        byte[] localPrefix = (TraceHeaders.returnPath(envelope.from()) + added).getBytes(UTF_8);
        long blobSize = body.blob().size();

        // parsed once, prefix included, so the structure's offsets are offsets into prefix + blob (DESIGN.md
        // "Store": FETCH never re-parses). todo: mail with no local account does not need the parse
        ParsedMessage parsed;
        try (InputStream in = new SequenceInputStream(new ByteArrayInputStream(localPrefix), store.blobs().open(body.blob().ref()))) {
            parsed = MessageParser.parse(in);
        }
        NewMessage local = NewMessage.of(body.blob().ref(), localPrefix, Flags.NONE, now, parsed);
        Optional<Delivery.Outbound> out = outbound.isEmpty() ? Optional.empty() : Optional.of(new Delivery.Outbound(
                envelopeFrom(envelope.from()), new ArrayList<>(outbound.values()), outboundPrefix, outboundPrefix.length + blobSize,
                envelope.options()));
        Delivery.Receipt receipt = store.deliver(new Delivery(local, new ArrayList<>(accounts), out));
        for (MessageMeta m : receipt.appended()) newMail.added(m, parsed.structure());
        successNotice(envelope, body.blob().ref(), localPrefix, local.size(), now);
        return new Accepted(id, accounts.size(), outbound.size(), blobSize);
    }

    /**
     * RFC 3461 §4.1 NOTIFY=SUCCESS for recipients delivered here: one "delivered" notice (RFC 3464) to the
     * sender, never for the null reverse-path. It follows the delivery's commit: a crash in between loses the
     * notice, not the mail (the notice is a courtesy; the relay's notices, which are about mail not delivered,
     * are committed before the recipients leave the queue).
     */
    private void successNotice(Envelope envelope, BlobRef blob, byte[] prefix, long size, Instant now) {
        if (!(envelope.from() instanceof Path.Mailbox sender)) return;
        List<RecipientResult> delivered = new ArrayList<>();
        for (Recipient r : envelope.recipients()) {
            if (r instanceof Recipient.Local l && !l.accounts().isEmpty()
                    && l.params().notifyOn().map(n -> n.wants(DeliveryReport.Kind.SUCCESS)).orElse(false)) {
                RecipientResult result = new RecipientResult(l.address(), Optional.empty(), Action.DELIVERED,
                        EnhancedStatus.parse("2.0.0"), Optional.empty(),
                        Optional.of(Diagnostic.local("delivered to the mailbox")), Optional.of(now), Optional.empty());
                delivered.add(l.params().orcpt().map(result::withOriginal).orElse(result));
            }
        }
        if (delivered.isEmpty()) return;
        Optional<Recipient> to = route(sender.address());
        if (to.isEmpty()) return;
        Delivery.Options o = envelope.options();
        try (IncomingBody notice = begin()) {
            DeliveryReport report = new DeliveryReport(DeliveryReport.Kind.SUCCESS, hostname, sender.address(),
                    o.envelopeId(), now, delivered, o.ret(), new OriginalMessage(size, o.eightBit(), o.smtpUtf8(),
                    () -> new SequenceInputStream(new ByteArrayInputStream(prefix), store.blobs().open(blob))));
            DsnWriter.Written w = DsnWriter.defaults().write(report, now, notice.out());
            deliver(new Envelope(new Path.Null(), List.of(to.get()), new Delivery.Options(Optional.empty(),
                    Optional.empty(), w.eightBit(), w.smtpUtf8())), new Trace(hostname,
                    java.net.InetAddress.getLoopbackAddress(), "LOCAL", false), notice.commit());
        } catch (IOException | RuntimeException e) {
            log.warn("could not send the success notice to {}: {}", sender.address(), e.toString());
        }
    }

    private static String envelopeFrom(Path from) {
        return switch (from) {
            case Path.Mailbox m -> m.address().toString();
            case Path.Null _ -> "";
            case Path.Postmaster _ -> throw new IllegalArgumentException("postmaster as sender");
        };
    }

    private void deleteQuietly(BlobRef blob) {
        try {
            store.blobs().delete(blob);
        } catch (IOException | RuntimeException e) {
            log.warn("could not delete blob {} of a failed delivery: {}", blob.id(), e.toString());
        }
    }

    /**
     * Whether an account this local recipient reaches is at or over its storage quota (RFC 9208 STORAGE, set by
     * {@code postern user quota}): SMTP then answers RCPT with 452 4.2.2 "mailbox full" (RFC 3463 §3.3: X.2.2,
     * temporary, since the user may delete mail), so the sender retries rather than bounces at once.
     */
    public boolean mailboxFull(Recipient.Local recipient) {
        for (org.postern.server.store.AccountId a : recipient.accounts()) {
            java.util.OptionalLong limit = directory.quota(a);
            if (limit.isPresent() && store.read(a, org.postern.server.store.ReadTx::totalSize) >= limit.getAsLong()) return true;
        }
        return false;
    }
}
