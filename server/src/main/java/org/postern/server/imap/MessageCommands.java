package org.postern.server.imap;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.postern.server.imap.ImapSession.Extension;
import org.postern.server.store.AccountId;
import org.postern.server.store.CopyResult;
import org.postern.server.store.FlagUpdate;
import org.postern.server.store.Flags;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.UidSet;
import org.postern.wire.imap.FetchItem;
import org.postern.wire.imap.ImapCommand;
import org.postern.wire.imap.ImapStructures;
import org.postern.wire.imap.ImapWriter;
import org.postern.wire.imap.ImapWriter.Condition;
import org.postern.wire.imap.ResponseCode;
import org.postern.wire.imap.SequenceSet;
import org.postern.wire.mime.Envelope;
import org.postern.wire.mime.MessageStructure;

/**
 * FETCH, STORE, COPY, MOVE, EXPUNGE and UID EXPUNGE (RFC 9051 §6.4, RFC 4315 UIDPLUS, RFC 6851 MOVE, RFC 7162
 * CONDSTORE/QRESYNC). Sequence sets resolve against the session's {@link SelectedView}.
 *
 * <p>FETCH reads {@link ImapServerLimits#FETCH_BATCH} messages per read transaction and writes their responses
 * after it: structure items (ENVELOPE, BODY, BODYSTRUCTURE) come from the structure stored at delivery, body
 * sections stream from the blob store through {@link FetchSections}.
 */
final class MessageCommands {
    /** RFC 9051 §9 date-time: {@code "dd-Mon-yyyy hh:mm:ss +zzzz"}, English month names, shown in UTC. */
    private static final DateTimeFormatter INTERNALDATE =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private static final ImapWriter.Atom FETCH = ImapWriter.Atom.of("FETCH"), UID = ImapWriter.Atom.of("UID"),
            FLAGS = ImapWriter.Atom.of("FLAGS"), ENVELOPE = ImapWriter.Atom.of("ENVELOPE");
    /**
     * Flag lists kept rendered at most ({@link #flagLists}): a mailbox has a handful of distinct flag sets, a client
     * inventing keywords can make more; past this the map starts over.
     */
    static final int MAX_FLAG_LISTS = 256;

    private final ImapSession s;
    /**
     * The FLAGS lists this session wrote, as written, per {@link Flags} instance (the store hands out one instance
     * per distinct stored form, {@link Flags#parse}): FETCH FLAGS of 10,000 messages writes a few lists thousands
     * of times, and a kept one is one copy. Made by the first FETCH FLAGS, so a session that never asks holds none.
     */
    private java.util.IdentityHashMap<Flags, ImapWriter.Rendered> flagLists;

    MessageCommands(ImapSession s) {
        this.s = s;
    }

    // --- FETCH ---

    private static boolean setsSeen(FetchItem item) {
        return switch (item) {
            case FetchItem.BodySection b -> !b.peek();
            case FetchItem.Binary b -> !b.peek();
            case FetchItem.Rfc822 _, FetchItem.Rfc822Text _ -> true;
            default -> false;
        };
    }

    /** Items answered from the part tree (ENVELOPE alone needs only the envelope, read without the tree). */
    private static boolean needsStructure(FetchItem item) {
        return item instanceof FetchItem.Body || item instanceof FetchItem.BodyStructure || FetchSections.handles(item);
    }

    /** One batch's reads; {@code metas} ascending by uid, as the batch's uids are (a view's indexes are). */
    private record Batch(List<MessageMeta> metas, Map<Long, MessageStructure> structures,
                         Map<Long, Envelope> envelopes) {}

    // The kinds of FETCH item a response writes from the message's record or its ENVELOPE (kept or decoded), decided
    // once per command (Plan.kinds): the per-message loop switches on a small int. The other items (BODY,
    // BODYSTRUCTURE, BODY[...], BINARY[...], BINARY.SIZE, the RFC822 forms) go through writeStructured.
    private static final byte K_OTHER = 0, K_UID = 1, K_FLAGS = 2, K_INTERNALDATE = 3, K_SIZE = 4, K_ENVELOPE = 5,
            K_MODSEQ = 6;

