package org.postern.server.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.postern.server.store.BlobRef;
import org.postern.server.store.Delivery;
import org.postern.wire.dsn.Notify;
import org.postern.wire.dsn.OriginalRecipient;

/**
 * One queued message and its recipients still to be tried. Bytes = prefix then body blob.
 *
 * @param envelopeFrom    MAIL FROM, {@code ""} for the null reverse-path
 * @param attempts        claims so far (a crashed attempt counts)
 * @param options         RET, ENVID, 8-bit and SMTPUTF8 of the original transaction
 * @param delayNotified   the one delay notice was sent (or was not wanted)
 * @param bounceRequested the operator asked to return it ({@code postern queue bounce})
 */
public record QueuedMessage(long id, String envelopeFrom, List<Recipient> recipients, BlobRef body, byte[] prefix,
                            long size, Instant created, Instant nextAttempt, int attempts, Delivery.Options options,
                            boolean delayNotified, boolean bounceRequested) {
    public QueuedMessage {
        recipients = List.copyOf(recipients);
    }

    /**
     * One recipient still queued.
     *
     * @param attempts   failed attempts recorded for it
     * @param lastError  the last failure's text (a remote reply, {@code 451 4.3.0 try later}, or our reason); ""
     * @param remoteHost the host that gave it, when one did
     * @param status     its RFC 3463 status ({@code 4.4.1}), when known
     */
    public record Recipient(long id, String address, int attempts, String lastError, Optional<Notify> notifyOn,
                            Optional<OriginalRecipient> orcpt, Optional<String> remoteHost, Optional<String> status) {
        public Recipient(long id, String address, int attempts, String lastError) {
            this(id, address, attempts, lastError, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** NOTIFY as given, else the default (failures and delays). */
        public Notify notifyOrDefault() {
            return notifyOn.orElse(Notify.DEFAULT);
        }
    }

    /** Whether the message came with the null reverse-path (a notice itself: never notified about, RFC 5321 §4.5.5). */
    public boolean nullSender() {
        return envelopeFrom.isEmpty();
    }
}
