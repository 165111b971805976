package org.postern.server.store;

import java.util.List;
import java.util.Optional;

/**
 * What the delivery agent commits for one accepted message, in ONE transaction (DESIGN.md "Commit"): the
 * message appended to the INBOX of each local account, and one outbound queue entry for the remote
 * recipients. Local recipients are already de-duplicated.
 */
public record Delivery(NewMessage local, List<AccountId> localAccounts, Optional<Outbound> outbound) {
    public Delivery {
        localAccounts = List.copyOf(localAccounts);
    }

    /** Mail to relay: the envelope, and the prefix (Received, …) that goes in front of the same body blob. */
    public record Outbound(String envelopeFrom, List<String> recipients, byte[] prefix, long size) {
        public Outbound {
            recipients = List.copyOf(recipients);
        }
    }

    /** What was stored: the appended messages (one per local account) and the queue entry id, if any. */
    public record Receipt(List<MessageMeta> appended, Optional<Long> queueId) {}
}
