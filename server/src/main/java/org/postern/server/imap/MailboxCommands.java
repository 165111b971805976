package org.postern.server.imap;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postern.server.imap.ImapSession.Extension;
import org.postern.server.imap.ImapState.Authenticated;
import org.postern.server.imap.ImapState.Selected;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxCounts;
import org.postern.server.store.MailboxExistsException;
import org.postern.server.store.MailboxName;
import org.postern.server.store.SpecialUse;
import org.postern.wire.imap.ImapCommand;
import org.postern.wire.imap.ImapCommand.StatusItem;
import org.postern.wire.imap.ImapWriter;
import org.postern.wire.imap.ImapWriter.Condition;
import org.postern.wire.imap.ResponseCode;

/**
 * CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB and STATUS (RFC 9051 §6.3.4-§6.3.11, RFC 6154
 * CREATE-SPECIAL-USE, RFC 5258 LIST-EXTENDED, RFC 5819 LIST-STATUS, RFC 8438 STATUS=SIZE). Names go through
 * {@link MailboxNames}; matching and attributes are {@link MailboxLister}'s.
 *
 * <p>Refusals say why with the RFC 5530 codes: {@code NONEXISTENT}, {@code ALREADYEXISTS}, {@code CANNOT}.
 * DELETE of a mailbox with children deletes it and its messages and leaves the children; its name then lists
 * as \Noselect (RFC 9051 §6.3.5 allows exactly that), since the store has no separate \Noselect mailboxes.
 */
final class MailboxCommands {
    private final ImapSession s;

    MailboxCommands(ImapSession s) {
        this.s = s;
    }

    private MailboxName name(String raw) throws MailboxNames.InvalidNameException {
        return MailboxNames.fromClient(raw, s.utf8());
    }

    /** RFC 9051 §6.3.4 with RFC 6154 §3 {@code USE (...)}. */
    Reply create(ImapCommand.Create c) throws MailboxNames.InvalidNameException {
        MailboxName name = MailboxNames.forCreate(c.mailbox(), s.utf8());   // RFC 9051 §6.3.4: trailing "/" ignored
        if (name.isInbox()) throw ImapNo.no(ResponseCode.ALREADYEXISTS, "INBOX always exists");
        Set<SpecialUse> use = EnumSet.noneOf(SpecialUse.class);
        for (String attr : c.specialUse()) {
            SpecialUse u = null;
            for (SpecialUse x : SpecialUse.values()) if (x.attribute().equalsIgnoreCase(attr)) u = x;
            // RFC 6154 §3: USEATTR for a special-use attribute the server does not support
            if (u == null) throw ImapNo.no(ResponseCode.of("USEATTR"), "unknown special-use attribute");
            use.add(u);
        }
        try {
            s.store().write(s.account().id(), tx -> {
                if (tx.mailbox(name).isPresent()) throw ImapNo.no(ResponseCode.ALREADYEXISTS, "mailbox already exists");
                return tx.createMailbox(name, use);
            });
        } catch (MailboxExistsException e) {
            throw ImapNo.no(ResponseCode.ALREADYEXISTS, "mailbox already exists");
        }
        return Reply.ok("CREATE completed");
    }

    Reply delete(ImapCommand.Delete d) throws IOException, MailboxNames.InvalidNameException {
        MailboxName name = name(d.mailbox());
        if (name.isInbox()) throw ImapNo.no(ResponseCode.CANNOT, "INBOX cannot be deleted");   // RFC 9051 §6.3.5
        Mailbox gone = s.store().write(s.account().id(), tx -> {
            Mailbox box = tx.mailbox(name).orElseThrow(() -> ImapNo.no(ResponseCode.NONEXISTENT, "no such mailbox"));
            tx.deleteMailbox(box.id());
            return box;
        });
        if (s.state instanceof Selected sel && sel.view().box().equals(gone.id())) {
            s.state = new Authenticated(sel.account());
            s.out.untagged(Condition.OK, ResponseCode.CLOSED, "the selected mailbox was deleted");
        }
        return Reply.ok("DELETE completed");
    }

    /** RFC 9051 §6.3.6: children move along; renaming INBOX moves its messages to the new mailbox (the store's). */
    Reply rename(ImapCommand.Rename r) throws MailboxNames.InvalidNameException {
        MailboxName from = name(r.from()), to = name(r.to());
        try {
            s.store().write(s.account().id(), tx -> {
                Mailbox box = tx.mailbox(from).orElseThrow(() -> ImapNo.no(ResponseCode.NONEXISTENT, "no such mailbox"));
                if (tx.mailbox(to).isPresent()) throw ImapNo.no(ResponseCode.ALREADYEXISTS, "the new name is taken");
                tx.renameMailbox(box.id(), to);
                return null;
            });
        } catch (MailboxExistsException e) {
            throw ImapNo.no(ResponseCode.ALREADYEXISTS, "the new name (or one of its children) is taken");
        } catch (IllegalArgumentException e) {
            throw ImapNo.no(ResponseCode.CANNOT, "a mailbox cannot be renamed into itself");
        }
        return Reply.ok("RENAME completed");
    }

