package org.postern.wire.imap;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One RFC 9051 §6.4.4 search key (with RFC 3501's NEW, OLD and RECENT and RFC 7162's MODSEQ). Several keys in
 * a row mean all of them ({@link And}); the parser gives a SEARCH command one key.
 */
public sealed interface SearchKey {
    /** {@code ALL}. */
    record All() implements SearchKey {}

    /** A list of keys, all of which must match: a parenthesized list or several keys at the top. */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }

    record Or(SearchKey left, SearchKey right) implements SearchKey {}

    record Not(SearchKey key) implements SearchKey {}

    /**
     * A flag set ({@code set}) or not. ANSWERED, DELETED, DRAFT, FLAGGED and SEEN are the system flags
     * ({@code \Answered} ...), their UN- forms have {@code set} false; KEYWORD and UNKEYWORD carry the keyword.
     */
    record Flag(String flag, boolean set) implements SearchKey {}

    /** RFC 3501 §6.4.4 {@code NEW}: RECENT and UNSEEN. */
    record New() implements SearchKey {}

    /** RFC 3501 §6.4.4 {@code OLD}: not RECENT. */
    record Old() implements SearchKey {}

    /** RFC 3501 §6.4.4 {@code RECENT}. */
    record Recent() implements SearchKey {}

    /** Substring match in an address or text field (RFC 9051 §6.4.4: case-insensitive substring). */
    record Text(TextField field, String value) implements SearchKey {}

    enum TextField { BCC, BODY, CC, FROM, SUBJECT, TEXT, TO }

    /** {@code HEADER field value}; an empty value matches every message with that field. */
    record Header(String field, String value) implements SearchKey {}

    /** BEFORE/ON/SINCE (internal date) and SENTBEFORE/SENTON/SENTSINCE (Date: header), dates without time. */
    record Date(DateField field, DateRelation relation, LocalDate date) implements SearchKey {}

    enum DateField { INTERNAL, SENT }

    enum DateRelation { BEFORE, ON, SINCE }

    /** {@code LARGER n}: RFC822.SIZE greater than n. */
    record Larger(long size) implements SearchKey {}

    /** {@code SMALLER n}: RFC822.SIZE less than n. */
    record Smaller(long size) implements SearchKey {}

    /** A bare sequence set (sequence numbers, or {@code $}). */
    record Sequence(SequenceSet set) implements SearchKey {}

    /** {@code UID set}. */
    record Uid(SequenceSet set) implements SearchKey {}

    /**
     * RFC 7162 §3.1.5 {@code MODSEQ ["/flags/\\Seen" priv|shared|all] n}: mod-sequence at least n. The entry is
     * a hint a server without per-flag mod-sequences may ignore.
     */
    record ModSeq(Optional<ModSeqEntry> entry, long modSeq) implements SearchKey {}

    record ModSeqEntry(String name, String type) {}
}
