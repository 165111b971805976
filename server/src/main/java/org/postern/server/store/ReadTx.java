package org.postern.server.store;

import java.util.List;
import java.util.Optional;
import org.postern.wire.mime.MessageStructure;

/** A consistent read of one account. Never hold one while writing to a socket. */
public interface ReadTx {
    AccountId account();

    Optional<Mailbox> mailbox(MailboxName name);

    Optional<Mailbox> mailbox(MailboxId id);

    /** All mailboxes of the account, ordered by name. */
    List<Mailbox> mailboxes();

    /** Messages whose uid is in {@code uids}, ascending by uid. */
    List<MessageMeta> messages(MailboxId box, UidSet uids);

    /**
     * The UIDs in {@code uids} of the messages flagged \Deleted, ascending: what EXPUNGE and CLOSE remove. Answered
     * without a record per message: EXPUNGE runs in the writer's transaction, which every other change waits for.
     */
    default long[] deleted(MailboxId box, UidSet uids) {
        return messages(box, uids).stream().filter(m -> m.flags().has(Flags.DELETED)).mapToLong(MessageMeta::uid).toArray();
    }

    /**
     * The messages of {@code box} whose MODSEQ is above {@code modSeq}, ascending by uid: what a QRESYNC SELECT
     * (RFC 7162 §3.2.5) reports as FETCH FLAGS. Usually few of many: a store should not make a record for every
     * message (this default does).
     */
    default List<MessageMeta> changedSince(MailboxId box, long modSeq) {
        return messages(box, UidSet.ALL).stream().filter(m -> m.modSeq() > modSeq).toList();
    }

    /** The UIDs of every message in {@code box}, ascending: what opening a mailbox needs, without a row object per message. */
    long[] uids(MailboxId box);

    /** The envelopes of the messages in {@code uids} (FETCH ENVELOPE without the part trees). */
    java.util.Map<Long, org.postern.wire.mime.Envelope> envelopes(MailboxId box, UidSet uids);

    /**
     * The keywords (flags not starting with a backslash) defined in {@code box}, for SELECT's FLAGS: every keyword
     * ever set on a message there. Like Dovecot's, a keyword is not forgotten when the last message loses it
     * (RFC 9051 §7.3.1: FLAGS lists the flags that apply in the mailbox, not those in use).
     */
    java.util.Set<String> keywords(MailboxId box);

    MailboxCounts counts(MailboxId box);

    Optional<MessageStructure> structure(MailboxId box, long uid);

    Optional<MessageContent> content(MailboxId box, long uid);

    /** UIDs in {@code box} whose header or body text contains {@code needle}, case-insensitively (index, not scan). */
    List<Long> searchText(MailboxId box, String needle);

    /** The account's highest MODSEQ so far (0 for a new account). */
    long highestModSeq();

    /** Every change with modSeq greater than {@code modSeq}, in modSeq order, each exactly once. */
    List<Change> changesSince(long modSeq);

    /** Every subscribed name, ordered by name, including names that have no mailbox: a subscription is a name
     *  and outlives its mailbox (RFC 9051 §6.3.7), which {@link #mailboxes()} cannot show. */
    List<MailboxName> subscriptions();

    /** UIDs in {@code box} whose body text contains {@code needle}, case-insensitively (index, not scan). */
    List<Long> searchBodyText(MailboxId box, String needle);

    /**
     * UIDs in {@code box}, ascending, with a top-level header field named {@code field} (case-insensitive) whose
     * decoded value contains {@code needle} case-insensitively; an empty needle matches every message that has
     * the field (RFC 9051 §6.4.4 HEADER). Index, not scan.
     */
    List<Long> searchHeaderField(MailboxId box, String field, String needle);

    /** Per UID in {@code box}: the decoded value of its first top-level header field named {@code field}, if any. */
    java.util.Map<Long, String> firstHeaderValues(MailboxId box, String field);

    /** Octets of all the account's messages, every mailbox (RFC 9208 STORAGE usage: RFC822.SIZE summed). */
    long totalSize();

    /**
     * The stored structures of the messages of {@code box} whose uid is in {@code uids}, by uid: one read for a
     * whole FETCH batch instead of one {@link #structure} per message.
     */
    java.util.Map<Long, MessageStructure> structures(MailboxId box, UidSet uids);

    /** Octets of the messages of {@code box} flagged \Deleted: what an EXPUNGE frees (RFC 9208 DELETED-STORAGE). */
    long deletedSize(MailboxId box);

    /**
     * The UIDs of {@code box} expunged after {@code modSeq}, ascending and distinct: what QRESYNC's VANISHED
     * (EARLIER) reports (RFC 7162 §3.2.5.2, §3.2.6), without reading the rest of the account's change log.
     */
    long[] expungedSince(MailboxId box, long modSeq);
}
