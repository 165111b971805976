package org.postern.server.imap;

import java.util.concurrent.ConcurrentHashMap;
import org.postern.server.store.MailboxId;
import org.postern.wire.mime.Envelope;

/**
 * Decoded ENVELOPEs of recently fetched messages, shared by the sessions of this process. A client opening a
 * folder asks for FETCH 1:* (FLAGS ENVELOPE) again and again (each device, each reconnect); reading and decoding
 * the stored envelopes was most of that command's server time. An entry can never be stale: a stored message
 * never changes, a UID is never reused within a mailbox (RFC 9051 §2.3.1.1), and the key carries the mailbox id
 * (never reused, {@link MailboxId}) and its UIDVALIDITY as well.
 *
 * <p>Bounded by {@link #MAX_ENTRIES}: when full it is emptied and fills again, which is cheap and keeps the
 * memory bound without an LRU's bookkeeping on every hit.
 */
final class EnvelopeCache {
    /**
     * Most envelopes kept: a 10,000-message mailbox and then some, at a few hundred bytes each (a few MB). A
     * process serving many large mailboxes keeps cycling through it, which costs no more than having no cache.
     */
    static final int MAX_ENTRIES = 20_000;

    private record Key(long mailbox, long uidValidity, long uid) {}

    private final ConcurrentHashMap<Key, Envelope> envelopes = new ConcurrentHashMap<>();

    /** The cached envelope, or null. */
    Envelope get(MailboxId box, long uidValidity, long uid) {
        return envelopes.get(new Key(box.value(), uidValidity, uid));
    }

    void put(MailboxId box, long uidValidity, long uid, Envelope envelope) {
        if (envelopes.size() >= MAX_ENTRIES) envelopes.clear();
        envelopes.put(new Key(box.value(), uidValidity, uid), envelope);
    }

    int size() {
        return envelopes.size();
    }
}
