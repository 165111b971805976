package org.postern.server.imap;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import org.postern.server.store.Flags;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.ReadTx;
import org.postern.server.store.UidSet;
import org.postern.wire.imap.ImapLimits;
import org.postern.wire.imap.SearchKey;
import org.postern.wire.imap.SearchKey.*;

/**
 * Evaluates IMAP SEARCH keys (RFC 9051 §6.4.4, RFC 3501 §6.4.4, RFC 7162 MODSEQ, RFC 5182 $) against the messages
 * of a session's view of the selected mailbox.
 *
 * <p>Every key becomes a {@link BitSet} over the view's positions ({@link SearchView}); AND, OR and NOT are bit
 * operations, so a search costs one pass over the key tree, never one per message and key. What a key needs is
 * fetched once per search and only if some key needs it: text keys ask the store's trigram index (never a
 * message blob), flag, size, date and MODSEQ keys share one load of the view's metadata, SENT* keys one read of
 * the Date: fields.
 *
 * <p>Decisions where the RFCs leave room:
 * <ul>
 *   <li>Only the view counts: a message delivered after the view was last announced is not matched, even by
 *       {@code ALL}. A message still in the view but expunged from the store (by another session, not announced
 *       yet) matches nothing, not even {@code ALL}, a sequence number or its UID: it no longer has flags, size
 *       or text to test, and naming it would only make the client FETCH a message that is gone. Its number stays
 *       taken until the session announces the EXPUNGE (RFC 9051 §7.5.1), so the numbering of the others holds.</li>
 *   <li>SENTBEFORE, SENTON, SENTSINCE use the date written in the Date: field (its own zone); a message without
 *       a Date: field, or with one that is not an RFC 5322 date, uses its INTERNALDATE instead, as RFC 5256 §2.2
 *       does for sorting by sent date (so each message has a sent date, and NOT SENTON matches consistently).</li>
 *   <li>BEFORE, ON, SINCE use INTERNALDATE's date in UTC ({@link SearchDates}).</li>
 *   <li>MODSEQ: the store keeps one mod-sequence per message, not per flag, so the optional entry name and type
 *       (RFC 7162 §3.1.5) are accepted and ignored: a message matches when its mod-sequence is at least n,
 *       which is what §3.1.5 says a server without per-metadata mod-sequences does.</li>
 *   <li>Text keys (RFC 9051 §6.4.4) are case-insensitive substrings of the decoded text: BODY the body text,
 *       TEXT header and body text, FROM/TO/CC/BCC/SUBJECT and HEADER the decoded value of that top-level field
 *       (any occurrence); an empty string matches every message that has the field (HEADER, and the field keys
 *       alike), or every message (BODY, TEXT).</li>
 * </ul>
 */
public final class SearchEngine {
    private SearchEngine() {}

    /**
     * The charsets a SEARCH CHARSET may name (RFC 9051 §6.4.4: UTF-8 must be supported; US-ASCII is its subset),
     * for the session's {@code NO [BADCHARSET (UTF-8 US-ASCII)]}. The session checks CHARSET before calling
     * {@link #search}: the strings of a key are already Java strings here.
     */
    public static final List<String> CHARSETS = List.of("UTF-8", "US-ASCII");

    /**
     * Deepest key tree {@link #search} evaluates (it recurses once per level): the parser's nesting limit, plus
     * the AND it wraps around several top-level keys. Deeper trees come only from a bug and are refused.
     */
    static final int MAX_KEY_DEPTH = ImapLimits.MAX_SEARCH_DEPTH + 1;

    /**
     * What a search needs from the session besides the store.
     *
     * @param viewUids   the UIDs of the session's view, in sequence-number order (message n is {@code viewUids[n-1]});
     *                   may include messages another session expunged that this one has not announced yet
     * @param savedUids  the RFC 5182 saved result ({@code $}), ascending; empty if none was saved
     * @param recentUids the messages that are \Recent in this session
     */
    public record Context(long[] viewUids, long[] savedUids, Set<Long> recentUids) {}

