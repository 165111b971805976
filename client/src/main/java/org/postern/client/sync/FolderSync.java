package org.postern.client.sync;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.postern.client.imap.ImapClient;
import org.postern.client.imap.ImapClient.FlagsRow;
import org.postern.client.imap.ImapClient.Qresync;
import org.postern.client.imap.ImapClient.Selected;
import org.postern.client.imap.UidSet;
import org.postern.client.net.ProtocolException;
import org.postern.client.store.LocalStore;
import org.postern.client.store.LocalStore.LocalMessage;
import org.postern.client.store.LocalStore.Pending;
import org.postern.client.store.MessageTooLargeException;

/**
 * One folder's sync, in the decision's order: SELECT; a changed UIDVALIDITY forgets the folder's UIDs; the
 * server's expunges and flag changes since the last sync are applied (QRESYNC, CONDSTORE or a full compare), and
 * the conflict rules with them (deletion wins; flags merge three-way); then the offline changes are pushed; then
 * new messages are downloaded in batches; the folder's state is saved last.
 *
 * <p>The server's changes are applied before the push so that the push sends the three-way merge: the local
 * store keeps {@code base_flags} (the server's flags as last seen) and local flags become
 * {@code server + (local - base) - (base - local)}; the push then sends exactly {@code local - base} as +FLAGS and
 * {@code base - local} as -FLAGS, never a FLAGS replace, so a change made meanwhile to another flag on another
 * device survives. The highest MODSEQ saved is the one SELECT reported, so changes made during the sync (our own
 * pushes included) are seen again by the next sync; applying them again is harmless.
 */
final class FolderSync {
    enum Mode { QRESYNC, CONDSTORE, PLAIN }

    /**
     * Messages per UID FETCH of bodies. Each message is committed on its own, so the batch does not bound what a
     * cut connection loses; it keeps one command's answer (and the set it names; ImapClient splits a set longer
     * than a command line should be anyway) to a size after which progress is certain to have been made.
     */
    static final int DOWNLOAD_BATCH = 200;

    /**
     * The longest UID set put into a UID SEARCH criterion (ImapClient splits the sets of FETCH, STORE, MOVE itself):
     * RFC 7162 §4 asks servers to accept command lines of 8192 octets; half leaves room for the rest.
     */
    static final int SEARCH_SET_CHARS = 4000;

    private static final String DELETED = "\\Deleted";

    private final ImapClient c;
    private final LocalStore store;
    private final Mode mode;
    private final String name;
    private final SyncProgress progress;
    private final List<String> warnings = new ArrayList<>();
    private int downloaded, flagsUpdated, expunged, pushed;

    FolderSync(ImapClient c, LocalStore store, Mode mode, String name, SyncProgress progress) {
        this.c = c;
        this.store = store;
        this.mode = mode;
        this.name = name;
        this.progress = progress;
    }

