package org.postern.server.imap;

import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.postern.server.directory.Account;
import org.postern.server.imap.ImapState.Authenticated;
import org.postern.server.imap.ImapState.NotAuthenticated;
import org.postern.server.imap.ImapState.Selected;
import org.postern.server.net.Connection;
import org.postern.server.net.Delays;
import org.postern.server.net.SessionIo;
import org.postern.server.store.MailStore;
import org.postern.server.store.StoreException;
import org.postern.server.store.Subscription;
import org.postern.wire.imap.ImapCommand;
import org.postern.wire.imap.ImapCommand.*;
import org.postern.wire.imap.ImapParser;
import org.postern.wire.imap.ImapSyntaxException;
import org.postern.wire.imap.ImapWriter;
import org.postern.wire.imap.ImapWriter.Condition;
import org.postern.wire.imap.ResponseCode;
import org.postern.wire.io.LineTooLongException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection: the loop, the state (RFC 9051 §3) and the dispatcher. The commands themselves live in
 * small groups ({@link AuthCommands}, {@link MailboxCommands}, {@link AppendCommand}, {@link SelectCommands},
 * {@link MessageCommands}, {@link SearchCommand}, {@link IdleCommand}); the dispatcher is one exhaustive switch
 * over {@link ImapCommand}, so a new command without a handler does not compile.
 *
 * <ul>
 * <li>Every response goes through one {@link ImapWriter}; handlers return their tagged {@link Reply} and the
 *     dispatcher sends the selected mailbox's pending updates (EXISTS, EXPUNGE/VANISHED, FETCH FLAGS) before it,
 *     never an EXPUNGE after FETCH, STORE or SEARCH by sequence number (RFC 9051 §7.5.1).</li>
 * <li>Responses are buffered and reach the socket when the input runs dry (the writer's per-response flush is
 *     absorbed here), so a FETCH of 10,000 messages is a few large writes, not 10,000 small ones.</li>
 * <li>Errors: a syntax error or a command in the wrong state is answered BAD and counted; one past
 *     {@code maxBadCommands} in a row ends the connection with BYE. Expected refusals are {@link ImapNo}. Runtime
 *     failures (ours, the store's) are logged with their stack and answered {@code NO [SERVERBUG]}: no exception
 *     text reaches the client. An over-long line or a non-synchronizing literal over its limit gets BYE and a
 *     close, since the stream cannot be resynchronised.</li>
 * </ul>
 */
final class ImapSession {
    private static final Logger log = LoggerFactory.getLogger(ImapSession.class);
    /** The first byte of a TLS record carrying a handshake (a ClientHello on the plaintext port). */
    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    /** SessionIo's line limit, for its line reader that IMAP does not use (see {@link ImapInput}). */
    private static final int UNUSED_LINE_LIMIT = 64;

    /** What a client turned on with ENABLE (RFC 5161) or, for CONDSTORE, with a CONDSTORE-enabling command. */
    enum Extension { IMAP4REV2, UTF8_ACCEPT, CONDSTORE, QRESYNC }

    final ImapServer server;
    final ImapSettings settings;
    final Connection conn;
    SessionIo io;
    ImapWriter out;
    ImapInput in;
    /** Read by the store's subscriber thread to find the view to wake. */
    volatile ImapState state = new NotAuthenticated();
    final Set<Extension> enabled = EnumSet.noneOf(Extension.class);
    /** RFC 5182: the UIDs saved by the last SEARCH RETURN (SAVE), ascending. */
    long[] savedUids = new long[0];
    private Subscription subscription;
    /** BAD answers in a row (reset by any command that is not BAD). */
    private int badCommands;
    int authFailures;

    private final AuthCommands auth = new AuthCommands(this);
    private final MailboxCommands mailboxes = new MailboxCommands(this);
    private final SelectCommands select = new SelectCommands(this);
    private final MessageCommands messages = new MessageCommands(this);
    private final SearchCommand search = new SearchCommand(this);

    ImapSession(ImapServer server, Connection conn) {
        this.server = server;
        this.settings = server.settings();
        this.conn = conn;
    }

    void run() throws IOException {
        log.debug("conn={} imap connect from {}", conn.id(), conn.remote());
        try {
            // SessionIo's own line reader is not used (ImapInput reads lines with the state's limit): its buffer is kept small
            io = new SessionIo(conn.socket(), UNUSED_LINE_LIMIT, settings.writeTimeout());
            out = new ImapWriter(unflushed());
            in = new ImapInput(io, out);
            loop();
        } catch (LineTooLongException e) {
            lastWords("line longer than " + e.limit() + " bytes, closing");
        } catch (SocketTimeoutException e) {
            lastWords("autologout: idle for too long");
            log.debug("conn={} autologout", conn.id());
        } catch (EOFException e) {
            log.debug("conn={} client went away: {}", conn.id(), e.getMessage());
        } finally {
            if (subscription != null) subscription.close();
            if (io != null) io.flushQuietly();
            if (io != null && io.socket() != conn.socket()) {
                try {
                    io.socket().close();   // the STARTTLS socket; the listener closes the raw one
                } catch (IOException ignored) {
                    // closing is best effort
                }
            }
        }
    }

    /**
     * The writer's stream: bytes go to the session's buffered output, but the writer's flush after each
     * response is dropped; the buffer is flushed when the input would block (SessionIo), by IDLE's pusher, and
     * at the end. Always the current output, so it survives STARTTLS.
     */
    private OutputStream unflushed() {
        return new FilterOutputStream(OutputStream.nullOutputStream()) {
            @Override
            public void write(int b) throws IOException {
                io.output().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                io.output().write(b, off, len);
            }

            @Override
            public void flush() {
                // see above: flushed by the session
            }
        };
    }

    private void lastWords(String text) {
        try {
            if (out != null) out.bye(text);
        } catch (IOException | RuntimeException ignored) {
            // the connection is ending anyway
        }
    }

    private void loop() throws IOException {
        out.untagged(Condition.OK, ResponseCode.capability(auth.capabilities()), "Postern IMAP server ready");
        for (int commands = 0; ; commands++) {
            io.timeout(state instanceof NotAuthenticated ? settings.loginTimeout() : settings.autologout());
            if (commands == 0 && io.input().peek() == TLS_HANDSHAKE_RECORD) {
                log.debug("conn={} TLS handshake on the plaintext port: closing", conn.id());
                return;
            }
            out.release();   // waiting for the client: no response buffer meanwhile (1,000 idle connections)
            ImapCommand cmd;
            try {
                cmd = ImapParser.parse(in, in.authenticated());
            } catch (ImapSyntaxException e) {
                if (e.closeConnection()) {
                    out.bye(ResponseCode.of(e.responseCode().orElse("ALERT")), e.getMessage() + ", closing");
                    return;
                }
                if (commands == 0 && e.tag().isEmpty()) {
                    out.bye("this is an IMAP server, closing");   // mox: an HTTP or SMTP client, say
                    return;
                }
                Delays.pause(settings.delays().badCommand());
                if (!bad(e.tag(), e.responseCode().map(ResponseCode::of), e.getMessage())) return;
                continue;
            }
            if (!execute(cmd)) return;
        }
    }

    /** Which state a command needs (RFC 9051 §6.1-§6.4). */
    private enum Requires {
        ANY, NOT_AUTHENTICATED, AUTHENTICATED, SELECTED;

        boolean allows(ImapState s) {
            return switch (this) {
                case ANY -> true;
                case NOT_AUTHENTICATED -> s instanceof NotAuthenticated;
                case AUTHENTICATED -> !(s instanceof NotAuthenticated);
                case SELECTED -> s instanceof Selected;
            };
        }
    }

    private static Requires requires(ImapCommand c) {
        return switch (c) {
            case Capability _, Noop _, Logout _, Id _ -> Requires.ANY;
            case StartTls _, Authenticate _, Login _ -> Requires.NOT_AUTHENTICATED;
            case Enable _, Select _, Create _, Delete _, Rename _, Subscribe _, Unsubscribe _, ImapCommand.List _,
                 Lsub _, Namespace _, Status _, Append _, Idle _, GetQuota _, GetQuotaRoot _, SetQuota _ -> Requires.AUTHENTICATED;
            case Check _, Close _, Unselect _, Expunge _, UidExpunge _, Search _, Fetch _, Store _, Copy _, Move _ -> Requires.SELECTED;
        };
    }

    /**
     * RFC 9051 §7.5.1: no EXPUNGE "while responding to a FETCH, STORE, or SEARCH command" (the UID forms may
     * have them: UIDs do not shift).
     */
    private static boolean expungeAllowedAfter(ImapCommand c) {
        return switch (c) {
            case Fetch f -> f.uid();
            case Store s -> s.uid();
            case Search s -> s.uid();
            default -> true;
        };
    }

    /** Runs one command; false when the connection is to be closed. */
    private boolean execute(ImapCommand cmd) throws IOException {
        if (!requires(cmd).allows(state)) {
            if (cmd instanceof Append a) return discardAppend(a, "not allowed in this state");
            String why = switch (requires(cmd)) {
                case NOT_AUTHENTICATED -> "already logged in";
                case AUTHENTICATED -> "log in first";
                case SELECTED -> state instanceof NotAuthenticated ? "log in first" : "select a mailbox first";
                case ANY -> throw new IllegalStateException();
            };
            return bad(Optional.of(cmd.tag()), Optional.empty(), why);
        }
        if (cmd instanceof StartTls) return startTls(cmd.tag());
        if (cmd instanceof Logout) {
            out.bye("logging out");
            out.tagged(cmd.tag(), Condition.OK, "LOGOUT completed");
            return false;
        }
        Reply reply;
        try {
            reply = switch (cmd) {
                case Capability _ -> auth.capability();
                case Noop _, Check _ -> Reply.ok("done");
                case Logout _, StartTls _ -> throw new IllegalStateException("handled above");
                case Id i -> auth.id(i);
                case Login l -> auth.login(l);
                case Authenticate a -> auth.authenticate(a);
                case Enable e -> auth.enable(e);
                case Namespace _ -> auth.namespace();
                case Select s -> select.select(s);
                case Create c -> mailboxes.create(c);
                case Delete d -> mailboxes.delete(d);
                case Rename r -> mailboxes.rename(r);
                case Subscribe s -> mailboxes.subscribe(s.mailbox(), true);
                case Unsubscribe u -> mailboxes.subscribe(u.mailbox(), false);
                case ImapCommand.List l -> mailboxes.list(l);
                case Lsub l -> mailboxes.lsub(l);
                case Status s -> mailboxes.status(s);
                case Append a -> new AppendCommand(this).append(a);   // null: BYE sent, close
                case Idle i -> new IdleCommand(this).idle(i);
                case GetQuota q -> mailboxes.getQuota(q);
                case GetQuotaRoot q -> mailboxes.getQuotaRoot(q);
                case SetQuota q -> mailboxes.setQuota(q);
                case Close _ -> select.close(true);
                case Unselect _ -> select.close(false);
                case Expunge _ -> messages.expunge(Optional.empty());
                case UidExpunge e -> messages.expunge(Optional.of(e.set()));
                case Search s -> search.search(s);
                case Fetch f -> messages.fetch(f);
                case Store s -> messages.store(s);
                case Copy c -> messages.copy(c.uid(), c.set(), c.mailbox(), false);
                case Move m -> messages.copy(m.uid(), m.set(), m.mailbox(), true);
            };
        } catch (ImapNo no) {
            if (no.isBad()) {
                if (!announce(cmd)) return false;   // BYE sent: the mailbox is gone, nothing follows it
                return bad(Optional.of(cmd.tag()), no.code(), no.getMessage());
            }
            reply = new Reply(Condition.NO, no.code(), no.getMessage());
        } catch (MailboxNames.InvalidNameException e) {
            reply = Reply.no(e.getMessage());
        } catch (SelectedView.MailboxGoneException e) {
            out.bye("the selected mailbox was deleted by another session, closing");
            return false;
        } catch (FetchSections.UnknownCteException e) {
            reply = new Reply(Condition.NO, Optional.of(ResponseCode.UNKNOWN_CTE), e.getMessage());
        } catch (StoreException | IllegalStateException e) {
            log.warn("conn={} store failure in {}", conn.id(), cmd.getClass().getSimpleName(), e);
            reply = new Reply(Condition.NO, Optional.of(ResponseCode.SERVERBUG), "temporary server failure, try again later");
        } catch (RuntimeException e) {
            log.warn("conn={} internal error in {}", conn.id(), cmd.getClass().getSimpleName(), e);
            reply = new Reply(Condition.NO, Optional.of(ResponseCode.SERVERBUG), "internal error, try again later");
        }
        if (reply == null) return false;
        if (!announce(cmd)) return false;
        if (reply.condition() == Condition.BAD) return bad(Optional.of(cmd.tag()), reply.code(), reply.text());
        tagged(cmd.tag(), reply);
        badCommands = 0;   // the limit is on BADs in a row, as Dovecot's: a client that recovers is not punished
        if (authFailures > settings.maxAuthFailures()) {
            out.bye("too many failed logins, closing");
            return false;
        }
        return true;
    }

    /** Sends the selected mailbox's pending updates; false if the mailbox went away (BYE sent). */
    private boolean announce(ImapCommand cmd) throws IOException {
        if (!(state instanceof Selected s)) return true;
        try {
            s.view().announce(expungeAllowedAfter(cmd));
            return true;
        } catch (SelectedView.MailboxGoneException e) {
            out.bye("the selected mailbox was deleted by another session, closing");
            return false;
        }
    }

    void tagged(String tag, Reply r) throws IOException {
        if (r.code().isPresent()) out.tagged(tag, r.condition(), r.code().get(), r.text());
        else out.tagged(tag, r.condition(), r.text());
    }

    /** A BAD answer, counted; false (and BYE) when it is one too many in a row. */
    private boolean bad(Optional<String> tag, Optional<ResponseCode> code, String text) throws IOException {
        if (++badCommands > settings.maxBadCommands()) {
            out.bye("too many bad commands, closing");
            log.info("conn={} from {}: too many bad commands, closing", conn.id(), conn.remote().getAddress().getHostAddress());
            return false;
        }
        if (tag.isPresent()) tagged(tag.get(), new Reply(Condition.BAD, code, text));
        else if (code.isPresent()) out.untagged(Condition.BAD, code.get(), text);
        else out.untagged(Condition.BAD, text);
        return true;
    }

    /**
     * An APPEND refused by the state check: the client may be sending its message already (a
     * non-synchronizing literal), so read and drop it first (or close when it is over the size limit).
     */
    private boolean discardAppend(Append a, String why) throws IOException {
        if (!a.synchronizing()) {
            if (a.size() > settings.maxMessageSize()) {
                out.bye(ResponseCode.TOOBIG, "message larger than " + settings.maxMessageSize() + " bytes, closing");
                return false;
            }
            io.timeout(settings.autologout());
            in.transfer(a.size(), OutputStream.nullOutputStream());
            in.readLine();
        }
        return bad(Optional.of(a.tag()), Optional.empty(), why);
    }

    /**
     * RFC 9051 §6.2.1: STARTTLS; afterwards the client must ask for CAPABILITY again, and whatever it sent behind
     * the command in plaintext is discarded (§6.2.1: "the server MUST discard any buffered input"). False when
     * the handshake failed: the connection is closed without a reply, since the client is no longer reading
     * plaintext.
     */
    private boolean startTls(String tag) throws IOException {
        Optional<SSLContext> tls = server.services().tls();
        if (tls.isEmpty() || io.isTls()) {
            tagged(tag, Reply.no(tls.isEmpty() ? "STARTTLS is not available" : "TLS is already active"));
            return true;
        }
        out.tagged(tag, Condition.OK, "begin TLS negotiation now");
        io.flush();
        Duration limit = settings.loginTimeout().compareTo(ImapServerLimits.TLS_HANDSHAKE_TIMEOUT) < 0
                ? settings.loginTimeout() : ImapServerLimits.TLS_HANDSHAKE_TIMEOUT;
        try {
            int dropped = io.startTls(tls.get(), limit);
            if (dropped > 0) log.info("conn={} discarded {} bytes sent in plaintext behind STARTTLS", conn.id(), dropped);
        } catch (IOException e) {
            log.debug("conn={} STARTTLS handshake failed: {}", conn.id(), e.toString());
            return false;
        }
        return true;
    }

    // --- what the command groups share ---

    MailStore store() {
        return server.services().store();
    }

    Account account() {
        return switch (state) {
            case Authenticated a -> a.account();
            case Selected s -> s.account();
            case NotAuthenticated _ -> throw new IllegalStateException("not logged in");
        };
    }

    /** The selected mailbox's view (the dispatcher has checked the state). */
    SelectedView view() {
        if (state instanceof Selected s) return s.view();
        throw new IllegalStateException("no mailbox selected");
    }

    boolean loginAllowed() {
        return io.isTls() || settings.allowPlaintextAuth();
    }

    /** Mailbox names and strings in UTF-8 (RFC 9051 §5.1, RFC 6855 §3) rather than modified UTF-7. */
    boolean utf8() {
        return out.utf8();
    }

    boolean rev2() {
        return enabled.contains(Extension.IMAP4REV2);
    }

    boolean condstore() {
        return enabled.contains(Extension.CONDSTORE);
    }

    boolean qresync() {
        return enabled.contains(Extension.QRESYNC);
    }

    /** The account's storage quota in octets (RFC 9208), read from the directory each time: the operator may change it. */
    java.util.OptionalLong quota() {
        return server.services().directory().quota(account().id());
    }

    /** After a successful login: the state, the larger limits, and the account's change feed. */
    void loggedIn(Account account) {
        state = new Authenticated(account);
        in.authenticated(true);
        subscription = store().subscribe(account.id(), change -> {
            // on a store thread: only wake the view; the session reads the changes itself
            if (state instanceof Selected s) s.view().signal();
        });
    }
}
