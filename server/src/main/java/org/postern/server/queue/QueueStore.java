package org.postern.server.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The queue SPI. Enqueue happens through {@link org.postern.server.store.MailStore#deliver}; the rest is for
 * the relay workers and the admin commands.
 */
public interface QueueStore {
    /**
     * Claims up to {@code max} messages whose next attempt is due at {@code now} and that no live lease holds;
     * each claimed message is leased until {@code now + lease} (a crashed worker's claim expires).
     */
    List<QueuedMessage> claimDue(Instant now, int max, Duration lease);

    /** Records one attempt's outcome for one recipient; {@code done} removes the recipient from the queue. */
    void recordAttempt(long recipientId, boolean done, String error);

    /** Releases the lease and sets when the message is next due; a message with no recipients left is retired
     *  (and its blob released). */
    void reschedule(long messageId, Instant nextAttempt);

    /** Everything queued, oldest first (admin listing). */
    List<QueuedMessage> list();
}