    private static byte kind(FetchItem item) {
        return switch (item) {
            case FetchItem.Uid _ -> K_UID;
            case FetchItem.Flags _ -> K_FLAGS;
            case FetchItem.InternalDate _ -> K_INTERNALDATE;
            case FetchItem.Rfc822Size _ -> K_SIZE;
            case FetchItem.Envelope _ -> K_ENVELOPE;
            case FetchItem.ModSeq _ -> K_MODSEQ;
            default -> K_OTHER;
        };
    }

    private static boolean asks(byte[] kinds, byte kind) {
        for (byte k : kinds) if (k == kind) return true;
        return false;
    }

    Reply fetch(ImapCommand.Fetch f) throws IOException {
        SelectedView view = s.view();
        int[] chosen = view.resolve(f.set(), s.savedUids);
        OptionalLong changedSince = f.changedSince();
        if (f.vanished() && !s.qresync()) throw ImapNo.bad("VANISHED needs QRESYNC enabled first (ENABLE QRESYNC)");
        byte[] kinds = new byte[f.items().size()];
        for (int k = 0; k < kinds.length; k++) kinds[k] = kind(f.items().get(k));
        boolean withUid = f.uid() || s.qresync();
        boolean withModSeq = changedSince.isPresent() || asks(kinds, K_MODSEQ);
        // RFC 7162 §3.1: FETCH with CHANGEDSINCE or with the MODSEQ item is a CONDSTORE-enabling command
        if (withModSeq) s.enabled.add(Extension.CONDSTORE);
        boolean markSeen = !view.readOnly() && f.items().stream().anyMatch(MessageCommands::setsSeen);
        boolean structure = f.items().stream().anyMatch(MessageCommands::needsStructure);
        boolean envelopeOnly = !structure && asks(kinds, K_ENVELOPE);
        AccountId account = s.account().id();
        MailboxId box = view.box();
        if (f.vanished()) vanishedEarlier(view, f.set(), changedSince.getAsLong());
        List<FetchItem> decodes = f.items().stream()
                .filter(i -> i instanceof FetchItem.Binary || i instanceof FetchItem.BinarySize).toList();
        Plan plan = new Plan(view, chosen, f, kinds, changedSince, withUid, withModSeq, markSeen, structure,
                envelopeOnly, account, box, decodes);
        boolean[] missing = {false};
        // one socket write per full buffer, not per message (ImapWriter.batch). The work per message is a method of
        // its own (respond), called 10,000 times by FETCH 1:* and so compiled early and once; the loops around it
        // stay small, so the JIT's on-stack replacements of them are cheap (a loop holding the whole response was
        // compiled three times over, 60-90 ms of C2 each, while the next FETCHes were being answered)
        s.out.batch(() -> {
            for (int from = 0; from < chosen.length; from += ImapServerLimits.FETCH_BATCH) missing[0] |= fetchBatch(plan, from);
        });
        // a sequence number names a message the client was told of; a UID that is gone is simply not there
        if (missing[0] && !f.uid()) return new Reply(Condition.NO, Optional.of(ResponseCode.EXPUNGEISSUED),
                "some of the requested messages were expunged meanwhile");
        return Reply.ok((f.uid() ? "UID " : "") + "FETCH completed");
    }

    /**
     * What one FETCH command decided once, for its batches; {@code kinds[k]} is the K_ kind of item k, {@code decodes}
     * the BINARY and BINARY.SIZE items.
     */
    private record Plan(SelectedView view, int[] chosen, ImapCommand.Fetch f, byte[] kinds, OptionalLong changedSince,
                        boolean withUid, boolean withModSeq, boolean markSeen, boolean structure, boolean envelopeOnly,
                        AccountId account, MailboxId box, List<FetchItem> decodes) {}

    /** The batch's structures, read once for the check and then for the responses; throws for an undecodable part. */
    private Map<Long, MessageStructure> decodable(AccountId account, MailboxId box, UidSet set, List<FetchItem> decodes)
            throws FetchSections.UnknownCteException {
        Map<Long, MessageStructure> structures = s.store().read(account, tx -> tx.structures(box, set));
        for (MessageStructure st : structures.values())
            for (FetchItem item : decodes) FetchSections.checkDecodable(item, st);
        return structures;
    }

