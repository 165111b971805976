package org.postern.server.imap;

import java.util.ArrayList;
import java.util.List;
import org.postern.server.store.UidSet;
import org.postern.wire.imap.SequenceSet;

/** Ascending number lists as IMAP sequence sets ({@code 1:3,7}) and as store {@link UidSet}s. */
final class Sets {
    private Sets() {}

    /** RFC 9051 §9 sequence-set of ascending numbers, ranges joined: {@code 1,2,3,7} is {@code 1:3,7}. */
    static String compact(long[] ascending) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ascending.length; ) {
            int j = i;
            while (j + 1 < ascending.length && ascending[j + 1] == ascending[j] + 1) j++;
            if (!b.isEmpty()) b.append(',');
            b.append(ascending[i]);
            if (j > i) b.append(':').append(ascending[j]);
            i = j + 1;
        }
        return b.toString();
    }

    static String compact(List<Long> ascending) {
        return compact(toArray(ascending));
    }

    /** The store's form of ascending UIDs, adjacent ones as one range. */
    static UidSet uidSet(long[] ascending) {
        List<UidSet.Range> ranges = new ArrayList<>();
        for (int i = 0; i < ascending.length; ) {
            int j = i;
            while (j + 1 < ascending.length && ascending[j + 1] == ascending[j] + 1) j++;
            ranges.add(new UidSet.Range(ascending[i], ascending[j]));
            i = j + 1;
        }
        return new UidSet(ranges);
    }

    static long[] toArray(List<Long> list) {
        long[] a = new long[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        return a;
    }

    /** Whether {@code n} is in {@code set}, {@code *} standing for {@code largest} (a UID set given by a client). */
    static boolean contains(SequenceSet set, long n, long largest) {
        for (SequenceSet.Range r : set.ranges()) {
            long[] ab = r.resolve(largest);
            if (n >= ab[0] && n <= ab[1]) return true;
        }
        return false;
    }
}
