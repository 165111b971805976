package org.postern.server.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.postern.server.delivery.DeliveryAgent;
import org.postern.server.delivery.IncomingBody;
import org.postern.server.delivery.Recipient;
import org.postern.server.directory.Account;
import org.postern.server.store.Delivery;
import org.postern.server.smtp.SmtpState.Chunking;
import org.postern.server.smtp.SmtpState.Connected;
import org.postern.server.smtp.SmtpState.Greeted;
import org.postern.server.smtp.SmtpState.Mail;
import org.postern.server.smtp.SmtpState.Transaction;
import org.postern.wire.address.Path;
import org.postern.wire.io.DataReader;
import org.postern.wire.io.DataResult;
import org.postern.wire.io.MessageChecker;
import org.postern.wire.smtp.MailParams;
import org.postern.wire.smtp.SmtpCommand;
import org.postern.wire.smtp.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The mail transaction: MAIL, RCPT, DATA and BDAT (RFC 5321 §3.3, RFC 3030). */
final class MailCommands {
    private static final Logger log = LoggerFactory.getLogger(MailCommands.class);

    private final SmtpSession s;
    /**
     * The last BDAT failed. Chunks the client had already pipelined behind it are read and refused, but do not
     * count towards maxBadCommands: RFC 3030 §2 says the server must be prepared to accept and discard them.
     */
    private boolean chunkFailed;

    MailCommands(SmtpSession s) {
        this.s = s;
    }

    /** Any command but BDAT: chunks that follow it were not pipelined behind a failed one. */
    void otherCommand() {
        chunkFailed = false;
    }

    private DeliveryAgent delivery() {
        return s.server.delivery();
    }

    void mailFrom(SmtpCommand.MailFrom m) throws IOException {
        Greeted g = switch (s.state) {
            case Connected _ -> throw SmtpRefusal.error(503, "5.5.1", "send EHLO or HELO first");
            case Greeted gr -> gr;
            case Mail _ -> throw SmtpRefusal.error(503, "5.5.1", "nested MAIL command");
            case Chunking _ -> throw SmtpRefusal.error(503, "5.5.1", "nested MAIL command");
        };
        MailParams p = m.params();
        // RFC 6409 §4.3 / RFC 4954: submission requires authentication before MAIL
        if (s.kind.isSubmission() && g.user().isEmpty())
            throw SmtpRefusal.error(530, "5.7.0", "authentication required");
        // RFC 5321 §4.1.1.11 / RFC 1869: no service extension parameters after HELO
        if (!g.hello().extended() && p.any())
            throw SmtpRefusal.error(555, "5.5.4", "MAIL parameters need EHLO");
        if (p.body() == MailParams.Body.BINARY_MIME)
            throw SmtpRefusal.error(555, "5.5.4", "BODY=BINARYMIME not supported");
        if (p.size().isPresent() && p.size().getAsLong() > s.settings.maxMessageBytes())
            throw SmtpRefusal.plain(552, "5.3.4", "message size exceeds fixed maximum message size");   // RFC 1870 §6.1
        if (g.user().isPresent()) {
            // RFC 6409 §6.1: the submission server may refuse a sender the user is not allowed to use
            Account user = g.user().get();
            boolean own = m.path() instanceof Path.Mailbox box && s.server.services().directory().maySendAs(user, box.address().toString());
            if (!own) throw SmtpRefusal.error(553, "5.7.1", "sender address not allowed for " + user.address());
        }
        s.state = new Mail(g.hello(), g.user(), new Transaction(m.path(), p, List.of()));
        s.reply(SmtpReply.of(250, "2.1.0", "OK"));
    }

