package org.postern.server.store;

import java.util.Set;

/** A mailbox as of the transaction that read it. */
public record Mailbox(MailboxId id, MailboxName name, long uidValidity, long uidNext, long highestModSeq,
                      Set<SpecialUse> specialUse, boolean subscribed) {
    public Mailbox {
        specialUse = Set.copyOf(specialUse);
    }
}