    /**
     * Reads up to {@link ImapServerLimits#FETCH_BATCH} messages from {@code from} in one read transaction and writes
     * their responses; true if some were expunged meanwhile.
     */
    private boolean fetchBatch(Plan p, int from) throws IOException {
        SelectedView view = p.view();
        int[] chosen = p.chosen();
        AccountId account = p.account();
        MailboxId box = p.box();
        boolean structure = p.structure(), envelopeOnly = p.envelopeOnly();
        int to = Math.min(chosen.length, from + ImapServerLimits.FETCH_BATCH);
        long[] uids = view.uids(java.util.Arrays.copyOfRange(chosen, from, to));
        UidSet set = Sets.uidSet(uids);
        // RFC 3516 §4.3: a BINARY item whose part cannot be decoded fails the FETCH with NO [UNKNOWN-CTE]. Checked on
        // the structures before \Seen is set and before any response is written: a response cannot be taken back
        // once an earlier item's literal has gone out, and a failed FETCH must not set \Seen unannounced
        Map<Long, MessageStructure> structures = p.decodes().isEmpty() ? null : decodable(account, box, set, p.decodes());
        Set<Long> seenNow = p.markSeen() ? markSeen(view, account, box, set) : Set.of();
        // ENVELOPE alone: rendered from the process's cache where it has them, the rest read (and cached) below
        boolean utf8 = s.out.utf8();
        ImapWriter.Rendered[] rendered = new ImapWriter.Rendered[uids.length];   // by position in uids
        UidSet toRead = envelopeOnly ? Sets.uidSet(cachedEnvelopes(box, uids, utf8, rendered)) : null;
        boolean readEnvelopes = toRead != null && !toRead.ranges().isEmpty();
        Batch batch = s.store().read(account, tx -> {
            return new Batch(tx.messages(box, set),
                    structures != null ? structures : structure ? tx.structures(box, set) : Map.of(),
                    readEnvelopes ? tx.envelopes(box, toRead) : Map.of());
        });
        // rendered (and cached) before the responses are written, so every response writes a rendered envelope:
        // the first FETCH of a folder and the later ones then run the same code, and the JIT does not compile the
        // response writer once for "all misses" and again, deoptimized, for "all hits" (158 ms of C2 time measured
        // in the second FETCH 1:* of 10,000 messages, on a 2-CPU machine where it competes with the FETCH itself)
        if (!batch.envelopes().isEmpty()) renderEnvelopes(box, uids, batch.envelopes(), utf8, rendered);
        List<MessageMeta> metas = batch.metas();
        boolean missing = false;
        int next = 0;   // a merge of two ascending lists: no map of boxed uids for 10,000 messages
        for (int i = from; i < to; i++) {
            long uid = uids[i - from];
            while (next < metas.size() && metas.get(next).uid() < uid) next++;
            MessageMeta m = next < metas.size() && metas.get(next).uid() == uid ? metas.get(next) : null;
            missing |= !respond(p, chosen[i] + 1, uid, m, batch, rendered[i - from], seenNow);
        }
        return missing;
    }

