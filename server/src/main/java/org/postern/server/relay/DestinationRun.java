package org.postern.server.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.server.queue.QueueStore;
import org.postern.server.queue.QueuedMessage;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.address.Path;
import org.postern.wire.dsn.Action;
import org.postern.wire.dsn.DeliveryReport;
import org.postern.wire.dsn.EnvelopeId;
import org.postern.wire.dsn.Notify;
import org.postern.wire.smtp.EnhancedStatus;
import org.postern.wire.smtp.client.Destination;
import org.postern.wire.smtp.client.Diagnosis;
import org.postern.wire.smtp.client.Envelope;
import org.postern.wire.smtp.client.RecipientOutcome;
import org.postern.wire.smtp.client.RecipientResult;
import org.postern.wire.smtp.client.SessionFailure;
import org.postern.wire.smtp.client.SmtpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one batch's recipients for one destination (a domain, an address literal, or the smarthost): finds
 * the hosts, then tries each host and each of its addresses in order until one takes a session, sending every
 * message on it while it stays usable (RFC 5321 §4.1.1.5: RSET between transactions). Several messages are
 * spread over at most {@link #MAX_CONNECTIONS} connections in parallel. Each recipient's outcome is recorded as
 * soon as the transaction ends.
 */
final class DestinationRun {
    private static final Logger log = LoggerFactory.getLogger(DestinationRun.class);

    /** The destination key of all mail when a smarthost is configured. */
    static final String SMARTHOST = "[smarthost]";
    /**
     * Connections to one destination at once: Postfix's initial_destination_concurrency (5). Few and orderly
     * (DESIGN.md "Queue"), since receivers throttle or greylist senders that open many.
     */
    static final int MAX_CONNECTIONS = 5;

    /** Some recipients of one message, all for this destination. */
    record Work(QueuedMessage message, List<QueuedMessage.Recipient> recipients) {}

    private final String destination;
    private final List<Work> work;
    private final RelaySettings settings;
    private final Relay.Services services;
    private final Notices notices;
    private final QueueStore queue;
    private final ConnectionCache cache;

    /** {@code cache}: the relay's connections, shared by every batch. */
    DestinationRun(String destination, List<Work> work, RelaySettings settings, Relay.Services services, Notices notices,
                   ConnectionCache cache) {
        this.destination = destination;
        this.work = work;
        this.settings = settings;
        this.services = services;
        this.notices = notices;
        this.queue = services.store().queue();
        this.cache = cache;
    }

    /** A failure that applies to every recipient before any host was reached (DNS). */
    private record Unreachable(RecipientOutcome.Failure failure) {}

    void run() {
        List<Destination> hosts = new ArrayList<>();
        Optional<Unreachable> unreachable = hosts(hosts);
        if (unreachable.isPresent()) {
            for (Work w : work) recordAll(w, w.recipients(), unreachable.get().failure());
            return;
        }
        int lanes = Math.min(MAX_CONNECTIONS, work.size());
        if (lanes == 1) {
            lane(work, hosts);
            return;
        }
        List<List<Work>> split = new ArrayList<>();
        for (int i = 0; i < lanes; i++) split.add(new ArrayList<>());
        for (int i = 0; i < work.size(); i++) split.get(i % lanes).add(work.get(i));
        List<Thread> threads = split.stream().map(l -> Thread.ofVirtual().start(() -> lane(l, hosts))).toList();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Fills {@code out} with the hosts to try in order, or says why there are none. */
    private Optional<Unreachable> hosts(List<Destination> out) {
        if (destination.equals(SMARTHOST)) {
            RelaySettings.Smarthost s = settings.smarthost().orElseThrow();
            try {
                for (InetAddress a : InetAddress.getAllByName(s.host()))
                    out.add(new Destination(s.host(), new InetSocketAddress(a, s.port()), s.tls(), s.login()));
                return Optional.empty();
            } catch (UnknownHostException e) {
                return unreachable("4.4.3", "smarthost " + s.host() + " not found: " + e.getMessage());
            }
        }
        if (destination.startsWith("[")) {   // RFC 5321 §4.1.3 address literal: no MX lookup
            String literal = destination.substring(1, destination.length() - 1);
            if (literal.regionMatches(true, 0, "IPv6:", 0, 5)) literal = literal.substring(5);
            try {
                out.add(Destination.mx(destination, new InetSocketAddress(InetAddress.ofLiteral(literal), settings.mxPort())));
                return Optional.empty();
            } catch (IllegalArgumentException e) {
                return unreachable("5.1.2", "bad address literal " + destination);
            }
        }
        return switch (services.resolver().resolve(destination)) {
            case MxResult.Hosts h -> {
                for (MxHost host : h.hosts())
                    for (InetAddress a : host.addresses())
                        out.add(Destination.mx(host.host(), new InetSocketAddress(a, settings.mxPort())));
                yield Optional.empty();
            }
            // RFC 3463 §3.2: X.1.2 bad destination system address (no such domain, null MX, a loop)
            case MxResult.PermanentFailure p -> unreachable("5.1.2", p.reason());
            // RFC 3463 §3.5: X.4.3 directory server failure (DNS)
            case MxResult.TemporaryFailure t -> unreachable("4.4.3", t.reason());
        };
    }

    private static Optional<Unreachable> unreachable(String status, String reason) {
        var local = new Diagnosis.Local(EnhancedStatus.parse(status), reason);
        return Optional.of(new Unreachable(status.startsWith("5") ? new RecipientOutcome.PermanentFailure("", local)
                : new RecipientOutcome.TemporaryFailure("", local)));
    }

    /**
     * Sends {@code mine} over as few sessions as the hosts allow, holding one of the destination's connection slots:
     * first on the idle session the slot may come with (checked with RSET), then on sessions to the hosts in order.
     * A session that is still good when the work is done goes back to the cache for the next batch.
     */
    private void lane(List<Work> mine, List<Destination> hosts) {
        Deque<Work> remaining = new ArrayDeque<>(mine);
        Recorder recorder = new Recorder();
        ConnectionCache.Slot slot = cache.acquire(destination);
        Optional<ConnectionCache.Session> keep = Optional.empty();
        try {
            keep = laneWithSlot(slot, remaining, hosts, recorder);
        } finally {
            slot.release(keep);   // the connection is free for the next lane while the outcomes commit
            recorder.await();
        }
    }

    /**
     * Returns the last session used, if the work is done: the slot's {@link ConnectionCache.Slot#release} parks it
     * when it is still {@link ConnectionCache#fresh} and closes it otherwise, so this method does not check that too.
     */
    private Optional<ConnectionCache.Session> laneWithSlot(ConnectionCache.Slot slot, Deque<Work> remaining,
                                                           List<Destination> hosts, Recorder recorder) {
        if (slot.cached().isPresent()) {
            ConnectionCache.Session s = slot.cached().get();
            // RFC 5321 §4.1.1.5: RSET on a session that sat idle; a server that closed it meanwhile (its timeout)
            // costs a new connection, not a deferral of the message
            if (s.client().reset()) sendWhileFresh(s, remaining, recorder);
            if (remaining.isEmpty()) return slot.cached();
            s.client().close();
        }
        RecipientOutcome.Failure last = null;
        for (Destination d : hosts) {
            while (!remaining.isEmpty()) {
                ConnectionCache.Session s;
                try {
                    s = cache.opened(SmtpClient.connect(d, settings.client()));
                } catch (SessionFailure f) {
                    last = f.failure();
                    log.info("relay to {}: host {} [{}] not usable: {}", destination, d.host(), d.address(), f.failure().diagnosis().text());
                    // RFC 5321 §5.1: try the next address / MX host, even after a 5xx greeting (Postfix smtp_skip_5xx_greeting)
                    break;
                }
                sendWhileFresh(s, remaining, recorder);
                if (remaining.isEmpty()) return Optional.of(s);
                boolean broken = !s.client().reusable();
                s.client().close();
                if (broken) break;   // the stream broke: the rest go to the next host
                // else the session met its bound on messages or age: a new one to the same host
            }
        }
        // here every host was tried and some work is left (a lane returns as soon as its work is done)
        RecipientOutcome.Failure failure = last != null ? last : new RecipientOutcome.TemporaryFailure("",
                new Diagnosis.Local(EnhancedStatus.parse("4.4.1"), "no host answered"));
        for (Work w : remaining) recordAll(w, w.recipients(), failure);
        return Optional.empty();
    }

    /** Sends from {@code remaining} while the session is usable and under the cache's bounds. */
    private void sendWhileFresh(ConnectionCache.Session s, Deque<Work> remaining, Recorder recorder) {
        while (!remaining.isEmpty() && cache.fresh(s)) send(s.client(), remaining.removeFirst(), recorder);
    }

    /**
     * Records a lane's transaction outcomes off the lane's thread, so the next transaction goes out while the store
     * commits the last one's outcomes: a commit waits for its fsync, and waiting for each in turn was most of a
     * lane's time (thread dumps under the relay bench: 4 of 5 busy lanes in recordAttempt). The lane waits for all of
     * them before it returns, so a message is finished ({@link Relay}) only after its outcomes are committed. A
     * crash before a commit sends that recipient again, as before (at least once, never lost).
     */
    private static final class Recorder {
        private final List<Thread> pending = new ArrayList<>();

        void later(Runnable record) {
            pending.add(Thread.ofVirtual().name("relay-record").start(() -> {
                try {
                    record.run();
                } catch (RuntimeException e) {
                    log.error("recording a delivery outcome failed; the entry's lease will expire and it is retried", e);
                }
            }));
        }

        void await() {
            for (Thread t : pending) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;   // the leases expire; nothing is lost
                }
            }
        }
    }

    /** One transaction for one message, and its recipients' outcomes recorded. */
    private void send(SmtpClient c, Work w, Recorder recorder) {
        List<QueuedMessage.Recipient> sendable = new ArrayList<>();
        List<Envelope.Recipient> rcpts = new ArrayList<>();
        for (QueuedMessage.Recipient r : w.recipients()) {
            try {
                rcpts.add(envelopeRecipient(r));
                sendable.add(r);
            } catch (IllegalArgumentException e) {
                recordAll(w, List.of(r), new RecipientOutcome.PermanentFailure("", new Diagnosis.Local(
                        EnhancedStatus.parse("5.1.3"), "bad recipient address " + r.address())));
            }
        }
        if (sendable.isEmpty()) return;
        QueuedMessage m = w.message();
        Envelope envelope;
        try {
            envelope = envelope(m, rcpts);
        } catch (IllegalArgumentException e) {
            recordAll(w, sendable, new RecipientOutcome.PermanentFailure("", new Diagnosis.Local(
                    EnhancedStatus.parse("5.1.7"), "bad sender address " + m.envelopeFrom())));
            return;
        }
        List<RecipientResult> results = c.send(envelope, new QueuedBody(m, services.store().blobs()));
        boolean nextHopDsn = c.capabilities().dsn();
        recorder.later(() -> record(m, sendable, results, nextHopDsn));
    }

    private static Envelope envelope(QueuedMessage m, List<Envelope.Recipient> rcpts) {
        Path sender = m.nullSender() ? new Path.Null() : new Path.Mailbox(EmailAddress.parse(m.envelopeFrom(), true));
        Optional<String> envid = m.options().envelopeId().map(EnvelopeId::value)
                .filter(v -> v.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e));
        Optional<Envelope.Ret> ret = m.options().ret().map(r -> Envelope.Ret.valueOf(r.name()));
        // RFC 3461 §4: the DSN parameters are passed on (the client sends them only to a server offering DSN)
        return new Envelope(sender, rcpts, envid, ret);
    }

    private static Envelope.Recipient envelopeRecipient(QueuedMessage.Recipient r) {
        EmailAddress to = EmailAddress.parse(r.address(), true);
        Set<Envelope.Notify> notify = r.notifyOn().map(DestinationRun::notifySet).orElse(Set.of());
        Optional<String> orcpt = r.orcpt().filter(o -> o.isRfc822()
                && o.address().chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)).map(o -> o.address());
        try {
            return new Envelope.Recipient(to, notify, orcpt);
        } catch (IllegalArgumentException e) {
            return new Envelope.Recipient(to, notify, Optional.empty());   // an ORCPT too long to pass on
        }
    }

    private static Set<Envelope.Notify> notifySet(Notify n) {
        if (n.conditions().isEmpty()) return Set.of(Envelope.Notify.NEVER);
        EnumSet<Envelope.Notify> set = EnumSet.noneOf(Envelope.Notify.class);
        for (Notify.Condition c : n.conditions()) set.add(Envelope.Notify.valueOf(c.name()));
        return set;
    }

    /**
     * Records the outcomes: temporary ones at once; a delivery at once unless the sender asked for a success
     * notice that falls to us (RFC 3461 §6.2.1: the next hop does not offer DSN, so we report "relayed"); a
     * permanent failure after its notice is committed, so a crash in between repeats the notice rather than
     * losing it.
     */
    private void record(QueuedMessage m, List<QueuedMessage.Recipient> rcpts, List<RecipientResult> results,
                        boolean nextHopDsn) {
        List<Notices.Line> successes = new ArrayList<>(), failures = new ArrayList<>();
        List<QueuedMessage.Recipient> afterNotice = new ArrayList<>();
        for (int i = 0; i < rcpts.size(); i++) {
            QueuedMessage.Recipient r = rcpts.get(i);
            RecipientOutcome outcome = results.get(i).outcome();
            switch (outcome) {
                case RecipientOutcome.Delivered d -> {
                    String reply = new Diagnosis.Remote(d.reply()).text();
                    log.info("queue={} rcpt={} host={} delivered: {}", m.id(), r.address(), d.remoteHost(), reply);
                    if (!nextHopDsn && !m.nullSender() && r.notifyOrDefault().wants(DeliveryReport.Kind.SUCCESS)) {
                        successes.add(new Notices.Line(r, Action.RELAYED, EnhancedStatus.parse("2.0.0"),
                                host(d.remoteHost()), reply, true, Optional.empty()));
                        afterNotice.add(r);
                    } else {
                        queue.recordAttempt(r.id(), true, reply);
                    }
                }
                case RecipientOutcome.TemporaryFailure t -> recordAll(new Work(m, List.of()), List.of(r), t);
                case RecipientOutcome.PermanentFailure p -> {
                    log.info("queue={} rcpt={} host={} failed: {}", m.id(), r.address(), p.remoteHost(), p.diagnosis().text());
                    if (r.notifyOrDefault().wants(DeliveryReport.Kind.FAILURE)) failures.add(line(r, p));
                    afterNotice.add(r);
                }
            }
        }
        notices.send(m, DeliveryReport.Kind.SUCCESS, successes);
        notices.send(m, DeliveryReport.Kind.FAILURE, failures);
        for (QueuedMessage.Recipient r : afterNotice) queue.recordAttempt(r.id(), true, "");
    }

    /** The same failure for these recipients of {@code w}'s message. */
    private void recordAll(Work w, List<QueuedMessage.Recipient> rcpts, RecipientOutcome.Failure failure) {
        switch (failure) {
            case RecipientOutcome.TemporaryFailure t -> {
                for (QueuedMessage.Recipient r : rcpts) {
                    log.info("queue={} rcpt={} host={} deferred: {}", w.message() == null ? "-" : w.message().id(),
                            r.address(), t.remoteHost().isEmpty() ? "-" : t.remoteHost(), t.diagnosis().text());
                    queue.recordFailure(r.id(), host(t.remoteHost()), t.diagnosis().status().toString(), t.diagnosis().text());
                }
            }
            case RecipientOutcome.PermanentFailure p -> {
                QueuedMessage m = w.message();
                List<Notices.Line> lines = new ArrayList<>();
                for (QueuedMessage.Recipient r : rcpts) {
                    log.info("queue={} rcpt={} host={} failed: {}", m.id(), r.address(),
                            p.remoteHost().isEmpty() ? "-" : p.remoteHost(), p.diagnosis().text());
                    if (r.notifyOrDefault().wants(DeliveryReport.Kind.FAILURE)) lines.add(line(r, p));
                }
                notices.send(m, DeliveryReport.Kind.FAILURE, lines);
                for (QueuedMessage.Recipient r : rcpts) queue.recordAttempt(r.id(), true, p.diagnosis().text());
            }
        }
    }

    private static Notices.Line line(QueuedMessage.Recipient r, RecipientOutcome.PermanentFailure p) {
        return new Notices.Line(r, Action.FAILED, p.diagnosis().status(), host(p.remoteHost()), p.diagnosis().text(),
                p.diagnosis() instanceof Diagnosis.Remote, Optional.empty());
    }

    private static Optional<String> host(String remoteHost) {
        return remoteHost.isEmpty() ? Optional.empty() : Optional.of(remoteHost);
    }
}
