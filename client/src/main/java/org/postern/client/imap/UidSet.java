package org.postern.client.imap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.postern.wire.imap.SequenceSet;

/**
 * An ascending set of UIDs kept as ranges, written in IMAP sequence-set syntax ("1:5,7,9:12") and read back from
 * it (VANISHED, COPYUID). {@code 0} is never a UID; a UID is at most {@link #MAX_UID} (RFC 9051 §2.3.1.1: a
 * 32-bit value). Immutable; {@link #equals} compares the UIDs, however the text was written.
 */
public final class UidSet {
    /** RFC 9051 §2.3.1.1 / §9 nz-number: UIDs are unsigned 32-bit, never 0. */
    public static final long MAX_UID = SequenceSet.MAX_NUMBER;
    /** The longest text of one range ("4294967295:4294967295"): {@link #chunks} cannot go below it. */
    public static final int MAX_RANGE_CHARS = 21;

    private static final UidSet EMPTY = new UidSet(new long[0], new long[0]);

    /** Sorted, disjoint, non-adjacent ranges: first[i] <= last[i] < first[i+1] - 1. */
    private final long[] first, last;

    private UidSet(long[] first, long[] last) {
        this.first = first;
        this.last = last;
    }

    public static UidSet of(long... uids) {
        long[][] ranges = new long[uids.length][];
        for (int i = 0; i < uids.length; i++) ranges[i] = new long[] {check(uids[i]), uids[i]};
        return normalized(ranges);
    }

    public static UidSet of(Iterable<Long> uids) {
        List<long[]> ranges = new ArrayList<>();
        for (long u : uids) ranges.add(new long[] {check(u), u});
        return normalized(ranges.toArray(long[][]::new));
    }

    /** {@code first:last}, inclusive, in either order. */
    public static UidSet range(long first, long last) {
        check(first);
        check(last);
        return normalized(new long[][] {{Math.min(first, last), Math.max(first, last)}});
    }

    public static UidSet empty() {
        return EMPTY;
    }

