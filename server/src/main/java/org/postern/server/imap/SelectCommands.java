package org.postern.server.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.server.directory.Account;
import org.postern.server.imap.ImapSession.Extension;
import org.postern.server.imap.ImapState.Authenticated;
import org.postern.server.imap.ImapState.Selected;
import org.postern.server.store.Flags;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxCounts;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.UidSet;
import org.postern.wire.imap.ImapCommand;
import org.postern.wire.imap.ImapWriter.Condition;
import org.postern.wire.imap.ResponseCode;

/**
 * SELECT, EXAMINE (RFC 9051 §6.3.2-§6.3.3, with RFC 7162 CONDSTORE and QRESYNC parameters), CLOSE and UNSELECT
 * (§6.4.1, RFC 3691).
 */
final class SelectCommands {
    /** The system flags every mailbox allows (RFC 9051 §2.3.2); \Recent is the server's, never a client's. */
    static final List<String> SYSTEM_FLAGS = List.of(Flags.ANSWERED, Flags.FLAGGED, Flags.DELETED, Flags.SEEN, Flags.DRAFT);

    private final ImapSession s;

    SelectCommands(ImapSession s) {
        this.s = s;
    }

    /** What SELECT reads in one transaction; {@code changed} only for QRESYNC (the messages past the client's MODSEQ). */
    private record Snapshot(Mailbox box, long[] uids, java.util.Set<String> keywords, MailboxCounts counts,
                            long accountModSeq, List<Long> vanishedSince, List<MessageMeta> changed) {}

    Reply select(ImapCommand.Select c) throws IOException, MailboxNames.InvalidNameException {
        Account account = s.account();
        boolean wasSelected = s.state instanceof Selected;
        // RFC 9051 §6.3.2: a SELECT, even a failing one, first closes the selected mailbox (without expunging)
        s.state = new Authenticated(account);
        s.savedUids = new long[0];   // RFC 5182 §2.1: SELECT and EXAMINE reset the saved result ($) to empty
        if (wasSelected) s.out.untagged(Condition.OK, ResponseCode.CLOSED, "previous mailbox closed");
        Optional<ImapCommand.Qresync> q = c.options().qresync();
        if (q.isPresent() && !s.qresync()) throw ImapNo.bad("QRESYNC must be enabled first (ENABLE QRESYNC)");
        if (c.options().condstore()) s.enabled.add(Extension.CONDSTORE);   // RFC 7162 §3.1.8: CONDSTORE-enabling
        MailboxName name = MailboxNames.fromClient(c.mailbox(), s.utf8());
        Snapshot snap = s.store().read(account.id(), tx -> {
            Optional<Mailbox> box = tx.mailbox(name);
            if (box.isEmpty()) return null;
            MailboxId id = box.get().id();
            List<Long> vanished = new ArrayList<>();
            if (q.isPresent() && q.get().uidValidity() == box.get().uidValidity()) {
                // RFC 7162 §3.2.5.2: exact, from the recorded expunges (every expunge is kept with its MODSEQ)
                for (long u : tx.expungedSince(id, q.get().modSeq())) {
                    if (q.get().knownUids().isEmpty() || Sets.contains(q.get().knownUids().get(), u, Long.MAX_VALUE))
                        vanished.add(u);
                }
            }
            // QRESYNC needs the flags of the messages changed since the client's MODSEQ; a plain SELECT, or a QRESYNC
            // whose UIDVALIDITY is not the mailbox's (RFC 7162 §3.2.5.2: then no changes are reported), only the UIDs
            List<MessageMeta> changed = q.isPresent() && q.get().uidValidity() == box.get().uidValidity()
                    ? tx.changedSince(id, q.get().modSeq()) : List.of();
            return new Snapshot(box.get(), tx.uids(id), tx.keywords(id), tx.counts(id), tx.highestModSeq(), vanished,
                    changed);
        });
        if (snap == null) throw ImapNo.no(ResponseCode.NONEXISTENT, "no such mailbox");
        long[] uids = snap.uids();
        java.util.Set<String> keywords = snap.keywords();
        // RFC 3501 §6.3.2: EXAMINE claims no \Recent; it reports the unclaimed ones as RECENT
        RecentClaims claims = s.server.recent();
        long[] recent = c.readOnly() ? new long[0] : claims.claim(snap.box().id(), uids);
        int recentCount = c.readOnly() ? claims.unclaimed(snap.box().id(), () -> uids) : recent.length;
        SelectedView view = new SelectedView(s, account.id(), snap.box(), c.readOnly(), uids, snap.accountModSeq(), recent);
        Mailbox box = snap.box();
        List<String> flags = new ArrayList<>(SYSTEM_FLAGS);
        flags.addAll(keywords);
        s.out.untagged(r -> r.atom("FLAGS").flags(flags));
        s.out.untagged(r -> r.number(uids.length).atom("EXISTS"));
        if (!s.rev2()) s.out.untagged(r -> r.number(recentCount).atom("RECENT"));   // RFC 3501 §6.3.1, RecentClaims
        if (!s.rev2() && snap.counts().firstUnseenUid() > 0) {
            int seq = view.indexOf(snap.counts().firstUnseenUid()) + 1;
            if (seq > 0) s.out.untagged(Condition.OK, ResponseCode.of("UNSEEN", Long.toString(seq)), "first unseen");
        }
        List<String> permanent = new ArrayList<>(flags);
        permanent.add("\\*");
        s.out.untagged(Condition.OK, ResponseCode.permanentFlags(c.readOnly() ? List.of() : permanent),
                c.readOnly() ? "no permanent flags: read-only" : "flags are permanent");
        s.out.untagged(Condition.OK, ResponseCode.uidValidity(box.uidValidity()), "UIDs valid");
        s.out.untagged(Condition.OK, ResponseCode.uidNext(box.uidNext()), "predicted next UID");
        // RFC 7162 §3.1.2.1: every mailbox has MODSEQs here, so HIGHESTMODSEQ always (never NOMODSEQ)
        s.out.untagged(Condition.OK, ResponseCode.highestModSeq(box.highestModSeq()), "highest modseq");
        if (s.rev2()) {
            // RFC 9051 §6.3.2: "The server MUST return a LIST response with the mailbox name"
            String wireName = MailboxNames.toClient(box.name(), s.utf8());
            s.out.untagged(r -> r.atom("LIST").open().close().string("/").astring(wireName));
        }
        if (q.isPresent() && q.get().uidValidity() == box.uidValidity()) qresync(view, snap, q.get());
        s.state = new Selected(account, view);
        return Reply.ok(c.readOnly() ? ResponseCode.READ_ONLY : ResponseCode.READ_WRITE,
                (c.readOnly() ? "EXAMINE" : "SELECT") + " completed");
    }