    void rcptTo(SmtpCommand.RcptTo r) throws IOException {
        Mail m = switch (s.state) {
            case Connected _ -> throw SmtpRefusal.error(503, "5.5.1", "send EHLO or HELO first");
            case Greeted _ -> throw SmtpRefusal.error(503, "5.5.1", "need MAIL before RCPT");
            case Mail mm -> mm;
            case Chunking _ -> throw SmtpRefusal.error(503, "5.5.1", "RCPT not allowed after BDAT");
        };
        // RFC 5321 §4.5.3.1.10: 452 for too many recipients; the client sends the rest in another transaction
        if (m.tx().recipients().size() >= s.settings.maxRecipients())
            throw SmtpRefusal.plain(452, "4.5.3", "too many recipients");
        Optional<Recipient> routed = switch (r.path()) {
            case Path.Mailbox box -> delivery().route(box.address());
            case Path.Postmaster _ -> delivery().routePostmaster();
            case Path.Null _ -> throw new IllegalStateException("parser let a null forward-path through");
        };
        if (routed.isEmpty()) throw SmtpRefusal.error(550, "5.1.1", "no such user here");
        // RFC 5321 §4.1.1.11: no extension parameters after HELO; RFC 3461 §4: DSN's are kept with the recipient
        if (!m.hello().extended() && r.params().any()) throw SmtpRefusal.error(555, "5.5.4", "RCPT parameters need EHLO");
        if (routed.get() instanceof Recipient.Remote remote) routed = Optional.of(new Recipient.Remote(remote.address(), r.params()));
        if (routed.get() instanceof Recipient.Local l && r.params().any())
            routed = Optional.of(new Recipient.Local(l.address(), l.accounts(), l.forwards(), r.params()));
        // RFC 5321 §4.3.2: 554 is not a RCPT reply; a policy refusal is 550 (§4.2.2), 5.7.1 (RFC 3463 §3.8)
        if (routed.get() instanceof Recipient.Remote && !s.mayRelay())
            throw SmtpRefusal.error(550, "5.7.1", "relay access denied");
        if (routed.get() instanceof Recipient.Local local && delivery().mailboxFull(local))
            throw SmtpRefusal.plain(452, "4.2.2", "mailbox full");   // RFC 3463 X.2.2; see DeliveryAgent.mailboxFull
        s.state = new Mail(m.hello(), m.user(), m.tx().with(routed.get()));
        s.reply(SmtpReply.of(250, "2.1.5", "OK"));
    }

    /** Returns false when the connection must close (we lost our place in the message). */
    boolean data() throws IOException {
        Mail m = switch (s.state) {
            case Connected _ -> throw SmtpRefusal.error(503, "5.5.1", "send EHLO or HELO first");
            case Greeted _ -> throw SmtpRefusal.error(503, "5.5.1", "need MAIL and RCPT before DATA");
            case Mail mm -> mm;
            case Chunking _ -> throw SmtpRefusal.error(503, "5.5.1", "DATA not allowed after BDAT");   // RFC 3030 §2
        };
        // RFC 5321 §3.3: 554 "no valid recipients" when every RCPT was refused
        if (m.tx().recipients().isEmpty()) throw SmtpRefusal.error(554, "5.5.1", "no valid recipients");
        try (IncomingBody body = delivery().begin()) {
            s.reply(SmtpReply.plain(354, "start mail input; end with <CRLF>.<CRLF>"));
            s.io.flush();
            s.io.timeout(s.settings.timeouts().dataBlock());
            DataResult result;
            try {
                result = DataReader.read(s.io.input(), body.out(), s.settings.maxMessageBytes(), SmtpLimits.MAX_TEXT_LINE);
            } catch (RuntimeException e) {
                return lostStep(e);
            }
            s.state = new Greeted(m.hello(), m.user());
            finish(m, body, result);
            return true;
        }
    }

    /** Returns false when the connection must close (a chunk we will not read). */
    boolean bdat(SmtpCommand.Bdat b) throws IOException {
        if (b.size() > s.settings.maxMessageBytes()) {
            // we would have to read and discard it all to stay in step: refuse and close instead
            resetToGreeted();
            s.reply(SmtpReply.of(552, "5.3.4", "chunk exceeds fixed maximum message size, closing"));
            return false;
        }
        s.io.timeout(s.settings.timeouts().dataBlock());
        boolean afterFailure = chunkFailed;
        chunkFailed = false;
        Chunking c;
        switch (s.state) {
            case Connected _ -> {
                discard(b.size());
                throw SmtpRefusal.error(503, "5.5.1", "send EHLO or HELO first");
            }
            case Greeted _ -> {
                discard(b.size());   // RFC 3030 §2: the chunk is read even when it is refused
                if (!afterFailure) throw SmtpRefusal.error(503, "5.5.1", "need MAIL and RCPT before BDAT");
                chunkFailed = true;
                throw SmtpRefusal.plain(503, "5.5.1", "transaction failed at an earlier BDAT");
            }
            case Mail m -> {
                if (m.tx().recipients().isEmpty()) {
                    discard(b.size());
                    chunkFailed = true;
                    if (afterFailure) throw SmtpRefusal.plain(554, "5.5.1", "no valid recipients");
                    throw SmtpRefusal.error(554, "5.5.1", "no valid recipients");
                }
                IncomingBody body;
                try {
                    body = delivery().begin();
                } catch (RuntimeException e) {
                    discard(b.size());
                    chunkFailed = true;
                    throw e;
                }
                c = new Chunking(m.hello(), m.user(), m.tx(), body,
                        new MessageChecker(body.out(), s.settings.maxMessageBytes(), SmtpLimits.MAX_TEXT_LINE));
                s.state = c;
            }
            case Chunking ch -> c = ch;
        }
        try {
            s.io.input().transfer(b.size(), c.checker());
        } catch (RuntimeException e) {
            return lostStep(e);
        }
        if (c.checker().failed()) {
            // the transaction is over (RFC 3030 §3: a failed chunk fails the message); later chunks get 503
            Mail m = new Mail(c.hello(), c.user(), c.tx());
            resetToGreeted();
            chunkFailed = true;
            finish(m, c.body(), c.checker().finish());
            return true;
        }
        if (!b.last()) {
            s.reply(SmtpReply.of(250, "2.0.0", b.size() + " octets received"));
            return true;
        }
        resetToGreeted();
        try (IncomingBody body = c.body()) {
            finish(new Mail(c.hello(), c.user(), c.tx()), body, c.checker().finish());
        }
        return true;
    }