    /** RFC 9051 §6.4.5: a non-PEEK body item sets \Seen; the uids it changed (their flags go into the response). */
    private Set<Long> markSeen(SelectedView view, AccountId account, MailboxId box, UidSet set) throws IOException {
        Set<Long> seenNow = new HashSet<>();
        for (MessageMeta m : s.store().write(account, tx -> tx.setFlags(box, set,
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN)), OptionalLong.empty()))) {
            seenNow.add(m.uid());
            view.reported(m.modSeq());
        }
        return seenNow;
    }

    /**
     * Puts the kept renderings of {@code uids}' envelopes into {@code rendered} (at their positions in {@code uids});
     * returns the uids without one.
     */
    private long[] cachedEnvelopes(MailboxId box, long[] uids, boolean utf8, ImapWriter.Rendered[] rendered) {
        EnvelopeCache cache = s.server.envelopes();
        long[] uncached = new long[uids.length];
        int n = 0;
        for (int i = 0; i < uids.length; i++) {
            ImapWriter.Rendered e = cache.get(box, uids[i], utf8);
            if (e != null) rendered[i] = e;
            else uncached[n++] = uids[i];
        }
        return java.util.Arrays.copyOf(uncached, n);
    }

    /**
     * Renders envelopes read from the store into {@code rendered} (at their uids' positions in {@code uids}, which
     * ascend) and the process's cache.
     */
    private void renderEnvelopes(MailboxId box, long[] uids, Map<Long, Envelope> envelopes, boolean utf8,
                                 ImapWriter.Rendered[] rendered) throws IOException {
        EnvelopeCache cache = s.server.envelopes();
        for (Map.Entry<Long, Envelope> e : envelopes.entrySet()) {
            ImapWriter.Rendered r = EnvelopeCache.render(renderer(utf8), e.getValue());
            if (r == null) continue;   // it crossed the renderer's buffer: written (not kept) by the response itself
            cache.put(box, e.getKey(), r);
            int at = java.util.Arrays.binarySearch(uids, e.getKey());
            if (at >= 0) rendered[at] = r;
        }
    }

    /**
     * Writes message {@code seq}'s response, {@code m} its record as the batch read it (null if expunged since);
     * false if it could not be answered because it was expunged meanwhile.
     */
    private boolean respond(Plan p, int seq, long uid, MessageMeta m, Batch batch, ImapWriter.Rendered kept,
                            Set<Long> seenNow) throws IOException {
        if (m == null) return false;   // expunged by another session; the view still has it until it may say so
        MessageStructure st = null;
        Envelope envelope = null;
        if (p.structure()) {
            st = batch.structures().get(uid);
            if (st == null) return false;
            envelope = st.envelope();   // kept is null: cachedEnvelopes serves ENVELOPE-only FETCHes
        } else if (p.envelopeOnly()) {
            if (kept == null && (envelope = batch.envelopes().get(uid)) == null) return false;
        }
        if (p.changedSince().isPresent() && m.modSeq() <= p.changedSince().getAsLong()) return true;
        // RFC 7162 §3.2.4: a response that sets \Seen carries UID and MODSEQ once CONDSTORE is on
        boolean seen = !seenNow.isEmpty() && seenNow.contains(uid), changeTold = seen && s.condstore();
        try {
            write(seq, m, st, new EnvelopeItem(envelope, kept), p, p.withUid() || changeTold,
                    p.withModSeq() || changeTold, seen);
            return true;
        } catch (FileNotFoundException | java.nio.file.NoSuchFileException gone) {
            // expunged (its body gone) between the batch read and the body's opening: the response was
            // dropped whole unless part of it had reached the socket, and then the writer refuses further
            // writes and the session ends, since the client's parser is out of step
            return false;
        }
    }

    /** Writes envelopes into nothing, to keep what the writer renders ({@link EnvelopeCache#render}). */
    private ImapWriter renderer;

    /** The session's renderer, in its UTF-8 mode. */
    private ImapWriter renderer(boolean utf8) {
        if (renderer == null || renderer.utf8() != utf8) {
            renderer = new ImapWriter(java.io.OutputStream.nullOutputStream());
            if (utf8) renderer.enableUtf8();
        }
        return renderer;
    }

    /**
     * RFC 7162 §3.2.6: the UIDs of the set expunged since {@code modSeq}, from the recorded expunges. {@code *} is
     * not the view's last UID: the UIDs expunged above it are the very ones asked for (as in SELECT's QRESYNC).
     */
    private void vanishedEarlier(SelectedView view, SequenceSet set, long modSeq) throws IOException {
        List<Long> gone = new ArrayList<>();
        long largest = Long.MAX_VALUE;
        MailboxId box = view.box();
        for (long u : s.store().read(s.account().id(), tx -> tx.expungedSince(box, modSeq)))
            if (Sets.contains(set, u, largest)) gone.add(u);
        if (gone.isEmpty()) return;
        String compact = Sets.compact(gone);
        s.out.untagged(r -> r.atom("VANISHED").open().atom("EARLIER").close().token(compact));
    }

    /**
     * A message's ENVELOPE for one response: rendered already (from the {@link EnvelopeCache}), or decoded, to be
     * rendered and cached as it is written. Both null unless ENVELOPE is asked.
     */
    private record EnvelopeItem(Envelope decoded, ImapWriter.Rendered rendered) {}

    /** One FETCH response; {@code st} is null unless an item needs the part tree. */
    private void write(int seq, MessageMeta m, MessageStructure st, EnvelopeItem envelope, Plan p,
                       boolean withUid, boolean withModSeq, boolean seenNow) throws IOException {
        byte[] kinds = p.kinds();
        s.out.untagged(r -> {
            r.number(seq).atom(FETCH).open();
            boolean flagsDone = false;
            if (withUid) r.atom(UID).number(m.uid());
            for (int k = 0; k < kinds.length; k++) {
                switch (kinds[k]) {
                    case K_UID -> {
                        if (!withUid) r.atom(UID).number(m.uid());
                    }
                    case K_FLAGS -> {
                        writeFlags(r, m.uid(), m.flags());
                        flagsDone = true;
                    }
                    case K_INTERNALDATE -> r.atom("INTERNALDATE").string(INTERNALDATE.format(m.internalDate()));
                    case K_SIZE -> r.atom("RFC822.SIZE").number(m.size());
                    case K_ENVELOPE -> writeEnvelope(r, m, envelope);
                    case K_MODSEQ -> { }   // written once, below
                    default -> writeStructured(r, p.f().items().get(k), m, st);
                }
            }
            if (seenNow && !flagsDone) writeFlags(r, m.uid(), m.flags());
            if (withModSeq) r.atom("MODSEQ").open().number(m.modSeq()).close();
            r.close();
        });
    }

    /** {@code FLAGS (...)}: the message's flags as this session shows them, copied when written before. */
    private void writeFlags(ImapWriter.Response r, long uid, Flags flags) throws IOException {
        r.atom(FLAGS);
        if (s.view().showsRecent(uid)) {
            r.flags(s.view().shown(uid, flags));   // with \Recent: a few messages, to this session only
            return;
        }
        ImapWriter.Rendered kept = flagLists == null ? null : flagLists.get(flags);
        if (kept != null) {
            r.rendered(kept);
            return;
        }
        Optional<ImapWriter.Rendered> rendered = r.capture(list -> list.flags(flags.names()));
        if (rendered.isEmpty()) return;   // it crossed a buffer flush: written, not kept
        if (flagLists == null) flagLists = new java.util.IdentityHashMap<>();
        if (flagLists.size() >= MAX_FLAG_LISTS) flagLists.clear();
        flagLists.put(flags, rendered.get());
    }

    private void writeEnvelope(ImapWriter.Response r, MessageMeta m, EnvelopeItem envelope) throws IOException {
        r.atom(ENVELOPE);
        if (envelope.rendered() != null) {
            r.rendered(envelope.rendered());
        } else {
            r.capture(e -> ImapStructures.envelope(e, envelope.decoded())).ifPresent(kept ->
                    s.server.envelopes().put(m.mailbox(), m.uid(), kept));
        }
    }

    /** The items answered from the part tree or the message's bytes. */
    private void writeStructured(ImapWriter.Response r, FetchItem item, MessageMeta m, MessageStructure st)
            throws IOException {
        switch (item) {
            case FetchItem.Body _ -> {
                r.atom("BODY");
                ImapStructures.body(r, st.root());
            }
            case FetchItem.BodyStructure _ -> {
                r.atom("BODYSTRUCTURE");
                ImapStructures.bodyStructure(r, st.root());
            }
            default -> {
                AccountId account = s.account().id();
                FetchSections.write(r, item, st, () -> s.store().openMessage(account, m.mailbox(), m.uid())
                        .orElseThrow(() -> new FileNotFoundException("message " + m.uid() + " expunged")));
            }
        }
    }

    // --- STORE ---

    private record Stored(List<MessageMeta> before, Map<Long, MessageMeta> changed) {}

    /**
     * RFC 9051 §6.4.6 with RFC 7162 §3.1.3 UNCHANGEDSINCE: messages whose MODSEQ is higher are left alone and
     * named in {@code [MODIFIED set]}. \Recent cannot be stored (RFC 3501 §2.3.2) and is dropped.
     */
    Reply store(ImapCommand.Store st) throws IOException {
        SelectedView view = s.view();
        if (view.readOnly()) throw ImapNo.no(ResponseCode.READ_ONLY, "the mailbox is read-only (EXAMINE)");
        int[] chosen = view.resolve(st.set(), s.savedUids);
        if (st.unchangedSince().isPresent()) s.enabled.add(Extension.CONDSTORE);
        List<String> names = st.flags().stream().filter(n -> !n.equalsIgnoreCase(Flags.RECENT)).toList();
        FlagUpdate update = new FlagUpdate(switch (st.mode()) {
            case REPLACE -> FlagUpdate.Mode.REPLACE;
            case ADD -> FlagUpdate.Mode.ADD;
            case REMOVE -> FlagUpdate.Mode.REMOVE;
        }, new Flags(new HashSet<>(names)));
        long[] uids = view.uids(chosen);
        UidSet set = Sets.uidSet(uids);
        MailboxId box = view.box();
        Stored result = s.store().write(s.account().id(), tx -> {
            List<MessageMeta> before = tx.messages(box, set);
            Map<Long, MessageMeta> changed = new HashMap<>();
            if (!before.isEmpty())
                for (MessageMeta m : tx.setFlags(box, set, update, st.unchangedSince())) changed.put(m.uid(), m);
            return new Stored(before, changed);
        });
        List<Long> modified = new ArrayList<>();
        boolean condstore = s.condstore();
        boolean withUid = st.uid() || condstore;   // RFC 7162 §3.2.4, see SelectedView.fetchFlags
        for (MessageMeta m : result.before()) {
            int seq = view.indexOf(m.uid()) + 1;
            MessageMeta now = result.changed().get(m.uid());
            if (now != null) view.reported(now.modSeq());
            if (st.unchangedSince().isPresent() && m.modSeq() > st.unchangedSince().getAsLong()) {
                modified.add(st.uid() ? m.uid() : seq);
                continue;
            }
            if (st.silent()) {
                // RFC 7162 §3.1.3: with CONDSTORE the new MODSEQ is reported even for .SILENT
                if (condstore && now != null) {
                    s.out.untagged(r -> {
                        r.number(seq).atom("FETCH").open();
                        if (withUid) r.atom("UID").number(m.uid());
                        r.atom("MODSEQ").open().number(now.modSeq()).close().close();
                    });
                }
                continue;
            }
            MessageMeta shown = now != null ? now : m;
            view.fetchFlags(seq, m.uid(), shown.flags(), shown.modSeq(), withUid);
        }
        if (!modified.isEmpty()) {
            return Reply.ok(ResponseCode.of("MODIFIED", Sets.compact(modified.stream().sorted().toList())),
                    "conditional STORE failed for some messages");
        }
        return Reply.ok((st.uid() ? "UID " : "") + "STORE completed");
    }

    // --- COPY, MOVE ---

    /** {@code sourceModSeq}: the source mailbox's HIGHESTMODSEQ after the MOVE's expunge. */
    private record Copied(long uidValidity, List<CopyResult> copies, long sourceModSeq) {}

    /**
     * COPY (RFC 9051 §6.4.7) and MOVE (RFC 6851): COPYUID (RFC 4315 §3) names the new UIDs. MOVE copies and
     * expunges in ONE store transaction, so no other session sees both copies or neither; the source's
     * EXPUNGE (VANISHED) responses come after an untagged {@code OK [COPYUID ...]} and before the tagged OK
     * (RFC 6851 §4.3).
     */
    Reply copy(boolean uid, SequenceSet set, String mailbox, boolean move) throws IOException, MailboxNames.InvalidNameException {
        SelectedView view = s.view();
        if (move && view.readOnly()) throw ImapNo.no(ResponseCode.READ_ONLY, "the mailbox is read-only (EXAMINE)");
        int[] chosen = view.resolve(set, s.savedUids);
        MailboxName target = MailboxNames.fromClient(mailbox, s.utf8());
        long[] uids = view.uids(chosen);
        UidSet source = Sets.uidSet(uids);
        MailboxId box = view.box();
        java.util.OptionalLong quota = move ? java.util.OptionalLong.empty() : s.quota();   // a MOVE adds no octets
        Copied copied = s.store().write(s.account().id(), tx -> {
            Mailbox to = tx.mailbox(target).orElseThrow(() -> ImapNo.no(ResponseCode.TRYCREATE, "no such mailbox"));
            if (quota.isPresent()) Quota.check(tx, quota, tx.messages(box, source).stream().mapToLong(MessageMeta::size).sum());
            List<CopyResult> copies = uids.length == 0 ? List.of() : tx.copy(box, source, to.id());
            if (move && !copies.isEmpty())
                tx.expunge(box, Sets.uidSet(copies.stream().mapToLong(CopyResult::sourceUid).toArray()));
            return new Copied(to.uidValidity(), copies, move ? highestModSeq(tx, box) : 0);
        });
        String verb = (uid ? "UID " : "") + (move ? "MOVE" : "COPY");
        if (copied.copies().isEmpty()) {
            return move && s.qresync() ? Reply.ok(ResponseCode.highestModSeq(copied.sourceModSeq()), verb + " completed: no messages")
                    : Reply.ok(verb + " completed: no messages");
        }
        long[] from = copied.copies().stream().mapToLong(CopyResult::sourceUid).toArray();
        long[] into = copied.copies().stream().mapToLong(CopyResult::targetUid).toArray();
        ResponseCode code = ResponseCode.of("COPYUID", copied.uidValidity() + " " + Sets.compact(from) + " " + Sets.compact(into));
        if (!move) return Reply.ok(code, verb + " completed");
        s.out.untagged(Condition.OK, code, "moved");
        view.tellExpunged(from);
        // RFC 6851 §4.4 with QRESYNC: the untagged OK carries COPYUID, so HIGHESTMODSEQ goes in the tagged one
        return s.qresync() ? Reply.ok(ResponseCode.highestModSeq(copied.sourceModSeq()), verb + " completed")
                : Reply.ok(verb + " completed");
    }

    // --- EXPUNGE ---

    /**
     * EXPUNGE (RFC 9051 §6.4.3) or, with a set, UID EXPUNGE (RFC 4315 §2.1): removes the \Deleted messages the
     * client knows of (all, or those in the set) and tells it which.
     */
    Reply expunge(Optional<SequenceSet> uidSet) throws IOException {
        SelectedView view = s.view();
        if (view.readOnly()) throw ImapNo.no(ResponseCode.READ_ONLY, "the mailbox is read-only (EXAMINE)");
        UidSet scope;
        if (uidSet.isPresent()) {
            int[] chosen = view.resolve(uidSet.get(), s.savedUids);
            long[] uids = view.uids(chosen);
            scope = Sets.uidSet(uids);
        } else {
            scope = UidSet.range(1, Math.max(1, view.lastUid()));
        }
        MailboxId box = view.box();
        Expunged done = s.store().write(s.account().id(), tx -> {
            List<Long> removed = scope.ranges().isEmpty() ? List.of()
                    : tx.expunge(box, Sets.uidSet(tx.deleted(box, scope)));
            return new Expunged(removed, highestModSeq(tx, box));
        });
        view.tellExpunged(Sets.toArray(done.uids()));
        String text = (uidSet.isPresent() ? "UID " : "") + "EXPUNGE completed";
        // RFC 7162 §3.2.7 and §3.2.9: with QRESYNC the tagged OK carries the mailbox's new HIGHESTMODSEQ
        return s.qresync() ? Reply.ok(ResponseCode.highestModSeq(done.highestModSeq()), text) : Reply.ok(text);
    }

    private record Expunged(List<Long> uids, long highestModSeq) {}

    /** The mailbox's HIGHESTMODSEQ as the transaction sees it (after its own changes). */
    private static long highestModSeq(org.postern.server.store.ReadTx tx, MailboxId box) {
        return tx.mailbox(box).map(Mailbox::highestModSeq).orElse(0L);
    }
}