    /** RFC 7162 §3.2.5: VANISHED (EARLIER) for the expunges since the client's MODSEQ, then the changed flags. */
    private void qresync(SelectedView view, Snapshot snap, ImapCommand.Qresync q) throws IOException {
        if (!snap.vanishedSince().isEmpty()) {
            String set = Sets.compact(snap.vanishedSince());   // ascending and distinct already
            s.out.untagged(r -> r.atom("VANISHED").open().atom("EARLIER").close().token(set));
        }
        for (MessageMeta m : snap.changed()) {
            // RFC 7162 §3.2.5: known UIDs limit the flag changes reported as they limit the expunges (read above)
            if (q.knownUids().isPresent() && !Sets.contains(q.knownUids().get(), m.uid(), Long.MAX_VALUE)) continue;
            int index = view.indexOf(m.uid());
            if (index >= 0) view.fetchFlags(index + 1, m.uid(), m.flags(), m.modSeq(), true);
        }
    }

    /**
     * CLOSE (RFC 9051 §6.4.1: removes the \Deleted messages silently, unless read-only) or UNSELECT (RFC 3691:
     * removes nothing). Either way the session is back in the authenticated state.
     */
    Reply close(boolean expunge) {
        SelectedView view = s.view();
        if (expunge && !view.readOnly()) {
            UidSet known = UidSet.range(1, Math.max(1, view.lastUid()));
            s.store().write(s.account().id(), tx -> tx.expunge(view.box(), Sets.uidSet(tx.deleted(view.box(), known))));
        }
        s.state = new Authenticated(s.account());
        s.savedUids = new long[0];   // RFC 5182 §2.1: so do CLOSE and UNSELECT
        return Reply.ok(expunge ? "CLOSE completed" : "UNSELECT completed");
    }
}
