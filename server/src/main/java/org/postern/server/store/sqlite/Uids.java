package org.postern.server.store.sqlite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.postern.server.store.UidSet;

/** UID set helpers: normalized ranges for queries, and the compact text form of expunged uids in change rows. */
final class Uids {
    private Uids() {}

    /** The ranges sorted and merged, so that per-range queries return each uid once, ascending. */
    static List<UidSet.Range> normalize(UidSet set) {
        List<UidSet.Range> sorted = new ArrayList<>(set.ranges());
        sorted.sort(Comparator.comparingLong(UidSet.Range::first));
        List<UidSet.Range> out = new ArrayList<>();
        for (UidSet.Range r : sorted) {
            if (!out.isEmpty()) {
                UidSet.Range last = out.getLast();
                if (r.first() <= last.last() || r.first() - 1 == last.last()) {
                    out.set(out.size() - 1, new UidSet.Range(last.first(), Math.max(last.last(), r.last())));
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }

    /** Ascending uids as ranges, e.g. {@code 1:3,7} (the IMAP sequence-set form). */
    static String encode(List<Long> ascending) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ascending.size(); ) {
            long first = ascending.get(i);
            int j = i;
            while (j + 1 < ascending.size() && ascending.get(j + 1) == ascending.get(j) + 1) j++;
            if (!sb.isEmpty()) sb.append(',');
            sb.append(first);
            if (j > i) sb.append(':').append(ascending.get(j));
            i = j + 1;
        }
        return sb.toString();
    }

    static List<Long> decode(String ranges) {
        List<Long> out = new ArrayList<>();
        if (ranges == null || ranges.isEmpty()) return out;
        for (String part : ranges.split(",")) {
            int colon = part.indexOf(':');
            long first = Long.parseLong(colon < 0 ? part : part.substring(0, colon));
            long last = colon < 0 ? first : Long.parseLong(part.substring(colon + 1));
            for (long u = first; u <= last; u++) out.add(u);
        }
        return out;
    }
}
