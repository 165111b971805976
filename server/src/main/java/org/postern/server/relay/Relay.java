package org.postern.server.relay;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.postern.server.delivery.DeliveryAgent;
import org.postern.server.queue.QueueStore;
import org.postern.server.queue.QueuedMessage;
import org.postern.server.store.MailStore;
import org.postern.wire.dsn.Action;
import org.postern.wire.dsn.DeliveryReport;
import org.postern.wire.smtp.EnhancedStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay worker: claims due queue entries, delivers them to the destination domains' MX hosts (or the
 * smarthost), records each recipient's outcome, and sends the sender the notices RFC 3461/3464 call for.
 *
 * <p>Implementation notes:
 * <ul>
 * <li>One loop thread claims batches (with a lease, so a crashed worker's claim expires and another node
 *     never sends the same entry at once), groups the recipients by destination and runs each destination on
 *     a virtual thread ({@link DestinationRun}), without waiting: at most {@link #MAX_IN_FLIGHT} messages are
 *     in progress, and at most {@link DestinationRun#MAX_CONNECTIONS} connections go to one destination. When
 *     all destinations of a message are done, the message is finished: give up, delay notice, reschedule.
 *     Tests call {@link #runOnce()}, which waits for its batch, with an injected clock.</li>
 * <li>Connections outlive batches: a session still good after its work waits in the {@link ConnectionCache}
 *     for the next message to the same destination, up to {@link ConnectionCache#IDLE_CLOSE}; the loop closes
 *     the ones idle longer whenever it waits (at least every {@link #POLL} while it has nothing to dispatch).</li>
 * <li>Crash safety: a recipient leaves the queue only when its outcome is recorded, right after the remote's
 *     reply (and after the notice it needs is committed). A crash between the remote's 2xx and that commit
 *     sends it again: at-least-once, as RFC 5321 §6.1 prefers to a loss.</li>
 * <li>Schedule: after the n-th claim the next is {@code retry[n-1]} later plus up to {@link #JITTER} of it, so
 *     entries that failed together do not return together.</li>
 * <li>A message with more than {@link LoopCheck#MAX_RECEIVED} Received fields fails at once (RFC 5321 §6.3).</li>
 * </ul>
 */
public final class Relay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    /** Entries claimed at once: enough to reuse connections across messages to one destination. */
    static final int MAX_BATCH = 100;
    /** Messages being worked at once, over all batches; the loop claims more only as these finish. */
    static final int MAX_IN_FLIGHT = 1000;
    /**
     * How long a claim holds unless renewed. The loop renews the claims of messages in progress every
     * {@link #LEASE_RENEWAL}, however long their SMTP timeouts (RFC 5321 §4.5.3.2, up to 10 minutes a wait) make
     * them take; so a live worker's entries are never claimed by another, and a crashed worker's are free again
     * a minute after the crash.
     */
    static final Duration LEASE = Duration.ofSeconds(60);
    /** A third of the lease: two renewals may fail (a busy writer) before the lease lapses. */
    static final Duration LEASE_RENEWAL = LEASE.dividedBy(3);
    /**
     * The longest the loop sleeps without looking at the queue: the delay of a new entry when the queue was idle.
     * New entries of this process wake it at once ({@link QueueStore#onQueued}).
     */
    static final Duration POLL = Duration.ofMillis(500);
    /** How long a stop waits for deliveries in progress. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    /** Retries are spread by up to this fraction of their delay. */
    static final double JITTER = 0.1;
    /** Where idle sessions say goodbye: off the loop, which must not wait for a slow server's QUIT reply. */
    private static final Executor IDLE_CLOSER = r -> Thread.ofVirtual().name("relay-idle-close").start(r);

    /** What the relay works with (STYLE.md: a record rather than many constructor arguments). */
    public record Services(MailStore store, DeliveryAgent delivery, MxResolver resolver, Clock clock,
                           RandomGenerator random) {}

    private final RelaySettings settings;
    private final Services services;
    private final QueueStore queue;
    private final Notices notices;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    /** The ids of the messages in progress, whose leases the loop renews. */
    private final Set<Long> working = ConcurrentHashMap.newKeySet();
    private Instant renewed = Instant.EPOCH;
    /** Connections per destination over all batches, in use and idle: {@link DestinationRun#MAX_CONNECTIONS} each. */
    private final ConnectionCache connections = new ConnectionCache(DestinationRun.MAX_CONNECTIONS);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean woken;
    private volatile boolean closed;
    private Thread loop;

    public Relay(RelaySettings settings, Services services) {
        this.settings = settings;
        this.services = services;
        this.queue = services.store().queue();
        this.notices = new Notices(services.delivery(), services.store().blobs(), settings.hostname(), services.clock());
    }

    /** Starts the loop thread. */
    public Relay start() {
        queue.onQueued(this::wake);
        loop = Thread.ofPlatform().name("relay").daemon().start(this::loop);
        return this;
    }

    /** New mail is queued: look now rather than at the next poll. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                renewLeases();
                int free = Math.min(MAX_BATCH, inFlight.availablePermits());
                if (free > 0 && dispatch(free).size() > 0) continue;   // there may be more due
                connections.closeIdle(IDLE_CLOSER);   // not on every batch: a lane's acquire drops its own stale ones
                Duration wait = POLL;
                Optional<Instant> next = queue.nextDue();
                if (next.isPresent()) {
                    Duration until = Duration.between(services.clock().instant(), next.get());
                    if (until.compareTo(wait) < 0) wait = until.isNegative() ? Duration.ZERO : until;
                }
                sleep(wait);
            } catch (RuntimeException e) {
                log.error("relay loop failed, retrying in {}", POLL, e);
                sleep(POLL);
            }
        }
    }

    private void renewLeases() {
        Instant now = services.clock().instant();
        if (Duration.between(renewed, now).compareTo(LEASE_RENEWAL) < 0 || working.isEmpty()) return;
        queue.extendLeases(working, now.plus(LEASE));
        renewed = now;
    }

    private void sleep(Duration d) {
        lock.lock();
        try {
            if (!woken && !closed && !d.isZero()) wakeUp.awaitNanos(d.toNanos());
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** Claims and works one batch of due entries, waiting until it is done; returns how many messages it claimed. */
    public int runOnce() {
        Batch b = dispatch(MAX_BATCH);
        b.await();
        return b.size();
    }

    /** A claimed batch being worked: one virtual thread per destination. */
    private record Batch(int size, List<Thread> threads) {
        void await() {
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;   // the leases expire; nothing is lost
                }
            }
        }
    }

    /**
     * Claims up to {@code max} due entries and starts working them without waiting: a slow destination (a host
     * that answers only at the end of its timeouts) must not hold up mail for the others. Each message is
     * finished ({@link #finish}) when the last of its destinations is done, which also releases its in-flight
     * permit.
     */
    private Batch dispatch(int max) {
        inFlight.acquireUninterruptibly(max);
        List<QueuedMessage> batch;
        try {
            batch = queue.claimDue(services.clock().instant(), max, LEASE);
        } catch (RuntimeException e) {
            inFlight.release(max);
            throw e;
        }
        inFlight.release(max - batch.size());
        Instant now = services.clock().instant();
        Map<String, List<DestinationRun.Work>> byDestination = new LinkedHashMap<>();
        Map<Long, AtomicInteger> pending = new HashMap<>();
        for (QueuedMessage m : batch) {
            if (!working.add(m.id())) {
                // our own entry whose lease lapsed while we still work on it (renewals failed): the work in
                // progress finishes it; a second attempt now would send it twice
                inFlight.release();
                continue;
            }
            try {
                if (failedAtOnce(m, now)) {
                    done(m);
                    continue;
                }
            } catch (RuntimeException e) {
                log.error("queue={} could not be checked; its lease will expire and it is retried", m.id(), e);
                working.remove(m.id());
                inFlight.release();
                continue;
            }
            Map<String, List<QueuedMessage.Recipient>> byDomain = new LinkedHashMap<>();
            for (QueuedMessage.Recipient r : m.recipients())
                byDomain.computeIfAbsent(destinationKey(r.address()), k -> new ArrayList<>()).add(r);
            byDomain.forEach((key, rcpts) ->
                    byDestination.computeIfAbsent(key, k -> new ArrayList<>()).add(new DestinationRun.Work(m, rcpts)));
            pending.put(m.id(), new AtomicInteger(byDomain.size()));
            if (byDomain.isEmpty()) done(m);
        }
        List<Thread> runs = new ArrayList<>();
        byDestination.forEach((key, work) -> runs.add(Thread.ofVirtual().name("relay-" + key).start(() -> {
            try {
                new DestinationRun(key, work, settings, services, notices, connections).run();
            } catch (RuntimeException e) {
                log.error("relay to {} failed; its entries will be retried", key, e);
            } finally {
                for (DestinationRun.Work w : work) {
                    if (pending.get(w.message().id()).decrementAndGet() == 0) done(w.message());
                }
            }
        })));
        return new Batch(batch.size(), runs);
    }

    /** Finishes a message and releases its in-flight permit. */
    private void done(QueuedMessage m) {
        try {
            finish(m);
        } catch (RuntimeException e) {
            log.error("queue={} could not be finished; its lease will expire and it is retried", m.id(), e);
        } finally {
            working.remove(m.id());
            inFlight.release();
        }
    }

    /** The smarthost takes everything; otherwise one destination per domain (case-insensitive). */
    private String destinationKey(String address) {
        if (settings.smarthost().isPresent()) return DestinationRun.SMARTHOST;
        int at = address.lastIndexOf('@');
        return address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** An operator's bounce or a mail loop: every recipient fails without an attempt. */
    private boolean failedAtOnce(QueuedMessage m, Instant now) {
        String reason;
        EnhancedStatus status;
        if (m.bounceRequested()) {
            reason = "returned to the sender by the postmaster";
            status = EnhancedStatus.parse("5.0.0");
        } else if (isLoop(m)) {
            reason = "mail loop: more than " + LoopCheck.MAX_RECEIVED + " Received header fields (RFC 5321 §6.3)";
            status = EnhancedStatus.parse("5.4.6");   // RFC 3463 §3.5: routing loop detected
        } else {
            return false;
        }
        List<Notices.Line> lines = new ArrayList<>();
        for (QueuedMessage.Recipient r : m.recipients()) {
            log.info("queue={} rcpt={} failed: {}", m.id(), r.address(), reason);
            if (r.notifyOrDefault().wants(DeliveryReport.Kind.FAILURE))
                lines.add(new Notices.Line(r, Action.FAILED, status, Optional.empty(), reason, false, Optional.empty()));
        }
        notices.send(m, DeliveryReport.Kind.FAILURE, lines);
        for (QueuedMessage.Recipient r : m.recipients()) queue.recordAttempt(r.id(), true, reason);
        return true;
    }

    private boolean isLoop(QueuedMessage m) {
        try (var in = new QueuedBody(m, services.store().blobs()).open()) {
            return LoopCheck.isLoop(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading queue entry " + m.id(), e);
        }
    }

    /**
     * After the attempt: the recipients still queued either give up (older than give_up: a failure notice), get
     * the one delay notice (older than delay_warning), or simply wait; then the entry is rescheduled, or retired
     * when no recipient is left.
     */
    private void finish(QueuedMessage claimed) {
        Instant now = services.clock().instant();
        Optional<QueuedMessage> current = queue.find(claimed.id());
        if (current.isEmpty()) return;   // removed by the operator meanwhile
        QueuedMessage m = current.get();
        Duration age = Duration.between(m.created(), now);
        var schedule = settings.schedule();
        if (!m.recipients().isEmpty() && age.compareTo(schedule.giveUp()) >= 0) {
            List<Notices.Line> lines = new ArrayList<>();
            for (QueuedMessage.Recipient r : m.recipients()) {
                log.info("queue={} rcpt={} given up after {}: {}", m.id(), r.address(), age, r.lastError());
                if (r.notifyOrDefault().wants(DeliveryReport.Kind.FAILURE))
                    lines.add(line(r, Action.FAILED, "4.4.7", Optional.empty()));   // RFC 3463 §3.5: delivery time expired
            }
            notices.send(m, DeliveryReport.Kind.FAILURE, lines);
            for (QueuedMessage.Recipient r : m.recipients()) queue.recordAttempt(r.id(), true, r.lastError());
        } else if (!m.recipients().isEmpty() && !m.delayNotified() && age.compareTo(schedule.delayWarning()) >= 0
                && schedule.delayWarning().compareTo(schedule.giveUp()) < 0) {
            Instant until = m.created().plus(schedule.giveUp());
            List<Notices.Line> lines = new ArrayList<>();
            for (QueuedMessage.Recipient r : m.recipients()) {
                if (r.notifyOrDefault().wants(DeliveryReport.Kind.DELAY))
                    lines.add(line(r, Action.DELAYED, "4.0.0", Optional.of(until)));
            }
            notices.send(m, DeliveryReport.Kind.DELAY, lines);
            queue.markDelayNotified(m.id());
        }
        queue.reschedule(m.id(), now.plus(retryDelay(Math.max(1, m.attempts()))));
    }

    /** A notice line from what the queue recorded of the last attempt. */
    private static Notices.Line line(QueuedMessage.Recipient r, Action action, String fallbackStatus,
                                     Optional<Instant> until) {
        EnhancedStatus status = r.status().map(EnhancedStatus::parse)
                .filter(s -> s.statusClass() == 4 || action == Action.FAILED && s.statusClass() == 5)
                .orElse(EnhancedStatus.parse(fallbackStatus));
        String text = r.lastError().isEmpty() ? "no delivery attempt finished" : r.lastError();
        boolean remote = r.remoteHost().isPresent() && text.length() > 3 && Character.isDigit(text.charAt(0));
        return new Notices.Line(r, action, status, r.remoteHost(), text, remote, until);
    }

    Duration retryDelay(int attempt) {
        Duration base = settings.schedule().retryDelay(attempt);
        long jitter = (long) (base.toMillis() * JITTER * services.random().nextDouble());
        return base.plusMillis(jitter);
    }

    @Override
    public void close() {
        closed = true;
        wake();
        try {
            if (loop != null) loop.join(Duration.ofSeconds(10));
            // let deliveries in progress record their outcomes before the store closes; what is cut off is
            // retried after the lease (nothing is lost, a recipient may be sent twice)
            if (inFlight.tryAcquire(MAX_IN_FLIGHT, CLOSE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
                inFlight.release(MAX_IN_FLIGHT);
            else log.warn("relay stopped with deliveries still in progress; they are retried after a restart");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connections.close();   // QUIT to the idle sessions; those still in use are closed when released
        }
    }
}
