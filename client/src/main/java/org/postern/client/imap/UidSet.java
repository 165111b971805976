package org.postern.client.imap;

import java.util.List;

/**
 * An ascending set of UIDs kept as ranges, written in IMAP sequence-set syntax ("1:5,7,9:12") and read back from
 * it (VANISHED, COPYUID). {@code 0} is never a UID. API contract; filled in by the {@code client.imap} work.
 */
public final class UidSet {
    private UidSet() {}

    public static UidSet of(long... uids) { throw new UnsupportedOperationException("client.imap"); }

    public static UidSet of(Iterable<Long> uids) { throw new UnsupportedOperationException("client.imap"); }

    public static UidSet empty() { throw new UnsupportedOperationException("client.imap"); }

    /** Parses "1:5,7"; throws IllegalArgumentException on bad syntax. A "*" is not accepted (not a set of UIDs). */
    public static UidSet parse(String text) { throw new UnsupportedOperationException("client.imap"); }

    public boolean isEmpty() { throw new UnsupportedOperationException("client.imap"); }

    public boolean contains(long uid) { throw new UnsupportedOperationException("client.imap"); }

    public long size() { throw new UnsupportedOperationException("client.imap"); }

    /** Every UID, ascending. */
    public List<Long> toList() { throw new UnsupportedOperationException("client.imap"); }

    /** Splits into sets whose text stays under {@code maxChars} (command-line limits of servers). */
    public List<UidSet> chunks(int maxChars) { throw new UnsupportedOperationException("client.imap"); }

    /** IMAP sequence-set syntax. */
    @Override
    public String toString() { throw new UnsupportedOperationException("client.imap"); }
}
