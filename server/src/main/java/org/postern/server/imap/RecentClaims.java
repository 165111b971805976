package org.postern.server.imap;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.postern.server.store.MailboxId;

/**
 * RFC 3501 §2.3.2 \Recent: "This session is the first session to have been notified about this message." Per
 * mailbox, the highest UID some session has claimed; a session that learns of higher UIDs (SELECT, or new mail
 * announced while selected) claims them, and they are \Recent in that session only.
 *
 * <p>Kept in memory, for this process: the first time a mailbox is seen after a start, its messages count as
 * already claimed (nothing is \Recent until new mail arrives). IMAP4rev2 dropped \Recent (RFC 9051 Appendix E);
 * this keeps IMAP4rev1 clients that show "new" mail by it working without writing to the store on every SELECT.
 */
final class RecentClaims {
    private final ConcurrentHashMap<MailboxId, Long> claimedUpTo = new ConcurrentHashMap<>();

    /**
     * Claims the UIDs of {@code ascendingUids} above the mailbox's claim and returns them (ascending). On the
     * mailbox's first sight none is claimed: they all count as old.
     */
    long[] claim(MailboxId box, long[] ascendingUids) {
        long highest = ascendingUids.length == 0 ? 0 : ascendingUids[ascendingUids.length - 1];
        long[] before = new long[1];
        claimedUpTo.compute(box, (b, prev) -> {
            before[0] = prev == null ? Long.MAX_VALUE : prev;
            return prev == null ? highest : Math.max(prev, highest);
        });
        int from = Arrays.binarySearch(ascendingUids, before[0] == Long.MAX_VALUE ? Long.MAX_VALUE : before[0] + 1);
        if (from < 0) from = -from - 1;
        return Arrays.copyOfRange(ascendingUids, from, ascendingUids.length);
    }

    /**
     * How many of the mailbox's messages nobody has claimed yet (STATUS RECENT, EXAMINE's RECENT): 0 on first
     * sight, without asking for the UIDs then.
     */
    int unclaimed(MailboxId box, java.util.function.Supplier<long[]> ascendingUidsOfBox) {
        Long prev = claimedUpTo.get(box);
        if (prev == null) return 0;
        long[] ascendingUids = ascendingUidsOfBox.get();
        int from = Arrays.binarySearch(ascendingUids, prev + 1);
        if (from < 0) from = -from - 1;
        return ascendingUids.length - from;
    }
}
