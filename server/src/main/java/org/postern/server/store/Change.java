package org.postern.server.store;

import java.util.List;

/** What a committed write changed; recorded in the same transaction and published after commit. */
public sealed interface Change {
    long modSeq();

    record MessageAdded(MailboxId box, long uid, long modSeq, Flags flags) implements Change {}
    record MessagesExpunged(MailboxId box, List<Long> uids, long modSeq) implements Change {
        public MessagesExpunged {
            uids = List.copyOf(uids);
        }
    }
    record FlagsChanged(MailboxId box, long uid, long modSeq, Flags flags) implements Change {}
    record MailboxCreated(MailboxId box, MailboxName name, long modSeq) implements Change {}
    record MailboxRenamed(MailboxId box, MailboxName from, MailboxName to, long modSeq) implements Change {}
    record MailboxDeleted(MailboxId box, MailboxName name, long modSeq) implements Change {}
}