    SyncReport.Folder run() throws IOException {
        LocalStore.Folder local = store.folder(name).orElseThrow(() -> new IllegalStateException("no local folder " + name));
        List<Pending> pending = pendingHere();
        List<Long> localUids = store.uids(name);
        boolean known = local.uidValidity() != 0;
        Optional<Qresync> qresync = mode == Mode.QRESYNC && known && local.highestModseq() > 0
                ? Optional.of(new Qresync(local.uidValidity(), local.highestModseq(), UidSet.of(localUids)))
                : Optional.empty();
        Selected sel = c.select(name, qresync);
        if (sel.uidValidity() <= 0) {
            // RFC 9051 §7.1: SELECT must answer with UIDVALIDITY; without it no UID can be trusted across sessions
            throw new ProtocolException("the server did not say the UIDVALIDITY of " + name + "; it cannot be synced");
        }
        boolean reset = known && sel.uidValidity() != local.uidValidity();
        if (reset) {
            forgetUids(local.uidValidity(), sel.uidValidity(), pending);
            pending = pendingHere();
            localUids = List.of();
            known = false;
        }
        Set<Long> localSet = new HashSet<>(localUids);

        // Pull, part 1: what the server changed or expunged since the last sync.
        List<Long> serverUids = null; // every UID on the server, when a compare needed them
        Set<Long> gone = new TreeSet<>();
        List<FlagsRow> changed = new ArrayList<>();
        boolean incremental = known && mode != Mode.PLAIN && local.highestModseq() > 0 && sel.highestModseq() > 0;
        if (incremental && qresync.isPresent()) {
            // RFC 7162 §3.2.5.1: SELECT (QRESYNC ...) answers with VANISHED (EARLIER) and the changed FETCHes
            // (asking the set about each local UID, never listing the set: "1:4294967295" is three words on the wire)
            for (long uid : localSet) if (sel.vanished().contains(uid)) gone.add(uid);
            changed.addAll(sel.changed());
        } else {
            // RFC 7162 §3.1.4.1: CHANGEDSINCE gives flag changes; expunges only show in a compare of UIDs
            if (incremental && sel.highestModseq() != local.highestModseq()) {
                changed.addAll(c.changedSince(local.highestModseq()).changed());
            }
            serverUids = c.uidSearch("ALL");
            gone.addAll(minus(localSet, serverUids));
            if (!incremental) { // no MODSEQ to go by: the flags of every message both sides hold
                List<Long> both = serverUids.stream().filter(localSet::contains).toList();
                if (!both.isEmpty()) changed.addAll(c.flags(UidSet.of(both))); // the client splits long sets into chunks
            }
        }
        pending = applyExpunges(gone, pending);
        applyFlags(changed, localSet, gone);

        // Push: the offline changes, in the order they were made.
        if (!pending.isEmpty()) {
            push(pending, sel);
            localSet = new HashSet<>(store.uids(name)); // APPENDUID and COPYUID assigned UIDs here
        }

        // Pull, part 2: new messages.
        List<Long> fresh = fresh(serverUids, localSet, sel, local);
        if (!fresh.isEmpty() || reset) download(fresh);

        // Rule 4: the state that says "complete up to here" goes last.
        store.saveSyncState(name, sel.uidValidity(), sel.uidNext(), sel.highestModseq());
        return new SyncReport.Folder(name, downloaded, flagsUpdated, expunged, pushed, warnings);
    }

    /**
     * The server's UIDs this folder does not hold: from the compare's list of every UID when one was made
     * ({@code serverUids} not null), else searched from the UIDNEXT saved last time.
     */
    private List<Long> fresh(List<Long> serverUids, Set<Long> held, Selected sel, LocalStore.Folder local)
            throws IOException {
        if (serverUids != null) return serverUids.stream().filter(u -> !held.contains(u)).toList();
        if (sel.uidNext() != 0 && sel.uidNext() <= local.uidNext()) return List.of(); // 0: the server did not say UIDNEXT
        long from = Math.max(1, local.uidNext());
        // "UID n:*" always matches the last message (RFC 9051 §6.4.4.1 "*" is the largest UID), hence the filter
        return c.uidSearch("UID " + from + ":*").stream().filter(u -> u >= from && !held.contains(u)).toList();
    }

    private List<Pending> pendingHere() {
        return store.pending().stream().filter(p -> p.folder().equals(name)).toList();
    }

    /**
     * UIDVALIDITY changed (RFC 9051 §2.3.1.1): the UIDs the local rows carry name nothing any more. The store drops
     * the offline flag changes, deletes and moves that named them (their messages get the server's flags back and
     * reappear) and keeps offline appends; the download that follows gives each row found again by Message-ID and
     * size its new UID instead of a second copy.
     */
    private void forgetUids(long was, long now, List<Pending> pending) {
        long dropped = pending.stream().filter(p -> p.kind() != Pending.Kind.APPEND).count();
        warnings.add("UIDVALIDITY changed from " + was + " to " + now + ": the folder is fetched again"
                + (dropped == 0 ? "" : "; " + dropped + " offline change(s) to its messages dropped (they named the old UIDs)"));
        store.forgetUids(name);
    }

