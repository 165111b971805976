package org.postern.server.store;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** A write transaction on one account; commits when the work function returns, rolls back if it throws. */
public interface WriteTx extends ReadTx {
    /** Creates the mailbox (and missing parents, RFC 9051 §6.3.4); assigns a fresh UIDVALIDITY. */
    Mailbox createMailbox(MailboxName name, Set<SpecialUse> use);

    /** Renames the mailbox and its children; renaming INBOX moves its messages to a new mailbox (RFC 9051 §6.3.6).
     *  Throws {@link MailboxExistsException} if a target name is taken, IllegalArgumentException when {@code to}
     *  is below the mailbox itself. */
    void renameMailbox(MailboxId id, MailboxName to);

    /** Deletes the mailbox and its messages; inferior mailboxes stay (refusing with HASCHILDREN is the caller's
     *  choice). Throws IllegalArgumentException for INBOX (RFC 9051 §6.3.5). */
    void deleteMailbox(MailboxId id);

    void setSubscribed(MailboxName name, boolean subscribed);

    /** Appends; assigns the next uid and a new modseq. */
    MessageMeta append(MailboxId box, NewMessage message);

    /** Applies the update to each message in {@code uids}; with {@code unchangedSince}, skips messages whose
     *  modseq is higher (RFC 7162 §3.1.3). Returns the messages whose flags changed. */
    List<MessageMeta> setFlags(MailboxId box, UidSet uids, FlagUpdate update, OptionalLong unchangedSince);

    /** Removes the messages in {@code uids}; returns the uids removed, ascending. */
    List<Long> expunge(MailboxId box, UidSet uids);

    List<CopyResult> copy(MailboxId from, UidSet uids, MailboxId to);
}