    /**
     * The UIDs of the view's messages that match {@code key}, ascending.
     *
     * @throws IllegalArgumentException if the key tree is deeper than {@link #MAX_KEY_DEPTH} or the view's UIDs
     *                                  are not ascending (the caller's bugs: parsed commands never are)
     */
    public static long[] search(ReadTx tx, MailboxId box, SearchKey key, Context context) {
        checkDepth(key);
        Evaluation e = new Evaluation(tx, box, new SearchView(context.viewUids()), context);
        BitSet hits = e.eval(key);
        if (!e.onlyExisting(key)) hits.and(e.existing());
        return e.view.uids(hits);
    }

    /**
     * Refuses a tree deeper than {@link #MAX_KEY_DEPTH}, without recursing (so any depth is safe to check). A key
     * object reached again no deeper than before is not walked again: a tree built with shared subtrees (not
     * from the parser, but possible) is checked in time linear in its distinct nodes.
     */
    private static void checkDepth(SearchKey root) {
        record Level(SearchKey key, int depth) {}
        Map<SearchKey, Integer> deepest = new IdentityHashMap<>();
        ArrayDeque<Level> todo = new ArrayDeque<>();
        todo.push(new Level(root, 1));
        while (!todo.isEmpty()) {
            Level l = todo.pop();
            if (l.depth() > MAX_KEY_DEPTH) {
                throw new IllegalArgumentException("search key nested deeper than " + MAX_KEY_DEPTH);
            }
            Integer before = deepest.put(l.key(), l.depth());
            if (before != null && before >= l.depth()) {
                deepest.put(l.key(), before);
                continue;
            }
            switch (l.key()) {
                case And a -> a.keys().forEach(k -> todo.push(new Level(k, l.depth() + 1)));
                case Or o -> {
                    todo.push(new Level(o.left(), l.depth() + 1));
                    todo.push(new Level(o.right(), l.depth() + 1));
                }
                case Not n -> todo.push(new Level(n.key(), l.depth() + 1));
                default -> {
                }
            }
        }
    }

    /**
     * One search: the key tree's walk and what it has loaded so far. Each key object is evaluated once (a
     * shared subtree does not multiply the work), and each distinct text key asks the store once.
     */
    private static final class Evaluation {
        private final ReadTx tx;
        private final MailboxId box;
        final SearchView view;
        private final Context context;
        private final Map<SearchKey, BitSet> evaluated = new IdentityHashMap<>();
        private final Map<SearchKey, BitSet> textHits = new HashMap<>();   // Text and Header keys, by value
        private final Map<SearchKey, Boolean> existingOnly = new IdentityHashMap<>();
        private MessageMeta[] metas;   // by position; null: expunged from the store
        private long[] sentDays;       // by position

        Evaluation(ReadTx tx, MailboxId box, SearchView view, Context context) {
            this.tx = tx;
            this.box = box;
            this.view = view;
            this.context = context;
        }

        /**
         * Whether every message {@code key} matches is certainly still in the store: keys answered from the store
         * only name existing messages; ALL, sequence and UID sets, \Recent (the session's) and NOT do not.
         * Remembered per key object, like {@link #eval}, so shared subtrees are not walked again.
         */
        boolean onlyExisting(SearchKey key) {
            Boolean known = existingOnly.get(key);
            if (known != null) return known;
            boolean only = switch (key) {
                case All _, Sequence _, Uid _, Recent _, Old _, Not _ -> false;
                case And a -> a.keys().stream().anyMatch(this::onlyExisting);
                case Or o -> onlyExisting(o.left()) && onlyExisting(o.right());
                case Flag _, New _, Text _, Header _, SearchKey.Date _, Larger _, Smaller _, ModSeq _ -> true;
            };
            existingOnly.put(key, only);
            return only;
        }

        /** The view's messages that match {@code key}; the caller may change the set it gets. */
        BitSet eval(SearchKey key) {
            BitSet hits = evaluated.get(key);
            if (hits == null) {
                hits = compute(key);
                evaluated.put(key, hits);
            }
            return (BitSet) hits.clone();
        }

