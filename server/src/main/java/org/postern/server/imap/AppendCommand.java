package org.postern.server.imap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import org.postern.server.store.BlobStore;
import org.postern.server.store.Flags;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.NewMessage;
import org.postern.server.store.StoreException;
import org.postern.wire.imap.ImapCommand;
import org.postern.wire.imap.ImapParser;
import org.postern.wire.imap.ImapSyntaxException;
import org.postern.wire.imap.ImapWriter.Condition;
import org.postern.wire.imap.ResponseCode;
import org.postern.wire.mime.MessageParser;
import org.postern.wire.mime.ParsedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * APPEND (RFC 9051 §6.3.12) with RFC 4315 APPENDUID, RFC 7889 APPENDLIMIT and RFC 3516 / RFC 6855 literal8
 * forms. The message literal streams from the socket into a pending blob (never whole in memory), is parsed from
 * the blob once, as the SMTP delivery agent does, and is appended in one store write.
 *
 * <p>Refusals that can be known before the message is sent (an invalid or missing mailbox, a message over the
 * limit) are answered without {@code + Ready}, so the client never sends the bytes; a non-synchronizing literal
 * (RFC 7888) is read and dropped first, or, when it is over the limit, the connection is closed with BYE since
 * reading gigabytes to stay in step is not an option.
 *
 * <p>A deliberate deviation: RFC 6855 §4 (and RFC 9755 §4, which replaces it) says a UTF8=ACCEPT server MUST
 * refuse an IMAP4rev1 APPEND with 8-bit header bytes when the client has not enabled UTF8=ACCEPT. We accept it, as
 * Dovecot does: legacy IMAP4rev1 clients and sync tools that never enable UTF8=ACCEPT upload old mail with raw 8-bit
 * headers, and refusing it would lose the user's mail on their next sync. What such a session is sent back is
 * still RFC 3501 clean: an 8-bit header value goes out as a literal, never as a quoted string ({@link EnvelopeCache}).
 */
final class AppendCommand {
    private static final Logger log = LoggerFactory.getLogger(AppendCommand.class);
    /** Fewer, larger writes to the blob file. */
    private static final int WRITE_BUFFER = 64 * 1024;

    private final ImapSession s;

    AppendCommand(ImapSession s) {
        this.s = s;
    }

    /** The reply, or null when the connection is to be closed (BYE sent). */
    Reply append(ImapCommand.Append a) throws IOException {
        long max = s.settings.maxMessageSize();
        if (a.size() > max && !a.synchronizing()) {
            s.out.bye(ResponseCode.TOOBIG, "message larger than the APPENDLIMIT of " + max + " bytes, closing");
            return null;
        }
        Optional<Reply> refusal = Optional.empty();
        MailboxName name = null;
        try {
            name = MailboxNames.fromClient(a.mailbox(), s.utf8());
        } catch (MailboxNames.InvalidNameException e) {
            refusal = Optional.of(Reply.no(e.getMessage()));
        }
        if (refusal.isEmpty() && a.size() > max) {
            refusal = Optional.of(new Reply(Condition.NO, Optional.of(ResponseCode.TOOBIG),
                    "message larger than the APPENDLIMIT of " + max + " bytes"));
        }
        java.util.OptionalLong quota = s.quota();
        if (refusal.isEmpty()) {
            MailboxName target = name;
            refusal = s.store().read(s.account().id(), tx -> {
                if (tx.mailbox(target).isEmpty()) return Optional.of(tryCreate());
                try {
                    Quota.check(tx, quota, a.size());   // before the bytes are sent, when we can
                } catch (ImapNo over) {
                    return Optional.of(new Reply(Condition.NO, over.code(), over.getMessage()));
                }
                return Optional.<Reply>empty();
            });
        }
        s.io.timeout(s.settings.autologout());   // a large message may take a while: the deadline grows with the bytes
        if (refusal.isPresent()) {
            if (!a.synchronizing()) {
                s.in.transfer(a.size(), OutputStream.nullOutputStream());
                s.in.readLine();
            }
            return refusal.get();
        }
        if (a.synchronizing()) s.out.continuation("Ready");
        BlobStore.Stored stored = receive(a);
        if (stored == null) return new Reply(Condition.NO, Optional.of(ResponseCode.SERVERBUG), "could not store the message, try again later");
        try {
            return store(a, name, stored, quota);
        } catch (RuntimeException | IOException e) {
            deleteQuietly(stored);
            throw e;
        }
    }

