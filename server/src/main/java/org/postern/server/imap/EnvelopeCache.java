package org.postern.server.imap;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentHashMap;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.NewMail;
import org.postern.wire.imap.ImapStructures;
import org.postern.wire.imap.ImapWriter;
import org.postern.wire.imap.ImapWriter.Rendered;
import org.postern.wire.mime.Envelope;
import org.postern.wire.mime.MessageStructure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ENVELOPEs as the writer rendered them (the bytes of the parenthesized list), shared by the sessions of this
 * process. A client opening a folder asks for FETCH 1:* (FLAGS ENVELOPE) again and again (each device, each
 * reconnect), and a client told of new mail fetches its envelope next; reading, decoding and then quoting the
 * stored envelopes was most of that command's server time, and a rendered one is one copy. Filled when a message
 * arrives ({@link #added}: SMTP delivery and APPEND) and by every FETCH of an envelope it did not hold.
 *
 * <p>A 7-bit rendering serves sessions in both UTF-8 modes ({@link Rendered#ascii}), so most messages take one
 * entry; one with 8-bit header values is kept per mode, since a string quoted for a UTF-8 session is a literal for
 * an IMAP4rev1 one. An entry can never be stale: a stored message never changes, a UID is never reused within a
 * mailbox (RFC 9051 §2.3.1.1), a mailbox id is never reused ({@link MailboxId}), and a mailbox's UIDVALIDITY is
 * fixed when it is created, so (mailbox id, uid) names one message forever.
 *
 * <p>Bounded by {@link #MAX_ENTRIES}: when full it is emptied and fills again, which is cheap and keeps the
 * memory bound without an LRU's bookkeeping on every hit.
 */
public final class EnvelopeCache implements NewMail {
    private static final Logger log = LoggerFactory.getLogger(EnvelopeCache.class);

    /**
     * Most envelopes kept: two 10,000-message mailboxes, at a few hundred bytes each (~8 MB). A process serving
     * many large mailboxes keeps cycling through it, which costs no more than having no cache.
     */
    static final int MAX_ENTRIES = 20_000;

    /** For which sessions a rendering is: either mode (7-bit), IMAP4rev1 only, UTF-8 only. */
    private enum Mode { ANY, REV1, UTF8 }

    private record Key(long mailbox, long uid, Mode mode) {}

    private final ConcurrentHashMap<Key, Rendered> envelopes = new ConcurrentHashMap<>();
    /**
     * Renders new messages' envelopes ({@link #added}), in IMAP4rev1 mode; one for all delivering threads (its lock
     * serializes them for the microseconds a rendering takes), so a delivery does not allocate a writer's buffer.
     */
    private final ImapWriter renderer = new ImapWriter(OutputStream.nullOutputStream());

    /** The cached envelope that a session in this UTF-8 mode may write, or null. */
    Rendered get(MailboxId box, long uid, boolean utf8) {
        Rendered r = envelopes.get(new Key(box.value(), uid, Mode.ANY));
        return r != null ? r : envelopes.get(new Key(box.value(), uid, utf8 ? Mode.UTF8 : Mode.REV1));
    }

    void put(MailboxId box, long uid, Rendered envelope) {
        if (envelopes.size() >= MAX_ENTRIES) envelopes.clear();
        Mode mode = envelope.ascii() ? Mode.ANY : envelope.utf8() ? Mode.UTF8 : Mode.REV1;
        envelopes.put(new Key(box.value(), uid, mode), envelope);
    }

    /**
     * A new message: its envelope rendered now, as an IMAP4rev1 session writes it (7-bit header values, almost all
     * mail, then serve UTF-8 sessions too), so the first FETCH of it copies bytes.
     */
    @Override
    public void added(MessageMeta message, MessageStructure structure) {
        // called after the message's commit and before the client hears of it (SMTP 250, APPEND OK): nothing may
        // escape from here, or a stored message would be answered as failed and sent again; a FETCH renders it anyway
        try {
            Rendered r = render(renderer, structure.envelope());
            if (r != null) put(message.mailbox(), message.uid(), r);
        } catch (IOException | RuntimeException e) {
            log.warn("rendering the envelope of new message {} in mailbox {} failed; FETCH will render it: {}",
                    message.uid(), message.mailbox().value(), e.toString());
        }
    }

    /**
     * {@code envelope} as {@code renderer} (a writer into nothing, in the session's UTF-8 mode) renders it, or null
     * when the writer could not keep it (it crossed a buffer flush).
     */
    static Rendered render(ImapWriter renderer, Envelope envelope) throws IOException {
        Rendered[] kept = {null};
        renderer.untagged(r -> kept[0] = r.capture(e -> ImapStructures.envelope(e, envelope)).orElse(null));
        return kept[0];
    }

    int size() {
        return envelopes.size();
    }
}
