package org.postern.server.store.sqlite;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.postern.server.store.AccountId;
import org.postern.server.store.Change;
import org.postern.server.store.CopyResult;
import org.postern.server.store.FlagUpdate;
import org.postern.server.store.Flags;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxExistsException;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MailboxNotFoundException;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.NewMessage;
import org.postern.server.store.SpecialUse;
import org.postern.server.store.UidSet;
import org.postern.server.store.WriteTx;

/**
 * Writes of one account inside one group-commit unit. Every change gets its own MODSEQ from the account's
 * counter and its {@code change} row; the mailbox's HIGHESTMODSEQ follows (RFC 7162 §3.1). Mailbox renames
 * live in {@link MailboxRenames}.
 */
final class SqliteWriteTx extends SqliteReadTx implements WriteTx {
    private final WriteScope scope;

    SqliteWriteTx(WriteScope scope, AccountId account) {
        super(scope.db(), account, UidLists.NONE, MessageRows.NONE);   // uncommitted: nothing of it may be remembered
        this.scope = scope;
    }

    WriteScope scope() {
        return scope;
    }

    @Override
    public long highestModSeq() {
        return scope.highestModSeq(account);
    }

    /** RFC 9051 §6.3.4: superior hierarchical names that do not exist are created too. */
    @Override
    public Mailbox createMailbox(MailboxName name, Set<SpecialUse> use) {
        if (mailbox(name).isPresent()) throw new MailboxExistsException(name);
        createMissingParents(name);
        return insertMailbox(name, use);
    }

    void createMissingParents(MailboxName name) {
        String value = name.value();
        for (int i = value.indexOf(MailboxName.SEPARATOR); i > 0; i = value.indexOf(MailboxName.SEPARATOR, i + 1)) {
            MailboxName parent = MailboxName.of(value.substring(0, i));
            if (mailbox(parent).isEmpty()) insertMailbox(parent, Set.of());
        }
    }

    Mailbox insertMailbox(MailboxName name, Set<SpecialUse> use) {
        long uidValidity = scope.nextUidValidity(account);
        long modSeq = scope.nextModSeq(account);
        long id = db.queryLong("INSERT INTO mailbox (account, name, uidvalidity, uid_next, highest_modseq, special_use) "
                + "VALUES (?, ?, ?, 1, ?, ?) RETURNING id", account, name.value(), uidValidity, modSeq,
                encodeUse(use)).orElseThrow();
        MailboxId box = new MailboxId(id);
        scope.record(account, new Change.MailboxCreated(box, name, modSeq));
        return requireMailbox(box);
    }

    @Override
    public void renameMailbox(MailboxId id, MailboxName to) {
        Mailbox box = requireMailbox(id);
        if (box.name().isInbox()) MailboxRenames.renameInbox(this, box, to);
        else MailboxRenames.rename(this, box, to);
    }

    /** RFC 9051 §6.3.5: INBOX cannot be deleted ({@link IllegalArgumentException}). Inferior mailboxes are left
     *  as they are; refusing to delete a mailbox that has them (HASCHILDREN) is the IMAP layer's choice. */
    @Override
    public void deleteMailbox(MailboxId id) {
        Mailbox box = requireMailbox(id);
        if (box.name().isInbox()) throw new IllegalArgumentException("INBOX cannot be deleted (RFC 9051 §6.3.5)");
        db.update("DELETE FROM message WHERE mailbox = ?", id.value());   // triggers release the blobs
        db.update("DELETE FROM mailbox WHERE id = ?", id.value());
        scope.record(account, new Change.MailboxDeleted(id, box.name(), scope.nextModSeq(account)));
    }

    /** RFC 9051 §6.3.7: a subscription is a name; it may name a mailbox that does not exist (any more). */
    @Override
    public void setSubscribed(MailboxName name, boolean subscribed) {
        scope.ensureAccountRow(account);
        if (subscribed) {
            db.update("INSERT INTO subscription (account, name) VALUES (?, ?) ON CONFLICT DO NOTHING", account,
                    name.value());
        } else {
            db.update("DELETE FROM subscription WHERE account = ? AND name = ?", account, name.value());
        }
    }

    @Override
    public MessageMeta append(MailboxId box, NewMessage message) {
        Objects.requireNonNull(message.prefix(), "prefix");
        Objects.requireNonNull(message.structure(), "structure");
        if (message.size() < message.prefix().length) {
            throw new IllegalArgumentException("message size " + message.size() + " is less than its prefix");
        }
        long modSeq = scope.nextModSeq(account);
        long uid = nextUid(box, modSeq);
        Instant date = Instant.ofEpochMilli(message.internalDate().toEpochMilli());
        db.update("INSERT INTO message (mailbox, uid, modseq, flags, internal_date, size, blob, prefix, structure) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", box.value(), uid, modSeq, message.flags().toString(),
                date.toEpochMilli(), message.size(), message.body().id(), message.prefix(),
                message.structure().encode());
        scope.referenced(message.body());
        defineKeywords(box, message.flags().names());
        if (message.headerText() != null || message.bodyText() != null) index(message);
        scope.record(account, new Change.MessageAdded(box, uid, modSeq, message.flags()));
        return new MessageMeta(box, uid, modSeq, message.flags(), date, message.size(), message.body());
    }