    private static Reply tryCreate() {
        // RFC 9051 §6.3.12: TRYCREATE when the target does not exist but could be created
        return new Reply(Condition.NO, Optional.of(ResponseCode.TRYCREATE), "no such mailbox");
    }

    /**
     * Reads the literal into a pending blob and checks the rest of the line. A failing blob write does not stop
     * the read (the client keeps sending): the error is kept and the rest dropped; null then.
     */
    private BlobStore.Stored receive(ImapCommand.Append a) throws IOException {
        try (BlobStore.Pending pending = s.store().blobs().begin()) {
            Guarded guarded = new Guarded(new BufferedOutputStream(pending.out(), WRITE_BUFFER));
            s.in.transfer(a.size(), guarded);
            byte[] rest = s.in.readLine();
            try {
                ImapParser.finishAppend(a, rest);
            } catch (ImapSyntaxException e) {
                throw ImapNo.bad(e.getMessage());   // nothing kept: the pending blob is discarded
            }
            if (guarded.failure != null) {
                log.warn("conn={} APPEND: writing the message failed: {}", s.conn.id(), guarded.failure.toString());
                return null;
            }
            try {
                guarded.out.flush();
                return pending.commit();
            } catch (IOException e) {
                log.warn("conn={} APPEND: storing the message failed: {}", s.conn.id(), e.toString());
                return null;
            }
        }
    }

    private Reply store(ImapCommand.Append a, MailboxName name, BlobStore.Stored stored, java.util.OptionalLong quota)
            throws IOException {
        ParsedMessage parsed;
        try (InputStream in = s.store().blobs().open(stored.ref())) {
            parsed = MessageParser.parse(in);   // once, like delivery: FETCH never re-parses
        }
        HashSet<String> names = new HashSet<>();
        for (String f : a.flags()) if (!f.equalsIgnoreCase(Flags.RECENT)) names.add(f);   // RFC 3501 §2.3.2
        Instant date = a.internalDate().map(d -> d.toInstant()).orElseGet(Instant::now);
        NewMessage message = NewMessage.of(stored.ref(), new byte[0], new Flags(names), date, parsed);
        record Appended(long uidValidity, MessageMeta meta) {}
        Appended done = s.store().write(s.account().id(), tx -> {
            Mailbox box = tx.mailbox(name).orElse(null);
            if (box == null) return null;   // deleted since the check
            Quota.check(tx, quota, message.size());   // again, in the transaction: another session may have added mail
            return new Appended(box.uidValidity(), tx.append(box.id(), message));
        });
        if (done == null) {
            deleteQuietly(stored);
            return tryCreate();
        }
        s.server.envelopes().added(done.meta(), parsed.structure());   // the next FETCH of it copies bytes
        return Reply.ok(ResponseCode.appendUid(done.uidValidity(), done.meta().uid()), "APPEND completed");
    }

    private void deleteQuietly(BlobStore.Stored stored) {
        try {
            s.store().blobs().delete(stored.ref());
        } catch (IOException | StoreException e) {
            log.warn("conn={} could not delete the blob of a failed APPEND: {}", s.conn.id(), e.toString());
        }
    }

    /** Passes bytes on until a write fails; then keeps the error and drops the rest. */
    private static final class Guarded extends OutputStream {
        final OutputStream out;
        IOException failure;

        Guarded(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (failure != null) return;
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
            }
        }
    }
}
