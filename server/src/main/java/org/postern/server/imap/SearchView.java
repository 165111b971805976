package org.postern.server.imap;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.stream.LongStream;
import org.postern.wire.imap.SequenceSet;

/**
 * A session's view of the selected mailbox as SEARCH sees it: message n is position n-1, and sets of messages
 * are {@link BitSet}s over positions, so AND, OR and NOT of search keys are word-wide bit operations.
 * Sequence numbers, UIDs and {@code $} all resolve to positions here.
 */
final class SearchView {
    private final long[] uids;

    /** @param uids the view's UIDs in sequence-number order, which RFC 9051 §2.3.1.2 makes ascending UID order */
    SearchView(long[] uids) {
        for (int i = 1; i < uids.length; i++) {
            if (uids[i] <= uids[i - 1]) throw new IllegalArgumentException("view UIDs not ascending at message " + (i + 1));
        }
        this.uids = uids;
    }

    int size() {
        return uids.length;
    }

    long uid(int position) {
        return uids[position];
    }

    /** Every message of the view. */
    BitSet all() {
        BitSet all = new BitSet(uids.length);
        all.set(0, uids.length);
        return all;
    }

    /** The position of {@code uid}, or -1 when the view does not hold it (not announced yet, or never there). */
    int position(long uid) {
        int at = Arrays.binarySearch(uids, uid);
        return at < 0 ? -1 : at;
    }

    /** The positions of those {@code uids} that are in the view. */
    BitSet positions(Collection<Long> found) {
        return positions(found.stream().mapToLong(Long::longValue));
    }

    /** The view's messages, as ascending UIDs. */
    long[] uids(BitSet positions) {
        return positions.stream().mapToLong(p -> uids[p]).toArray();
    }

    /**
     * A sequence set in the view's numbering (RFC 9051 §9 seq-number): {@code *} is the last message of the
     * view; numbers past the end match nothing (SEARCH only selects, unlike FETCH there is nothing to refuse).
     * {@code $} is the saved result (RFC 5182 §2.1), which is UIDs whatever numbering the key uses.
     */
    BitSet sequence(SequenceSet set, long[] saved) {
        if (set.savedResult()) return positions(Arrays.stream(saved));
        BitSet hits = new BitSet(uids.length);
        for (SequenceSet.Range r : set.ranges()) {
            long[] ab = r.resolve(uids.length);
            long from = Math.max(ab[0], 1), to = Math.min(ab[1], uids.length);
            if (from <= to) hits.set((int) from - 1, (int) to);
        }
        return hits;
    }

    /**
     * A UID set (RFC 9051 §6.4.4 UID key): {@code *} is the largest UID of the view, and a range resolves after
     * that substitution, so {@code 5:*} with 3 the largest is {@code 3:5} and holds message 3 (RFC 9051
     * §6.4.8: "559:*" always includes the UID of the last message, even when 559 is higher).
     */
    BitSet uidSet(SequenceSet set, long[] saved) {
        if (set.savedResult()) return positions(Arrays.stream(saved));
        BitSet hits = new BitSet(uids.length);
        long largest = uids.length == 0 ? 0 : uids[uids.length - 1];
        for (SequenceSet.Range r : set.ranges()) {
            long[] ab = r.resolve(largest);
            int from = firstAtLeast(ab[0]), to = firstAtLeast(ab[1] + 1);
            if (from < to) hits.set(from, to);
        }
        return hits;
    }

    private BitSet positions(LongStream someUids) {
        BitSet hits = new BitSet(uids.length);
        someUids.forEach(uid -> {
            int at = position(uid);
            if (at >= 0) hits.set(at);
        });
        return hits;
    }

    /** The first position whose UID is at least {@code uid} ({@link #size()} if none). */
    private int firstAtLeast(long uid) {
        int at = Arrays.binarySearch(uids, uid);
        return at >= 0 ? at : -at - 1;
    }
}
