package org.postern.server.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The queue SPI. Enqueue happens through {@link org.postern.server.store.MailStore#deliver}; the rest is for
 * the relay workers and the admin commands.
 *
 * <p>Crash safety (DESIGN.md "Relay"): a recipient leaves the queue only through {@link #recordAttempt} with
 * {@code done}, which the relay calls after the remote's 2xx (or after the notice about it is committed).
 * Each call is its own committed transaction.
 */
public interface QueueStore {
    /**
     * Calls {@code listener} after each commit that queued an entry in this process (the relay then looks at
     * once instead of at its next poll). Entries queued by other processes or nodes are seen at the next poll.
     * The listener must be quick and must not throw.
     */
    void onQueued(Runnable listener);

    /**
     * Claims up to {@code max} messages whose next attempt is due at {@code now} and that no live lease holds;
     * each claimed message is leased until {@code now + lease} (a crashed worker's claim expires).
     */
    List<QueuedMessage> claimDue(Instant now, int max, Duration lease);

    /**
     * Extends the leases of these claimed messages to {@code until} (a worker still busy with them renews its
     * claim, so a short lease can expire soon after a crash). A message whose lease was released is left alone.
     */
    void extendLeases(java.util.Collection<Long> messageIds, Instant until);

    /** Records one attempt's outcome for one recipient; {@code done} removes the recipient from the queue. */
    void recordAttempt(long recipientId, boolean done, String error);

    /** Records a failed attempt with the host that answered (when one did) and the RFC 3463 status. */
    void recordFailure(long recipientId, Optional<String> remoteHost, String status, String error);

    /** Releases the lease and sets when the message is next due; a message with no recipients left is retired
     *  (and its blob released). */
    void reschedule(long messageId, Instant nextAttempt);

    /** Notes that the delay notice for this message was sent (it is sent once). */
    void markDelayNotified(long messageId);

    /** Everything queued, oldest first (admin listing). */
    List<QueuedMessage> list();

    /** One queued message. */
    Optional<QueuedMessage> find(long messageId);

    /** Makes the message due at {@code now}; false if it is not queued. */
    boolean retryNow(long messageId, Instant now);

    /** Makes the message due at {@code now} and asks the relay to return it to its sender; false if not queued. */
    boolean requestBounce(long messageId, Instant now);

    /** Deletes the message and its recipients without any notice; false if it is not queued. */
    boolean remove(long messageId);

    /** When the earliest message becomes claimable (due and not leased), if any is queued. */
    Optional<Instant> nextDue();
}
