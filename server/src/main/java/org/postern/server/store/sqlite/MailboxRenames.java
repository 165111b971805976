package org.postern.server.store.sqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.postern.server.store.Change;
import org.postern.server.store.Flags;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxExistsException;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MailboxName;

/** RENAME (RFC 9051 §6.3.6), the two cases: a mailbox with its inferiors, and INBOX. */
final class MailboxRenames {
    private MailboxRenames() {}

    /**
     * Renames the mailbox and every inferior name with it, keeping ids, UIDVALIDITY and messages. Missing
     * superiors of the new name are created. Renaming a mailbox below itself is refused
     * ({@link IllegalArgumentException}): there would be no consistent tree.
     */
    static void rename(SqliteWriteTx tx, Mailbox box, MailboxName to) {
        String from = box.name().value();
        if (to.value().startsWith(from + MailboxName.SEPARATOR)) {
            throw new IllegalArgumentException("cannot rename " + from + " to its own inferior " + to);
        }
        if (to.isInbox() || to.equals(box.name())) throw new MailboxExistsException(to);   // INBOX always exists
        Db db = tx.db;
        record Move(long id, MailboxName from, MailboxName to) {}
        List<Move> moves = new ArrayList<>();
        List<Mailbox> subtree = db.query("SELECT " + SqliteReadTx.MAILBOX_COLUMNS + " FROM mailbox m "
                        + "WHERE m.account = ? AND (m.name = ? OR substr(m.name, 1, ?) = ?) ORDER BY m.name",
                SqliteReadTx::mailboxRow, tx.account, from, from.length() + 1, from + MailboxName.SEPARATOR);
        for (Mailbox m : subtree) {
            MailboxName target = MailboxName.of(to.value() + m.name().value().substring(from.length()));
            // Names in the subtree are being vacated, so only a mailbox outside it can be in the way.
            if (tx.mailbox(target).filter(t -> subtree.stream().noneMatch(s -> s.id().equals(t.id()))).isPresent()) {
                throw new MailboxExistsException(target);
            }
            moves.add(new Move(m.id().value(), m.name(), target));
        }
        // Two steps, so that no row ever holds a name another row of the subtree still holds (UNIQUE).
        for (Move m : moves) db.update("UPDATE mailbox SET name = ? WHERE id = ?", "\u0000renaming " + m.id(), m.id());
        for (Move m : moves) db.update("UPDATE mailbox SET name = ? WHERE id = ?", m.to().value(), m.id());
        tx.createMissingParents(to);
        for (Move m : moves) {
            long modSeq = tx.scope().nextModSeq(tx.account);
            MailboxId id = new MailboxId(m.id());
            tx.raiseHighestModSeq(id, modSeq);
            tx.scope().record(tx.account, new Change.MailboxRenamed(id, m.from(), m.to(), modSeq));
        }
    }

    /**
     * RFC 9051 §6.3.6: renaming INBOX moves all its messages to a new mailbox with the given name and leaves
     * INBOX empty; INBOX's inferiors are unaffected. The messages keep their uids (the new mailbox has a new
     * UIDVALIDITY, and its uid_next continues INBOX's), INBOX records them as expunged, the new mailbox as added.
     */
    static void renameInbox(SqliteWriteTx tx, Mailbox inbox, MailboxName to) {
        if (to.isInbox() || tx.mailbox(to).isPresent()) throw new MailboxExistsException(to);
        Mailbox target = tx.createMailbox(to, Set.of());
        Db db = tx.db;
        // the messages' keywords go along (schema V3's keyword list); INBOX keeps its list, as it keeps its flags
        db.update("UPDATE mailbox SET uid_next = ?, keywords = (SELECT keywords FROM mailbox WHERE id = ?) WHERE id = ?",
                inbox.uidNext(), inbox.id().value(), target.id().value());
        record Moved(long uid, Flags flags) {}
        List<Moved> moved = db.query("SELECT uid, flags FROM message WHERE mailbox = ? ORDER BY uid",
                rs -> new Moved(rs.getLong(1), Flags.parse(rs.getString(2))), inbox.id().value());
        List<Long> uids = new ArrayList<>();
        long modSeq = 0;
        for (Moved m : moved) {
            modSeq = tx.scope().nextModSeq(tx.account);
            db.update("UPDATE message SET mailbox = ?, modseq = ? WHERE mailbox = ? AND uid = ?", target.id().value(),
                    modSeq, inbox.id().value(), m.uid());
            tx.scope().record(tx.account, new Change.MessageAdded(target.id(), m.uid(), modSeq, m.flags()));
            uids.add(m.uid());
        }
        if (uids.isEmpty()) return;
        tx.raiseHighestModSeq(target.id(), modSeq);
        long expunged = tx.scope().nextModSeq(tx.account);
        tx.raiseHighestModSeq(inbox.id(), expunged);
        tx.scope().record(tx.account, new Change.MessagesExpunged(inbox.id(), uids, expunged));
    }
}