    /** RFC 9051 §6.3.7-§6.3.8: a subscription is a name, which need not exist. */
    Reply subscribe(String raw, boolean subscribe) throws MailboxNames.InvalidNameException {
        MailboxName name = name(raw);
        s.store().write(s.account().id(), tx -> {
            tx.setSubscribed(name, subscribe);
            return null;
        });
        return Reply.ok(subscribe ? "SUBSCRIBE completed" : "UNSUBSCRIBE completed");
    }

    /**
     * RFC 9051 §6.3.9. {@code LIST "" ""} asks for the delimiter and the root: {@code * LIST (\Noselect) "/" ""}
     * (one personal namespace without prefix, so the root is always ""). With RETURN (STATUS ...) every
     * selectable mailbox listed gets its STATUS right after its LIST (RFC 5819 §2).
     */
    Reply list(ImapCommand.List l) throws IOException {
        if (l.selectOptions().isEmpty() && l.patterns().size() == 1 && l.patterns().getFirst().isEmpty()) {
            s.out.untagged(r -> r.atom("LIST").open().flag("\\Noselect").close().string("/").string(""));
            return Reply.ok("LIST completed");
        }
        Optional<String> bad = MailboxLister.badReason(l);
        if (bad.isPresent()) throw ImapNo.bad(bad.get());
        record Names(List<Mailbox> all, List<MailboxName> subscriptions) {}
        Names names = s.store().read(s.account().id(), tx -> new Names(tx.mailboxes(), tx.subscriptions()));
        List<MailboxLister.Entry> entries = MailboxLister.list(names.all(), names.subscriptions(), l, s.utf8());
        Map<Long, Found> status = new HashMap<>();
        if (l.returnStatus().isPresent()) {
            boolean recent = l.returnStatus().get().contains(StatusItem.RECENT);
            boolean deletedSize = l.returnStatus().get().contains(StatusItem.DELETED_STORAGE);
            status = s.store().read(s.account().id(), tx -> {
                Map<Long, Found> m = new HashMap<>();
                for (MailboxLister.Entry e : entries)
                    if (selectable(e)) m.put(e.mailbox().get().id().value(), found(tx, e.mailbox().get(), recent, deletedSize));
                return m;
            });
            if (l.returnStatus().get().contains(StatusItem.HIGHESTMODSEQ)) s.enabled.add(Extension.CONDSTORE);
        }
        for (MailboxLister.Entry e : entries) {
            entry("LIST", e);
            if (l.returnStatus().isPresent() && selectable(e)) writeStatus(status.get(e.mailbox().get().id().value()), l.returnStatus().get());
        }
        return Reply.ok("LIST completed");
    }

    private static boolean selectable(MailboxLister.Entry e) {
        return e.mailbox().isPresent() && e.attributes().stream()
                .noneMatch(a -> a.equalsIgnoreCase("\\Noselect") || a.equalsIgnoreCase("\\NonExistent"));
    }

    /** RFC 3501 §6.3.9. */
    Reply lsub(ImapCommand.Lsub l) throws IOException {
        record Names(List<Mailbox> all, List<MailboxName> subscriptions) {}
        Names names = s.store().read(s.account().id(), tx -> new Names(tx.mailboxes(), tx.subscriptions()));
        for (MailboxLister.Entry e : MailboxLister.lsub(names.all(), names.subscriptions(), l, s.utf8())) entry("LSUB", e);
        return Reply.ok("LSUB completed");
    }

    /** {@code * LIST (attributes) "/" name [("CHILDINFO" ("SUBSCRIBED"))]} (RFC 5258 §3.5 for CHILDINFO). */
    private void entry(String kind, MailboxLister.Entry e) throws IOException {
        String wire = MailboxNames.toClient(e.name(), s.utf8());
        s.out.untagged(r -> {
            r.atom(kind).flags(e.attributes()).string("/").astring(wire);
            if (e.childInfoSubscribed()) r.open().string("CHILDINFO").open().string("SUBSCRIBED").close().close();
        });
    }

