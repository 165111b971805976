package org.postern.server.imap;

import java.util.Set;
import org.postern.server.store.MailboxId;
import org.postern.server.store.ReadTx;
import org.postern.wire.imap.SearchKey;

/**
 * Evaluates IMAP SEARCH keys (RFC 9051 §6.4.4, RFC 3501 §6.4.4, RFC 7162 MODSEQ, RFC 5182 $) against the messages
 * of a session's view of the selected mailbox. Text keys are answered from the store's index.
 * (Work in progress on a helper branch: the signatures below are fixed.)
 */
public final class SearchEngine {
    private SearchEngine() {}

    /**
     * What a search needs from the session besides the store.
     *
     * @param viewUids   the UIDs of the session's view, in sequence-number order (message n is {@code viewUids[n-1]});
     *                   may include messages another session expunged that this one has not announced yet
     * @param savedUids  the RFC 5182 saved result ({@code $}), ascending; empty if none was saved
     * @param recentUids the messages that are \Recent in this session
     */
    public record Context(long[] viewUids, long[] savedUids, Set<Long> recentUids) {}

    /** The UIDs of the view's messages that match {@code key}, ascending. */
    public static long[] search(ReadTx tx, MailboxId box, SearchKey key, Context context) {
        throw new UnsupportedOperationException("SearchEngine: being built on a helper branch");
    }
}
