package org.postern.server.store;

import java.util.List;
import java.util.Optional;
import org.postern.wire.dsn.EnvelopeId;
import org.postern.wire.dsn.Notify;
import org.postern.wire.dsn.OriginalRecipient;
import org.postern.wire.dsn.Ret;

/**
 * What the delivery agent commits for one accepted message, in ONE transaction (DESIGN.md "Commit"): the
 * message appended to the INBOX of each local account, and one outbound queue entry for the remote
 * recipients. Local recipients are already de-duplicated.
 */
public record Delivery(NewMessage local, List<AccountId> localAccounts, Optional<Outbound> outbound) {
    public Delivery {
        localAccounts = List.copyOf(localAccounts);
    }

    /**
     * Mail to relay: the envelope, the prefix (Received, …) that goes in front of the same body blob, and what
     * the relay needs of the transaction later (DSN parameters, body type).
     */
    public record Outbound(String envelopeFrom, List<OutboundRecipient> rcpts, byte[] prefix, long size,
                           Options options) {
        public Outbound {
            rcpts = List.copyOf(rcpts);
        }

        /** Plain recipients, no DSN parameters, 7-bit ASCII (tests). */
        public Outbound(String envelopeFrom, List<String> recipients, byte[] prefix, long size) {
            this(envelopeFrom, recipients.stream().map(OutboundRecipient::of).toList(), prefix, size, Options.NONE);
        }

        public List<String> recipients() {
            return rcpts.stream().map(OutboundRecipient::address).toList();
        }
    }

    /** A remote recipient with its RFC 3461 RCPT parameters, absent when the client gave none. */
    public record OutboundRecipient(String address, Optional<Notify> notifyOn, Optional<OriginalRecipient> orcpt) {
        public static OutboundRecipient of(String address) {
            return new OutboundRecipient(address, Optional.empty(), Optional.empty());
        }
    }

    /**
     * The transaction's MAIL parameters the relay keeps: RET and ENVID (RFC 3461 §4.3, §4.4), whether the body
     * may hold 8-bit octets (BODY=8BITMIME, RFC 6152: the stored MIME structure does not say) and SMTPUTF8
     * (RFC 6531: the next hop must offer it too).
     */
    public record Options(Optional<Ret> ret, Optional<EnvelopeId> envelopeId, boolean eightBit, boolean smtpUtf8) {
        public static final Options NONE = new Options(Optional.empty(), Optional.empty(), false, false);
    }

    /** What was stored: the appended messages (one per local account) and the queue entry id, if any. */
    public record Receipt(List<MessageMeta> appended, Optional<Long> queueId) {}
}