    /** Deletion wins (decision rule 3): a message expunged on the server goes locally, with any change made to it. */
    private List<Pending> applyExpunges(Set<Long> gone, List<Pending> pending) throws IOException {
        if (gone.isEmpty()) return pending;
        List<Pending> left = new ArrayList<>();
        for (Pending p : pending) {
            if (p.uid().isEmpty() || !gone.contains(p.uid().get())) {
                left.add(p);
                continue;
            }
            switch (p.kind()) {
                case FLAGS -> {
                    store.donePending(p.id());
                    warnings.add("a flag change was dropped: message " + p.uid().get() + " was deleted on the server");
                }
                // The store's serverExpunged below drops the move and removes its copy in the target folder. If the
                // message was moved there (by this client, in a sync cut before it recorded the move, or elsewhere),
                // the target's pull brings it back from the server: the server's state wins either way.
                case MOVE -> warnings.add("a move to " + p.targetFolder().orElse("?") + " was dropped: message "
                        + p.uid().get() + " is no longer in " + name + " on the server (deleted or moved there)");
                case DELETE, APPEND -> store.donePending(p.id());
            }
        }
        for (long uid : gone) {
            Optional<LocalMessage> m = store.byUid(name, uid);
            if (m.isPresent()) {
                store.serverExpunged(m.get().id());
                expunged++;
            }
        }
        return left;
    }

    private void applyFlags(List<FlagsRow> changed, Set<Long> localSet, Set<Long> gone) {
        for (FlagsRow row : changed) {
            if (!localSet.contains(row.uid()) || gone.contains(row.uid())) continue; // new ones come with their flags
            Optional<LocalMessage> m = store.byUid(name, row.uid());
            if (m.isEmpty() || clean(m.get().baseFlags()).equals(clean(row.flags()))) continue;
            store.serverFlags(m.get().id(), clean(row.flags()), row.modseq());
            flagsUpdated++;
        }
    }

    /**
     * Replays the offline changes. Changes of one kind go to the server together: messages with the same flag
     * change in one UID STORE, deletes in one UID STORE + UID EXPUNGE, moves to one folder in one UID MOVE (a "mark
     * all read" of 10,000 messages offline is two commands, not 20,000 round trips). Kinds go in the order flags,
     * deletes, moves, appends: a message has at most one of each, a flag change must reach a message before it is
     * moved, and a message appended offline has no flag, delete or move pending of its own (the store changes the
     * local row itself until it has a UID).
     */
    private void push(List<Pending> pending, Selected sel) throws IOException {
        List<Pending> flags = new ArrayList<>(), deletes = new ArrayList<>(), appends = new ArrayList<>();
        Map<String, List<Pending>> moves = new LinkedHashMap<>();
        for (Pending p : pending) {
            switch (p.kind()) {
                case FLAGS -> flags.add(p);
                case DELETE -> deletes.add(p);
                case MOVE -> moves.computeIfAbsent(p.targetFolder().orElse(""), t -> new ArrayList<>()).add(p);
                case APPEND -> appends.add(p);
            }
        }
        pushFlags(flags);
        pushDeletes(deletes);
        for (Map.Entry<String, List<Pending>> e : moves.entrySet()) pushMoves(e.getKey(), e.getValue());
        for (Pending p : appends) {
            pushAppend(p, sel);
            store.donePending(p.id());
        }
    }

    private record FlagChange(Set<String> add, Set<String> remove) {
        static FlagChange of(LocalMessage m) {
            Set<String> local = clean(m.flags());
            Set<String> base = clean(m.baseFlags());
            Set<String> add = new TreeSet<>(local);
            add.removeAll(base);
            Set<String> remove = new TreeSet<>(base);
            remove.removeAll(local);
            return new FlagChange(add, remove);
        }

        boolean isEmpty() {
            return add.isEmpty() && remove.isEmpty();
        }
    }

    private void pushFlags(List<Pending> flags) throws IOException {
        Map<FlagChange, Map<Long, LocalMessage>> byChange = new LinkedHashMap<>(); // change -> uid -> message
        for (Pending p : flags) {
            Optional<LocalMessage> m = store.message(p.messageId());
            if (m.isEmpty()) continue;
            Optional<Long> uid = p.uid().or(() -> m.get().folder().equals(name) ? m.get().uid() : Optional.empty());
            if (uid.isEmpty()) continue; // not on the server yet: its APPEND carries the flags
            FlagChange change = FlagChange.of(m.get());
            if (!change.isEmpty()) byChange.computeIfAbsent(change, k -> new LinkedHashMap<>()).put(uid.get(), m.get());
        }
        for (Map.Entry<FlagChange, Map<Long, LocalMessage>> e : byChange.entrySet()) {
            UidSet uids = UidSet.of(e.getValue().keySet());
            c.store(uids, true, e.getKey().add());     // RFC 9051 §6.4.6 +FLAGS.SILENT: other flags untouched
            c.store(uids, false, e.getKey().remove()); // (an empty set of flags sends nothing)
            for (LocalMessage m : e.getValue().values()) {
                store.serverFlags(m.id(), clean(m.flags()), 0); // base becomes what we sent
                pushed++;
            }
        }
        for (Pending p : flags) store.donePending(p.id());
    }