    /**
     * A failure of ours (or the store's) while message bytes were still arriving: we no longer know where the
     * message ends, and must not take the rest of it as commands (that is how SMTP smuggling works). So no 451
     * and carry on, but 421 and a close (RFC 5321 §3.8); the partial body is discarded by whoever owns it.
     */
    private boolean lostStep(RuntimeException e) throws IOException {
        log.warn("conn={} internal error while receiving a message, closing", s.conn.id(), e);
        s.reply(SmtpReply.of(421, "4.3.0", s.settings.hostname() + " internal error, closing"));
        return false;
    }

    private void discard(long n) throws IOException {
        s.io.input().transfer(n, OutputStream.nullOutputStream());
    }

    private void resetToGreeted() {
        if (s.state instanceof Chunking c) s.state = new Greeted(c.hello(), c.user());
        else if (s.state instanceof Mail m) s.state = new Greeted(m.hello(), m.user());
    }

    /** The end of a message: refuse it, or commit it and only then say 250. */
    private void finish(Mail m, IncomingBody body, DataResult result) throws IOException {
        switch (result) {
            case DataResult.TooLarge _ -> {
                body.close();
                s.reply(SmtpReply.of(552, "5.3.4", "message size exceeds fixed maximum message size"));
            }
            case DataResult.BareLineEnding _ -> {
                body.close();
                // RFC 5321 §2.3.8: CR and LF only as CRLF; a bare one is how SMTP smuggling works
                s.reply(SmtpReply.of(550, "5.6.0", "message contains a bare CR or LF; lines must end with CRLF"));
            }
            case DataResult.LineTooLong l -> {
                body.close();
                s.reply(SmtpReply.of(550, "5.6.0", "message has a line longer than " + l.limit() + " bytes"));
            }
            case DataResult.Complete _ -> deliver(m, body);
        }
    }

    private void deliver(Mail m, IncomingBody body) throws IOException {
        Instant start = Instant.now();
        boolean utf8 = m.tx().params().smtpUtf8();
        DeliveryAgent.Trace trace = new DeliveryAgent.Trace(m.hello().domain(), s.conn.remote().getAddress(),
                s.protocol(utf8), s.kind.isSubmission());
        DeliveryAgent.Accepted a;
        try {
            MailParams p = m.tx().params();
            // the stored MIME structure has no 8-bit marker: BODY= is what tells the relay (RFC 6152)
            Delivery.Options options = new Delivery.Options(p.ret(), p.envelopeId(),
                    p.body() != MailParams.Body.SEVEN_BIT, p.smtpUtf8());
            a = delivery().deliver(new DeliveryAgent.Envelope(m.tx().from(), m.tx().recipients(), options), trace, body.commit());
        } catch (RuntimeException e) {
            log.warn("conn={} delivery failed, message from {} not accepted", s.conn.id(), m.tx().from(), e);
            s.reply(SmtpReply.of(451, "4.3.0", "internal error, message not accepted, try again later"));
            return;
        }
        Duration took = Duration.between(start, Instant.now());
        if (took.compareTo(SmtpLimits.DATA_TERMINATION_TIMEOUT.dividedBy(2)) > 0)
            log.warn("conn={} delivery took {} ms, close to the client's {} timeout", s.conn.id(), took.toMillis(), SmtpLimits.DATA_TERMINATION_TIMEOUT);
        log.info("conn={} accepted id={} from={} rcpts={} size={} local={} remote={} user={} in {} ms", s.conn.id(), a.id(),
                m.tx().from(), m.tx().recipients().size(), a.size(), a.localAccounts(), a.remoteRecipients(),
                m.user().map(Account::address).orElse("-"), took.toMillis());
        s.reply(SmtpReply.of(250, "2.0.0", "OK queued as " + a.id()));
    }
}
