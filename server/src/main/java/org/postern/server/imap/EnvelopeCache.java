package org.postern.server.imap;

import java.util.concurrent.ConcurrentHashMap;
import org.postern.server.store.MailboxId;
import org.postern.wire.imap.ImapWriter.Rendered;

/**
 * ENVELOPEs of recently fetched messages as the writer rendered them (the bytes of the parenthesized list), shared
 * by the sessions of this process. A client opening a folder asks for FETCH 1:* (FLAGS ENVELOPE) again and again
 * (each device, each reconnect); reading, decoding and then quoting the stored envelopes was most of that
 * command's server time, and a rendered one is one copy. Kept per UTF-8 mode, since a string that is quoted for
 * a UTF-8 session is a literal for an IMAP4rev1 one. An entry can never be stale: a stored message
 * never changes, a UID is never reused within a mailbox (RFC 9051 §2.3.1.1), and the key carries the mailbox id
 * (never reused, {@link MailboxId}) and its UIDVALIDITY as well.
 *
 * <p>Bounded by {@link #MAX_ENTRIES}: when full it is emptied and fills again, which is cheap and keeps the
 * memory bound without an LRU's bookkeeping on every hit.
 */
final class EnvelopeCache {
    /**
     * Most envelopes kept: a 10,000-message mailbox and then some, at a few hundred bytes each (~8 MB). A
     * process serving many large mailboxes keeps cycling through it, which costs no more than having no cache.
     */
    static final int MAX_ENTRIES = 20_000;

    private record Key(long mailbox, long uidValidity, long uid, boolean utf8) {}

    private final ConcurrentHashMap<Key, Rendered> envelopes = new ConcurrentHashMap<>();

    /** The cached envelope rendered for this UTF-8 mode, or null. */
    Rendered get(MailboxId box, long uidValidity, long uid, boolean utf8) {
        return envelopes.get(new Key(box.value(), uidValidity, uid, utf8));
    }

    void put(MailboxId box, long uidValidity, long uid, Rendered envelope) {
        if (envelopes.size() >= MAX_ENTRIES) envelopes.clear();
        envelopes.put(new Key(box.value(), uidValidity, uid, envelope.utf8()), envelope);
    }

    int size() {
        return envelopes.size();
    }
}