    /** RFC 9051 §6.3.11. */
    Reply status(ImapCommand.Status st) throws IOException, MailboxNames.InvalidNameException {
        MailboxName name = name(st.mailbox());
        if (st.items().contains(StatusItem.HIGHESTMODSEQ)) s.enabled.add(Extension.CONDSTORE);   // RFC 7162 §3.1
        boolean recent = st.items().contains(StatusItem.RECENT);
        boolean deletedSize = st.items().contains(StatusItem.DELETED_STORAGE);
        Found found = s.store().read(s.account().id(), tx -> tx.mailbox(name).map(b -> found(tx, b, recent, deletedSize)).orElse(null));
        if (found == null) throw ImapNo.no(ResponseCode.NONEXISTENT, "no such mailbox");
        writeStatus(found, st.items());
        return Reply.ok("STATUS completed");
    }

    /** What STATUS reports of one mailbox, read in one transaction. */
    private record Found(Mailbox box, MailboxCounts counts, long recent, long deletedSize) {}

    /** {@code recent}: count the messages no session has claimed as \Recent yet ({@link RecentClaims}). */
    private Found found(org.postern.server.store.ReadTx tx, Mailbox b, boolean recent, boolean deletedSize) {
        long unclaimed = !recent ? 0 : s.server.recent().unclaimed(b.id(), () -> tx.uids(b.id()));
        return new Found(b, tx.counts(b.id()), unclaimed, deletedSize ? tx.deletedSize(b.id()) : 0);
    }

    /** {@code * STATUS name (MESSAGES n UIDNEXT n ...)}, items in the order asked. */
    private void writeStatus(Found f, List<StatusItem> items) throws IOException {
        Mailbox box = f.box();
        MailboxCounts c = f.counts();
        String wire = MailboxNames.toClient(box.name(), s.utf8());
        s.out.untagged(r -> {
            r.atom("STATUS").astring(wire).open();
            for (StatusItem item : items) {
                r.atom(item.wireName()).number(switch (item) {
                    case MESSAGES -> c.messages();
                    case UIDNEXT -> box.uidNext();
                    case UIDVALIDITY -> box.uidValidity();
                    case UNSEEN -> c.unseen();
                    case DELETED -> c.deleted();
                    case SIZE -> c.totalSize();
                    case RECENT -> f.recent();
                    case HIGHESTMODSEQ -> box.highestModSeq();
                    // RFC 9208 §5.1: exact, the RFC822.SIZEs of the \Deleted messages, in STORAGE's KiB
                    case DELETED_STORAGE -> Quota.kib(f.deletedSize());
                    // RFC 7889 §3.2: the same for every mailbox here, the limit the APPENDLIMIT= capability states
                    case APPENDLIMIT -> s.settings.maxMessageSize();
                });
            }
            r.close();
        });
    }

    // --- QUOTA (RFC 9208) ---

    /** RFC 9208 §4.2: the mailbox's quota roots (the account's one, if it has a quota) and their QUOTA responses. */
    Reply getQuotaRoot(ImapCommand.GetQuotaRoot q) throws IOException, MailboxNames.InvalidNameException {
        MailboxName name = name(q.mailbox());
        java.util.OptionalLong limit = s.quota();
        Long used = s.store().read(s.account().id(), tx -> tx.mailbox(name).isPresent() ? tx.totalSize() : null);
        if (used == null) throw ImapNo.no(ResponseCode.NONEXISTENT, "no such mailbox");
        String wire = MailboxNames.toClient(name, s.utf8());
        s.out.untagged(r -> {
            r.atom("QUOTAROOT").astring(wire);
            if (limit.isPresent()) r.string(Quota.ROOT);
        });
        if (limit.isPresent()) quotaResponse(used, limit.getAsLong());
        return Reply.ok("GETQUOTAROOT completed");
    }

    /** RFC 9208 §4.1: {@code * QUOTA "" (STORAGE used limit)}, in KiB. */
    Reply getQuota(ImapCommand.GetQuota q) throws IOException {
        java.util.OptionalLong limit = s.quota();
        if (!q.root().equals(Quota.ROOT) || limit.isEmpty()) throw ImapNo.no(ResponseCode.NONEXISTENT, "no such quota root");
        quotaResponse(s.store().read(s.account().id(), tx -> tx.totalSize()), limit.getAsLong());
        return Reply.ok("GETQUOTA completed");
    }

    private void quotaResponse(long used, long limit) throws IOException {
        s.out.untagged(r -> r.atom("QUOTA").string(Quota.ROOT).open().atom("STORAGE").number(Quota.kib(used))
                .number(limit / 1024).close());
    }

    /** RFC 9208 §4.3: quotas are set by the operator (admin command), never by the user. */
    Reply setQuota(ImapCommand.SetQuota q) {
        return new Reply(Condition.NO, Optional.of(ResponseCode.NOPERM), "quotas are set by the administrator");
    }
}