    /** Sends {@code local - base} as +FLAGS and {@code base - local} as -FLAGS for one message; base becomes local. */
    private boolean sendFlagDiff(LocalMessage m, long uid) throws IOException {
        FlagChange change = FlagChange.of(m);
        if (change.isEmpty()) return false;
        c.store(UidSet.of(uid), true, change.add());
        c.store(UidSet.of(uid), false, change.remove());
        store.serverFlags(m.id(), clean(m.flags()), 0);
        return true;
    }

    private void pushDeletes(List<Pending> deletes) throws IOException {
        List<Long> uids = new ArrayList<>();
        for (Pending p : deletes) p.uid().ifPresent(uids::add);
        Set<Long> left = Set.of();
        if (!uids.isEmpty()) {
            UidSet set = UidSet.of(uids);
            c.store(set, true, Set.of(DELETED));
            if (c.has("UIDPLUS")) {
                c.uidExpunge(set); // RFC 4315 §2.1: expunges only these messages
            } else if (set.toList().containsAll(c.uidSearch("DELETED"))) {
                c.expunge(); // no other message is \Deleted, so EXPUNGE removes only ours
            } else {
                warnings.add(uids.size() + " message(s) marked \\Deleted; the server has no UIDPLUS and other messages"
                        + " are marked too, so the expunge is left to the next client that expunges");
            }
            pushed += uids.size();
            left = stillThere(uids);
        }
        for (Pending p : deletes) {
            // Still on the server (not expunged yet): the local row stays, hidden as DELETED, so the next pull does
            // not take it for a new message; it goes when the server's expunge is seen.
            boolean kept = p.uid().isPresent() && left.contains(p.uid().get());
            Optional<LocalMessage> m = store.message(p.messageId());
            store.donePending(p.id());
            if (!kept && m.isPresent()) store.serverExpunged(m.get().id());
        }
    }

    /** Which of {@code uids} are still in the selected folder; only asked when the server may not have expunged them. */
    private Set<Long> stillThere(List<Long> uids) throws IOException {
        if (c.has("UIDPLUS") || c.has("MOVE")) return Set.of(); // UID EXPUNGE (RFC 4315) or MOVE (RFC 6851) did
        Set<Long> out = new HashSet<>();
        for (UidSet chunk : UidSet.of(uids).chunks(SEARCH_SET_CHARS)) out.addAll(c.uidSearch("UID " + chunk));
        return out;
    }

