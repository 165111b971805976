package org.postern.server.store;

import java.util.ArrayList;
import java.util.List;

/** A set of UIDs as inclusive ranges; {@link #ALL} is 1:*. */
public record UidSet(List<Range> ranges) {
    public record Range(long first, long last) {
        public Range {
            if (first < 1 || last < first) throw new IllegalArgumentException("bad uid range " + first + ":" + last);
        }
    }

    public static final UidSet ALL = new UidSet(List.of(new Range(1, Long.MAX_VALUE)));

    public UidSet {
        ranges = List.copyOf(ranges);
    }

    public static UidSet of(long... uids) {
        List<Range> r = new ArrayList<>();
        for (long u : uids) r.add(new Range(u, u));
        return new UidSet(r);
    }

    public static UidSet range(long first, long last) {
        return new UidSet(List.of(new Range(first, last)));
    }

    public boolean contains(long uid) {
        for (Range r : ranges) if (uid >= r.first && uid <= r.last) return true;
        return false;
    }
}