    /**
     * Parses "1:5,7" (RFC 9051 §9 sequence-set, without "*": a set of UIDs, not a request); ranges may be written
     * high to low and may overlap. Throws IllegalArgumentException on bad syntax, 0, or a UID past
     * {@link #MAX_UID}.
     */
    public static UidSet parse(String text) {
        if (text.isEmpty()) throw new IllegalArgumentException("empty UID set");
        List<long[]> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int colon = part.indexOf(':');
            long a = number(colon < 0 ? part : part.substring(0, colon), text);
            long b = colon < 0 ? a : number(part.substring(colon + 1), text);
            ranges.add(new long[] {Math.min(a, b), Math.max(a, b)});
        }
        return normalized(ranges.toArray(long[][]::new));
    }

    private static long number(String s, String whole) {
        if (s.isEmpty() || s.length() > 10) throw new IllegalArgumentException("bad UID set: " + clip(whole));
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new IllegalArgumentException("bad UID set: " + clip(whole));
            v = v * 10 + (c - '0');
        }
        if (v == 0 || v > MAX_UID) throw new IllegalArgumentException("UID out of range (1.." + MAX_UID + ") in " + clip(whole));
        return v;
    }

    private static String clip(String s) {
        return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 80) + "...'";
    }

    private static long check(long uid) {
        if (uid < 1 || uid > MAX_UID) throw new IllegalArgumentException("not a UID: " + uid);
        return uid;
    }

    private static UidSet normalized(long[][] ranges) {
        if (ranges.length == 0) return EMPTY;
        Arrays.sort(ranges, (x, y) -> Long.compare(x[0], y[0]));
        long[] f = new long[ranges.length], l = new long[ranges.length];
        int n = 0;
        for (long[] r : ranges) {
            if (n > 0 && r[0] <= l[n - 1] + 1) {
                l[n - 1] = Math.max(l[n - 1], r[1]);
            } else {
                f[n] = r[0];
                l[n] = r[1];
                n++;
            }
        }
        return new UidSet(Arrays.copyOf(f, n), Arrays.copyOf(l, n));
    }

    public boolean isEmpty() {
        return first.length == 0;
    }

    public boolean contains(long uid) {
        int i = Arrays.binarySearch(first, uid);
        if (i >= 0) return true;
        int before = -i - 2;
        return before >= 0 && uid <= last[before];
    }

    public long size() {
        long n = 0;
        for (int i = 0; i < first.length; i++) n += last[i] - first[i] + 1;
        return n;
    }

    /** The lowest UID; the set must not be empty. */
    public long min() {
        if (isEmpty()) throw new IllegalStateException("empty UID set");
        return first[0];
    }

    /** The highest UID; the set must not be empty. */
    public long max() {
        if (isEmpty()) throw new IllegalStateException("empty UID set");
        return last[last.length - 1];
    }

    /** Every UID, ascending. The caller bounds the size (a range 1:4294967295 is four billion entries). */
    public List<Long> toList() {
        long size = size();
        if (size > Integer.MAX_VALUE - 8) throw new IllegalStateException("UID set too large for a list: " + size);
        List<Long> out = new ArrayList<>((int) size);
        for (int i = 0; i < first.length; i++) for (long u = first[i]; u <= last[i]; u++) out.add(u);
        return out;
    }

    public UidSet union(UidSet other) {
        long[][] r = new long[first.length + other.first.length][];
        for (int i = 0; i < first.length; i++) r[i] = new long[] {first[i], last[i]};
        for (int i = 0; i < other.first.length; i++) r[first.length + i] = new long[] {other.first[i], other.last[i]};
        return normalized(r);
    }

    /** The UIDs of this set that are not in {@code other}. */
    public UidSet minus(UidSet other) {
        List<long[]> out = new ArrayList<>();
        int j = 0;
        for (int i = 0; i < first.length; i++) {
            long a = first[i], b = last[i];
            while (j < other.first.length && other.last[j] < a) j++;
            int k = j;
            while (a <= b && k < other.first.length && other.first[k] <= b) {
                if (other.first[k] > a) out.add(new long[] {a, other.first[k] - 1});
                a = Math.max(a, other.last[k] + 1);
                k++;
            }
            if (a <= b) out.add(new long[] {a, b});
        }
        return normalized(out.toArray(long[][]::new));
    }

    /**
     * Splits into sets whose text is at most {@code maxChars} long (servers limit command lines: RFC 7162 §4
     * recommends accepting 8192 octets), in ascending order; their union is this set.
     */
    public List<UidSet> chunks(int maxChars) {
        if (maxChars < MAX_RANGE_CHARS) throw new IllegalArgumentException("chunks need at least " + MAX_RANGE_CHARS + " characters");
        List<UidSet> out = new ArrayList<>();
        int start = 0, length = 0;
        for (int i = 0; i < first.length; i++) {
            int add = rangeText(i).length() + (i > start ? 1 : 0);
            if (i > start && length + add > maxChars) {
                out.add(new UidSet(Arrays.copyOfRange(first, start, i), Arrays.copyOfRange(last, start, i)));
                start = i;
                add = rangeText(i).length();
                length = 0;
            }
            length += add;
        }
        if (start < first.length) out.add(new UidSet(Arrays.copyOfRange(first, start, first.length),
                Arrays.copyOfRange(last, start, last.length)));
        return out;
    }

    private String rangeText(int i) {
        return first[i] == last[i] ? Long.toString(first[i]) : first[i] + ":" + last[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UidSet u && Arrays.equals(first, u.first) && Arrays.equals(last, u.last);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(first) + Arrays.hashCode(last);
    }

    /** IMAP sequence-set syntax, ranges ascending; the empty set is "" (IMAP has no syntax for it). */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < first.length; i++) {
            if (i > 0) b.append(',');
            b.append(rangeText(i));
        }
        return b.toString();
    }
}
