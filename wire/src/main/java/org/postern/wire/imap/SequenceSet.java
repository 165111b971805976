package org.postern.wire.imap;

import java.util.List;

/**
 * An RFC 9051 §9 {@code sequence-set}: ranges of message sequence numbers or of UIDs, or {@code $}, the result
 * saved by the last {@code SEARCH RETURN (SAVE)} (RFC 5182 §2). {@code *} is kept as {@link #STAR}, the largest
 * number in use, which only the server knows; {@link Range#resolve} substitutes it.
 *
 * @param ranges empty exactly when {@code savedResult}
 * @param savedResult the set is {@code $}
 * @param uid the numbers are UIDs ({@code UID FETCH}, the SEARCH key {@code UID}) rather than sequence numbers
 */
public record SequenceSet(List<Range> ranges, boolean savedResult, boolean uid) {
    /** {@code *}: "the largest number in use" (RFC 9051 §9, seq-number). Sorts after every real number. */
    public static final long STAR = Long.MAX_VALUE;

    /** RFC 9051 §9: nz-number is a non-zero 32-bit unsigned integer. */
    public static final long MAX_NUMBER = 0xFFFF_FFFFL;

    public SequenceSet {
        ranges = List.copyOf(ranges);
        if (savedResult != ranges.isEmpty()) throw new IllegalArgumentException("either $ or ranges");
    }

    public static SequenceSet of(boolean uid, Range... ranges) {
        return new SequenceSet(List.of(ranges), false, uid);
    }

    /** {@code $} (RFC 5182). */
    public static SequenceSet saved(boolean uid) {
        return new SequenceSet(List.of(), true, uid);
    }

    /**
     * One element: a number ({@code first == last}) or {@code n:m}. RFC 9051 §9: "n:m" and "m:n" are the same
     * range, so the constructor orders them; with {@link #STAR} that order can change once {@code *} is known,
     * which {@link #resolve} handles ({@code 5:*} with 3 messages is {@code 3:5}).
     */
    public record Range(long first, long last) {
        public Range {
            if (first < 1 || last < 1 || (first > MAX_NUMBER && first != STAR) || (last > MAX_NUMBER && last != STAR))
                throw new IllegalArgumentException("not a sequence number: " + first + ":" + last);
            if (first > last) {
                long t = first;
                first = last;
                last = t;
            }
        }

        public static Range of(long n) {
            return new Range(n, n);
        }

        /** This range with {@code *} replaced by {@code largest} (0 in an empty mailbox), in ascending order. */
        public long[] resolve(long largest) {
            long a = first == STAR ? largest : first, b = last == STAR ? largest : last;
            return a <= b ? new long[] {a, b} : new long[] {b, a};
        }
    }
}
