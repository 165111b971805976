package org.postern.server.queue;

import java.time.Instant;
import java.util.List;
import org.postern.server.store.BlobRef;

/** One queued message and its recipients still to be tried. Bytes = prefix then body blob. */
public record QueuedMessage(long id, String envelopeFrom, List<Recipient> recipients, BlobRef body, byte[] prefix,
                            long size, Instant created, Instant nextAttempt, int attempts) {
    public QueuedMessage {
        recipients = List.copyOf(recipients);
    }

    public record Recipient(long id, String address, int attempts, String lastError) {}
}