        private BitSet compute(SearchKey key) {
            return switch (key) {
                case All _ -> view.all();
                case And a -> and(a.keys());
                case Or o -> {
                    BitSet hits = eval(o.left());
                    hits.or(eval(o.right()));
                    yield hits;
                }
                case Not n -> {
                    BitSet hits = eval(n.key());
                    hits.flip(0, view.size());
                    yield hits;
                }
                // RFC 9051 §2.3.2: flags compare case-insensitively (Flags does)
                case Flag f -> where(m -> m.flags().has(f.flag()) == f.set());
                case Recent _ -> recent();
                case Old _ -> {
                    BitSet hits = recent();
                    hits.flip(0, view.size());
                    yield hits;
                }
                case New _ -> {
                    BitSet hits = recent();
                    hits.and(where(m -> !m.flags().has(Flags.SEEN)));
                    yield hits;
                }
                case Text t -> textHits.computeIfAbsent(t, k -> view.positions(text(t)));
                case Header h -> textHits.computeIfAbsent(h, k -> view.positions(tx.searchHeaderField(box, h.field(), h.value())));
                case SearchKey.Date d -> d.field() == DateField.INTERNAL
                        ? where(m -> SearchDates.matches(d.relation(), SearchDates.day(m.internalDate()), d.date()))
                        : sentOn(d);
                case Larger l -> where(m -> m.size() > l.size());
                case Smaller s -> where(m -> m.size() < s.size());
                case Sequence s -> view.sequence(s.set(), context.savedUids());
                case Uid u -> view.uidSet(u.set(), context.savedUids());
                // RFC 7162 §3.1.5: "mod-sequence equal to or greater than"; the entry is ignored (see class doc)
                case ModSeq m -> where(meta -> meta.modSeq() >= m.modSeq());
            };
        }

        /** All of {@code keys}; stops asking the store once nothing is left to match. */
        private BitSet and(List<SearchKey> keys) {
            BitSet hits = view.all();
            for (SearchKey k : keys) {
                if (hits.isEmpty()) break;
                hits.and(eval(k));
            }
            return hits;
        }

        private List<Long> text(Text t) {
            return switch (t.field()) {
                case BODY -> tx.searchBodyText(box, t.value());
                case TEXT -> tx.searchText(box, t.value());
                case FROM -> tx.searchHeaderField(box, "From", t.value());
                case TO -> tx.searchHeaderField(box, "To", t.value());
                case CC -> tx.searchHeaderField(box, "Cc", t.value());
                case BCC -> tx.searchHeaderField(box, "Bcc", t.value());
                case SUBJECT -> tx.searchHeaderField(box, "Subject", t.value());
            };
        }

        private BitSet recent() {
            return view.positions(context.recentUids());
        }

        /** The existing messages of the view for which {@code test} holds. */
        private BitSet where(Predicate<MessageMeta> test) {
            MessageMeta[] m = metas();
            BitSet hits = new BitSet(view.size());
            for (int i = 0; i < m.length; i++) if (m[i] != null && test.test(m[i])) hits.set(i);
            return hits;
        }

        private BitSet sentOn(SearchKey.Date d) {
            long[] days = sentDays();
            MessageMeta[] m = metas();
            BitSet hits = new BitSet(view.size());
            for (int i = 0; i < days.length; i++) {
                if (m[i] != null && SearchDates.matches(d.relation(), days[i], d.date())) hits.set(i);
            }
            return hits;
        }

        /** The view's messages that still exist in the store. */
        BitSet existing() {
            return where(m -> true);
        }

        /** The view's metadata, loaded once, in one read of the view's UID range. */
        private MessageMeta[] metas() {
            if (metas == null) {
                metas = new MessageMeta[view.size()];
                if (view.size() > 0) {
                    for (MessageMeta m : tx.messages(box, UidSet.range(view.uid(0), view.uid(view.size() - 1)))) {
                        int at = view.position(m.uid());
                        if (at >= 0) metas[at] = m;
                    }
                }
            }
            return metas;
        }

        /** The sent date of each message: its Date: field's date, else its INTERNALDATE's (class doc). */
        private long[] sentDays() {
            if (sentDays == null) {
                MessageMeta[] m = metas();
                Map<Long, String> dates = view.size() == 0 ? Map.of() : tx.firstHeaderValues(box, "Date");
                sentDays = new long[view.size()];
                for (int i = 0; i < sentDays.length; i++) {
                    if (m[i] == null) continue;
                    String value = dates.get(m[i].uid());
                    OptionalLong sent = value == null ? OptionalLong.empty() : SearchDates.sentDay(value);
                    sentDays[i] = sent.isPresent() ? sent.getAsLong() : SearchDates.day(m[i].internalDate());
                }
            }
            return sentDays;
        }
    }
}