    private void pushMoves(String target, List<Pending> moves) throws IOException {
        List<Long> uids = new ArrayList<>();
        for (Pending p : moves) p.uid().ifPresent(uids::add);
        Map<Long, Long> moved = Map.of();
        Set<Long> left = Set.of();
        if (!uids.isEmpty() && !target.isEmpty()) {
            try {
                moved = c.move(UidSet.of(uids), target);
            } catch (ProtocolException e) {
                // The target vanished from the server after the offline move (RFC 9051 §6.4.7 [TRYCREATE]): create it
                // again rather than lose the person's move.
                warnings.add("folder " + target + " was created again on the server for a move made offline ("
                        + e.getMessage() + ")");
                c.create(target);
                moved = c.move(UidSet.of(uids), target);
            }
            pushed += uids.size();
            left = stillThere(uids); // COPYs whose \Deleted originals could not be expunged yet
        }
        for (Pending p : moves) {
            Optional<LocalMessage> m = store.message(p.messageId());
            if (m.isEmpty() || p.uid().isEmpty() || target.isEmpty()) {
                store.donePending(p.id());
                continue;
            }
            long uid = p.uid().get();
            Optional<Long> newUid = Optional.ofNullable(moved.get(uid));
            LocalMessage row = m.get();
            if (row.folder().equals(target)) {
                if (newUid.isPresent() && row.uid().isEmpty()) store.assignUid(row.id(), newUid.get());
                store.donePending(p.id());
            } else {
                // The store kept the source row (state MOVED) and wrote a UID-less copy into the target: the copy
                // takes the new UID (RFC 4315 §3 COPYUID), the pending move is done, and then the source row goes
                // as the server's message did (with the pending gone first, the store does not undo the copy).
                if (newUid.isPresent() && row.messageId().isPresent()) {
                    store.uidlessMatching(target, row.messageId().get(), row.size()).stream().findFirst()
                            .ifPresent(copy -> store.assignUid(copy.id(), newUid.get()));
                }
                store.donePending(p.id());
                if (!left.contains(uid)) store.serverExpunged(row.id()); // else hidden (MOVED) until the expunge
            }
            // Without COPYUID the target's next pull finds the message by Message-ID and size: no second copy.
        }
    }

    private void pushAppend(Pending p, Selected sel) throws IOException {
        Optional<LocalMessage> m = store.message(p.messageId());
        if (m.isEmpty() || m.get().uid().isPresent()) return;
        LocalMessage row = m.get();
        // A sync cut after the APPEND and before the pending row was cleared: the server has it already.
        if (row.messageId().isPresent()) {
            for (long uid : c.uidSearchHeader("Message-ID", row.messageId().get())) {
                if (store.byUid(name, uid).isEmpty()) {
                    store.assignUid(row.id(), uid);
                    sendFlagDiff(store.message(row.id()).orElseThrow(), uid);
                    return;
                }
            }
        }
        Optional<ImapClient.AppendUid> appended = c.append(name, clean(row.flags()), Optional.of(row.internalDate()), row.file());
        pushed++;
        if (appended.isPresent() && appended.get().uidValidity() == sel.uidValidity()) {
            store.assignUid(row.id(), appended.get().uid());
        }
        store.serverFlags(row.id(), clean(row.flags()), 0);
        // Without APPENDUID the next pull downloads it and finds this row by Message-ID and size.
    }

    /**
     * Downloads {@code fresh} in batches. When the folder holds rows without a UID (after a UIDVALIDITY change, a
     * move without COPYUID, an append without APPENDUID), each message's Message-ID is peeked at and a matching row
     * (same Message-ID and size, no offline change pending on it) adopts the UID instead of a second copy being
     * written; rows left without a UID and without a pending change afterwards are not on the server: they go.
     */
    private void download(List<Long> fresh) throws IOException {
        Set<Long> busy = new HashSet<>();
        boolean mayClean = true;
        for (Pending p : store.pending()) {
            busy.add(p.messageId());
            if (p.kind() == Pending.Kind.MOVE && p.targetFolder().filter(name::equals).isPresent()) {
                // a move into this folder not yet pushed (its source folder syncs later): its UID-less copy here
                // is no leftover; without a Message-ID it cannot be told apart, so nothing is cleaned this time
                Optional<LocalMessage> source = store.message(p.messageId());
                if (source.isEmpty() || source.get().messageId().isEmpty()) {
                    mayClean = false;
                } else {
                    for (LocalMessage copy : store.uidlessMatching(name, source.get().messageId().get(), source.get().size())) {
                        busy.add(copy.id());
                    }
                }
            }
        }
        List<LocalMessage> uidless = store.uidless(name).stream().filter(m -> !busy.contains(m.id())).toList();
        boolean adopt = !uidless.isEmpty();
        long total = fresh.size();
        long[] done = {0};
        List<Long> adoptedIds = new ArrayList<>();
        try (LocalStore.Downloads downloads = store.downloads(name)) {
            for (int i = 0; i < fresh.size(); i += DOWNLOAD_BATCH) {
                List<Long> batch = fresh.subList(i, Math.min(fresh.size(), i + DOWNLOAD_BATCH));
                c.fetchMessages(UidSet.of(batch), (msg, body) -> {
                    if (!downloads.holds(msg.uid())) take(downloads, msg, body, adopt, busy).ifPresent(adoptedIds::add);
                    progress.progress(name, ++done[0], total);
                });
            }
        }
        if (!adopt) return;
        // An adopted row whose local flags differ from the server's (changed locally before it had this UID) sends
        // the difference now, after the FETCH answer is read (one command at a time on the connection).
        for (long id : adoptedIds) {
            Optional<LocalMessage> m = store.message(id);
            if (m.isPresent() && m.get().uid().isPresent() && sendFlagDiff(m.get(), m.get().uid().get())) pushed++;
        }
        if (!mayClean) return;
        for (LocalMessage m : store.uidless(name)) {
            if (!busy.contains(m.id())) {
                store.serverExpunged(m.id());
                expunged++;
            }
        }
    }