    /** Stores the search text once per blob (copies and other recipients' appends share it) for the Indexer. */
    private void index(NewMessage message) {
        long num = db.queryLong("SELECT num FROM blob WHERE id = ?", message.body().id()).orElseThrow();
        if (db.update("INSERT INTO blob_text (num, headers, body) VALUES (?, ?, ?) ON CONFLICT (num) DO NOTHING", num,
                nonNull(message.headerText()), nonNull(message.bodyText())) > 0) {
            scope.markTextAdded();
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** Takes the mailbox's next uid and raises its HIGHESTMODSEQ; throws if the mailbox is not this account's. */
    long nextUid(MailboxId box, long modSeq) {
        return db.queryLong("UPDATE mailbox SET uid_next = uid_next + 1, highest_modseq = max(highest_modseq, ?) "
                        + "WHERE id = ? AND account = ? RETURNING uid_next - 1", modSeq, box.value(), account)
                .orElseThrow(() -> new MailboxNotFoundException(box.toString()));
    }

    /**
     * Adds the keywords among {@code flags} to the mailbox's keyword list (schema V3), which SELECT's FLAGS reads:
     * one row read when a flag set holds a keyword, a write only when one is new to the mailbox.
     */
    void defineKeywords(MailboxId box, java.util.Collection<String> flags) {
        List<String> keywords = flags.stream().filter(f -> !f.startsWith("\\")).toList();
        if (keywords.isEmpty()) return;
        java.util.Set<String> known = keywords(box);
        if (known.containsAll(keywords)) return;
        known.addAll(keywords);
        db.update("UPDATE mailbox SET keywords = ? WHERE id = ?", String.join(" ", known), box.value());
    }

    void raiseHighestModSeq(MailboxId box, long modSeq) {
        db.update("UPDATE mailbox SET highest_modseq = max(highest_modseq, ?) WHERE id = ?", modSeq, box.value());
    }

    /** RFC 7162 §3.1.3: with UNCHANGEDSINCE, a message whose MODSEQ is higher is left alone. */
    @Override
    public List<MessageMeta> setFlags(MailboxId box, UidSet uids, FlagUpdate update, OptionalLong unchangedSince) {
        List<MessageMeta> changed = new ArrayList<>();
        java.util.Set<String> set = new java.util.HashSet<>();
        long highest = 0;
        for (MessageMeta m : messages(box, uids)) {
            if (unchangedSince.isPresent() && m.modSeq() > unchangedSince.getAsLong()) continue;
            Flags flags = update.apply(m.flags());
            if (flags.equals(m.flags())) continue;
            long modSeq = scope.nextModSeq(account);
            db.update("UPDATE message SET flags = ?, modseq = ? WHERE mailbox = ? AND uid = ?", flags.toString(),
                    modSeq, box.value(), m.uid());
            scope.record(account, new Change.FlagsChanged(box, m.uid(), modSeq, flags));
            changed.add(new MessageMeta(box, m.uid(), modSeq, flags, m.internalDate(), m.size(), m.body()));
            set.addAll(flags.names());
            highest = modSeq;
        }
        if (highest > 0) raiseHighestModSeq(box, highest);
        defineKeywords(box, set);
        return changed;
    }

    /** Removes the messages; their uids stay recorded in the change row (QRESYNC VANISHED, RFC 7162 §3.2.10). */
    @Override
    public List<Long> expunge(MailboxId box, UidSet uids) {
        requireMailbox(box);
        List<Long> removed = new ArrayList<>();
        for (UidSet.Range r : Uids.normalize(uids)) {
            List<Long> part = db.query("DELETE FROM message WHERE mailbox = ? AND uid BETWEEN ? AND ? RETURNING uid",
                    rs -> rs.getLong(1), box.value(), r.first(), r.last());
            removed.addAll(part.stream().sorted().toList());   // RETURNING order is unspecified
        }
        if (removed.isEmpty()) return removed;
        long modSeq = scope.nextModSeq(account);
        raiseHighestModSeq(box, modSeq);
        scope.record(account, new Change.MessagesExpunged(box, removed, modSeq));
        return removed;
    }

    /** New uids in the target (RFC 4315 COPYUID), flags and internal date kept, the same blob (one more reference). */
    @Override
    public List<CopyResult> copy(MailboxId from, UidSet uids, MailboxId to) {
        requireMailbox(to);
        List<CopyResult> copied = new ArrayList<>();
        java.util.Set<String> flagsCopied = new java.util.HashSet<>();
        for (MessageMeta m : messages(from, uids)) {
            flagsCopied.addAll(m.flags().names());
            long modSeq = scope.nextModSeq(account);
            long uid = nextUid(to, modSeq);
            db.update("INSERT INTO message (mailbox, uid, modseq, flags, internal_date, size, blob, prefix, structure) "
                    + "SELECT ?, ?, ?, flags, internal_date, size, blob, prefix, structure FROM message "
                    + "WHERE mailbox = ? AND uid = ?", to.value(), uid, modSeq, from.value(), m.uid());
            scope.record(account, new Change.MessageAdded(to, uid, modSeq, m.flags()));
            copied.add(new CopyResult(m.uid(), uid));
        }
        defineKeywords(to, flagsCopied);
        return copied;
    }

    /** INBOX of this account, if it exists. */
    Optional<Mailbox> inbox() {
        return mailbox(MailboxName.INBOX);
    }
}