    /**
     * Stores one downloaded message, unless a UID-less row adopts it ({@code adopt}: the folder has such rows);
     * returns the id of the row that did.
     */
    private Optional<Long> take(LocalStore.Downloads downloads, ImapClient.FetchedMessage msg, InputStream body,
                                boolean adopt, Set<Long> busy) throws IOException {
        InputStream in = body;
        if (adopt) {
            BufferedInputStream peekable = new BufferedInputStream(body);
            Optional<Long> took = adopt(msg, peekable, busy);
            if (took.isPresent()) return took;
            in = peekable;
        }
        if (msg.size() > LocalStore.MAX_MESSAGE_BYTES) {
            tooLarge(msg.uid(), msg.size()); // its literal is skipped unread
            return Optional.empty();
        }
        try {
            if (downloads.add(msg.uid(), clean(msg.flags()), msg.internalDate(), in)) downloaded++;
        } catch (MessageTooLargeException e) { // RFC822.SIZE said less than the literal held
            tooLarge(msg.uid(), msg.size());
        }
        return Optional.empty();
    }

    /**
     * A message the local store cannot hold (over {@link LocalStore#MAX_MESSAGE_BYTES}) stays on the server only,
     * with a warning; the sync goes on with the others (failing would stop every later sync at the same message).
     */
    private void tooLarge(long uid, long size) {
        warnings.add("message " + uid + " (" + size + " bytes) is larger than the local copy takes ("
                + LocalStore.MAX_MESSAGE_BYTES + " bytes); it stays on the server only");
    }

    /** The id of the UID-less row that took this message (the body stream is left unread then), if one did. */
    private Optional<Long> adopt(ImapClient.FetchedMessage msg, BufferedInputStream body, Set<Long> busy)
            throws IOException {
        Optional<String> messageId = MessageIdPeek.peek(body);
        if (messageId.isEmpty()) return Optional.empty();
        Optional<LocalMessage> row = store.uidlessMatching(name, messageId.get(), msg.size()).stream()
                .filter(m -> !busy.contains(m.id())).findFirst();
        if (row.isEmpty()) return Optional.empty();
        store.assignUid(row.get().id(), msg.uid());
        store.serverFlags(row.get().id(), clean(msg.flags()), msg.modseq());
        return Optional.of(row.get().id());
    }

    /** \Recent is the server's session flag (RFC 3501 §2.3.2); it is never stored or sent. */
    static Set<String> clean(Set<String> flags) {
        Set<String> out = new TreeSet<>();
        for (String f : flags) if (!f.equalsIgnoreCase("\\Recent")) out.add(normal(f));
        return out;
    }

    /** System flags (and $Forwarded, RFC 5550) in their usual spelling, as the store keeps them; keywords as they are. */
    private static String normal(String flag) {
        if (!flag.startsWith("\\") && !flag.equalsIgnoreCase("$Forwarded")) return flag;
        String lower = flag.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "\\seen" -> "\\Seen";
            case "\\answered" -> "\\Answered";
            case "\\flagged" -> "\\Flagged";
            case "\\deleted" -> "\\Deleted";
            case "\\draft" -> "\\Draft";
            case "$forwarded" -> "$Forwarded";
            default -> flag;
        };
    }

    private static List<Long> minus(Set<Long> a, List<Long> b) {
        Set<Long> bs = new HashSet<>(b);
        return a.stream().filter(u -> !bs.contains(u)).sorted().toList();
    }
}
