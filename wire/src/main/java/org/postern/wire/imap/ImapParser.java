package org.postern.wire.imap;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.postern.wire.Secret;
import org.postern.wire.imap.ImapCommand.*;

/**
 * Parses one IMAP command (RFC 9051 §9 {@code command}, with RFC 3501's and the extensions' forms noted on
 * {@link ImapCommand}) from its first line and, through an {@link ImapSource}, the literals and lines after it.
 *
 * <p>Strict where a mistake would change meaning (sequence sets, numbers, dates, literal syntax), lenient only
 * where real clients differ harmlessly: keywords in any case, trailing spaces, UTF-8 in unquoted strings.
 *
 * <p>On a syntax error the parser has read the whole command (non-synchronizing literals after the error are
 * read and dropped), unless {@link ImapSyntaxException#closeConnection()} says it could not.
 */
public final class ImapParser {
    private ImapParser() {}

    /** A source for commands that must not contain literals (tests, and the session's own sanity checks). */
    public static final ImapSource NO_LITERALS = new ImapSource() {
        @Override
        public byte[] readLine() throws IOException {
            throw new EOFException("no more lines");
        }

        @Override
        public byte[] readLiteral(long size, boolean synchronizing) throws IOException {
            throw new EOFException("no literals");
        }
    };

    /** Reads the command's first line from {@code source}, then parses as {@link #parse(byte[], ImapSource, boolean)}. */
    public static ImapCommand parse(ImapSource source, boolean authenticated) throws IOException {
        return parse(source.readLine(), source, authenticated);
    }

    /** Parses a command without literals, as logged in (tests). */
    public static ImapCommand parse(String line) throws IOException {
        return parse(line.getBytes(StandardCharsets.UTF_8), NO_LITERALS, true);
    }

    /**
     * Parses the command whose first line is {@code line}. {@code authenticated} selects the limits
     * ({@link ImapLimits}: line and literal sizes are smaller before login).
     *
     * @throws ImapSyntaxException for BAD (or, if it says so, BYE)
     * @throws org.postern.wire.io.LineTooLongException a line over the limit: the session sends BYE and closes
     * @throws IOException from the source
     */
    public static ImapCommand parse(byte[] line, ImapSource source, boolean authenticated) throws IOException {
        var lx = new ImapLexer(line, source, authenticated);
        Optional<String> tag = Optional.empty();
        try {
            if (lx.atEnd()) throw ImapLexer.bad("empty command line");
            tag = Optional.of(lx.tag());
            lx.sp();
            return command(tag.get(), lx.keyword(), lx);
        } catch (ImapSyntaxException e) {
            boolean mustClose = e.closeConnection() || lx.drain();
            throw e.with(tag, mustClose);
        }
    }

    /**
     * After an APPEND's message literal: checks the rest of the command line. RFC 9051 §9 allows nothing but the
     * end of the line; RFC 6855 §4's {@code UTF8 (~{n})} needs its closing parenthesis. (MULTIAPPEND, RFC 3502,
     * is not offered, so a further message is a syntax error.)
     */
    public static void finishAppend(Append append, byte[] restOfLine) {
        String rest = new String(restOfLine, StandardCharsets.US_ASCII).stripTrailing();
        if (!rest.equals(append.utf8() ? ")" : ""))
            throw new ImapSyntaxException("unexpected characters after the message", Optional.of(append.tag()),
                    Optional.empty(), false);
    }

    /** RFC 2177 §3: the line that ends IDLE, in any case. */
    public static boolean isDone(byte[] line) {
        return new String(line, StandardCharsets.US_ASCII).strip().equalsIgnoreCase("DONE");
    }

    private static ImapCommand command(String tag, String name, ImapLexer lx) throws IOException {
        ImapCommand c = switch (name) {
            case "CAPABILITY" -> new Capability(tag);
            case "NOOP" -> new Noop(tag);
            case "LOGOUT" -> new Logout(tag);
            case "STARTTLS" -> new StartTls(tag);
            case "NAMESPACE" -> new Namespace(tag);
            case "IDLE" -> new Idle(tag);
            case "CHECK" -> new Check(tag);
            case "CLOSE" -> new Close(tag);
            case "UNSELECT" -> new Unselect(tag);
            case "EXPUNGE" -> new Expunge(tag);
            case "ID" -> id(tag, lx);
            case "AUTHENTICATE" -> authenticate(tag, lx);
            case "LOGIN" -> {
                lx.sp();
                String user = lx.astring();
                lx.sp();
                yield new Login(tag, user, Secret.of(lx.astring()));
            }
            case "ENABLE" -> {
                List<String> caps = new ArrayList<>();
                lx.sp();
                do {
                    if (caps.size() == ImapLimits.MAX_LIST_ELEMENTS) throw ImapLexer.bad("too many capabilities");
                    caps.add(lx.keyword());
                } while (lx.trySp() && !lx.atEnd());
                yield new Enable(tag, caps);
            }
            case "SELECT", "EXAMINE" -> select(tag, name.equals("EXAMINE"), lx);
            case "CREATE" -> create(tag, lx);
            case "DELETE" -> new Delete(tag, mailboxArg(lx));
            case "RENAME" -> {
                String from = mailboxArg(lx);
                yield new Rename(tag, from, mailboxArg(lx));
            }
            case "SUBSCRIBE" -> new Subscribe(tag, mailboxArg(lx));
            case "UNSUBSCRIBE" -> new Unsubscribe(tag, mailboxArg(lx));
            case "LIST" -> list(tag, lx);
            case "LSUB" -> {
                String ref = mailboxArg(lx);
                lx.sp();
                yield new Lsub(tag, ref, lx.listMailbox());
            }
            case "STATUS" -> {
                String mailbox = mailboxArg(lx);
                lx.sp();
                yield new Status(tag, mailbox, statusItems(lx));
            }
            case "APPEND" -> append(tag, lx);
            case "GETQUOTA" -> {
                lx.sp();
                yield new GetQuota(tag, lx.astring());
            }
            case "GETQUOTAROOT" -> new GetQuotaRoot(tag, mailboxArg(lx));
            case "SETQUOTA" -> setQuota(tag, lx);
            case "SEARCH", "FETCH", "STORE", "COPY", "MOVE" -> selected(tag, name, false, lx);
            case "UID" -> {
                lx.sp();
                String sub = lx.keyword();
                if (sub.equals("EXPUNGE")) {
                    lx.sp();
                    yield new UidExpunge(tag, lx.sequenceSet(true, true));
                }
                if (!List.of("SEARCH", "FETCH", "STORE", "COPY", "MOVE").contains(sub))
                    throw ImapLexer.bad("UID must be followed by FETCH, STORE, COPY, MOVE, SEARCH or EXPUNGE");
                yield selected(tag, sub, true, lx);
            }
            default -> throw ImapLexer.bad("unknown command");
        };
        if (!(c instanceof Append)) lx.end();
        return c;
    }

    private static String mailboxArg(ImapLexer lx) throws IOException {
        lx.sp();
        return lx.mailbox();
    }

    private static Id id(String tag, ImapLexer lx) throws IOException {
        lx.sp();
        List<IdField> fields = new ArrayList<>();
        if (lx.peekWord("NIL")) {
            lx.nstring();
            return new Id(tag, fields);
        }
        lx.expect('(', "'(' or NIL");
        if (lx.tryChar(')')) return new Id(tag, fields);
        do {
            if (fields.size() == ImapLimits.MAX_ID_FIELDS) throw ImapLexer.bad("more than 30 ID fields");
            String name = lx.string();
            lx.sp();
            fields.add(new IdField(name, lx.nstring()));
        } while (lx.trySp());
        lx.expect(')', "')' after the ID fields");
        return new Id(tag, fields);
    }

    private static Authenticate authenticate(String tag, ImapLexer lx) {
        lx.sp();
        String mechanism = lx.keyword();
        Optional<String> initial = Optional.empty();
        if (lx.trySp() && !lx.atEnd()) {
            // RFC 4959 §7: base64 / "="
            String ir = lx.until(" ");
            if (ir.isEmpty() || !(ir.equals("=") || ir.matches("[A-Za-z0-9+/]+={0,2}")))
                throw ImapLexer.bad("invalid initial response");
            initial = Optional.of(ir);
        }
        return new Authenticate(tag, mechanism, initial);
    }

    private static Select select(String tag, boolean readOnly, ImapLexer lx) throws IOException {
        String mailbox = mailboxArg(lx);
        boolean condstore = false;
        Optional<Qresync> qresync = Optional.empty();
        if (lx.trySp() && !lx.atEnd()) {
            lx.expect('(', "'(' before SELECT parameters");
            do {
                String p = lx.keyword();
                switch (p) {
                    case "CONDSTORE" -> condstore = true;
                    case "QRESYNC" -> {
                        if (qresync.isPresent()) throw ImapLexer.bad("QRESYNC given twice");
                        lx.sp();
                        qresync = Optional.of(qresync(lx));
                    }
                    default -> throw ImapLexer.bad("unknown SELECT parameter " + p);
                }
            } while (lx.trySp());
            lx.expect(')', "')' after SELECT parameters");
        }
        return new Select(tag, mailbox, readOnly, new SelectOptions(condstore, qresync));
    }

    /** RFC 7162 §3.2.5: {@code (uidvalidity mod-sequence-value [SP known-uids] [SP seq-match-data])}. */
    private static Qresync qresync(ImapLexer lx) {
        lx.expect('(', "'(' after QRESYNC");
        long uidValidity = lx.number();
        if (uidValidity == 0) throw ImapLexer.bad("UIDVALIDITY must not be 0");
        lx.sp();
        long modSeq = lx.nzNumber64();
        Optional<SequenceSet> known = Optional.empty(), seqs = Optional.empty(), uids = Optional.empty();
        if (lx.trySp()) {
            if (lx.peek() != '(') {
                known = Optional.of(lx.sequenceSet(true, false));   // "*" is not allowed in known-uids
                if (lx.trySp()) lx.expect('(', "'(' before the sequence match data");
                else {
                    lx.expect(')', "')' after QRESYNC parameters");
                    return new Qresync(uidValidity, modSeq, known, seqs, uids);
                }
            } else {
                lx.tryChar('(');
            }
            seqs = Optional.of(lx.sequenceSet(false, false));
            lx.sp();
            uids = Optional.of(lx.sequenceSet(true, false));
            lx.expect(')', "')' after the sequence match data");
        }
        lx.expect(')', "')' after QRESYNC parameters");
        return new Qresync(uidValidity, modSeq, known, seqs, uids);
    }

    private static Create create(String tag, ImapLexer lx) throws IOException {
        String mailbox = mailboxArg(lx);
        List<String> use = List.of();
        if (lx.trySp() && !lx.atEnd()) {
            // RFC 6154 §3: create-param = "USE" SP "(" [use-attr *(SP use-attr)] ")"
            lx.expect('(', "'(' before CREATE parameters");
            if (!lx.keyword().equals("USE")) throw ImapLexer.bad("unknown CREATE parameter");
            lx.sp();
            use = lx.flagList();
            for (String u : use) if (!u.startsWith("\\")) throw ImapLexer.bad("special-use attributes start with \\");
            lx.expect(')', "')' after CREATE parameters");
        }
        return new Create(tag, mailbox, use);
    }

    /**
     * RFC 5258 §6: {@code LIST [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]}, with
     * RFC 5819 {@code RETURN (STATUS (...))}.
     */
    private static ImapCommand.List list(String tag, ImapLexer lx) throws IOException {
        lx.sp();
        List<String> select = new ArrayList<>();
        if (lx.tryChar('(')) {
            if (!lx.tryChar(')')) {
                do select.add(lx.keyword()); while (lx.trySp() && select.size() < ImapLimits.MAX_LIST_ELEMENTS);
                lx.expect(')', "')' after the selection options");
            }
            lx.sp();
        }
        String reference = lx.mailbox();
        lx.sp();
        List<String> patterns = new ArrayList<>();
        if (lx.tryChar('(')) {
            do patterns.add(lx.listMailbox()); while (lx.trySp() && patterns.size() < ImapLimits.MAX_LIST_ELEMENTS);
            lx.expect(')', "')' after the patterns");
        } else {
            patterns.add(lx.listMailbox());
        }
        List<String> ret = new ArrayList<>();
        Optional<List<StatusItem>> status = Optional.empty();
        if (lx.trySp() && !lx.atEnd()) {
            if (!lx.keyword().equals("RETURN")) throw ImapLexer.bad("expected RETURN");
            lx.sp();
            lx.expect('(', "'(' after RETURN");
            if (!lx.tryChar(')')) {
                do {
                    String o = lx.keyword();
                    if (o.equals("STATUS")) {
                        lx.sp();
                        status = Optional.of(statusItems(lx));
                    } else {
                        if (ret.size() == ImapLimits.MAX_LIST_ELEMENTS) throw ImapLexer.bad("too many return options");
                        ret.add(o);
                    }
                } while (lx.trySp());
                lx.expect(')', "')' after the return options");
            }
        }
        return new ImapCommand.List(tag, select, reference, patterns, ret, status);
    }

    private static List<StatusItem> statusItems(ImapLexer lx) {
        lx.expect('(', "'(' before the status items");
        List<StatusItem> items = new ArrayList<>();
        do {
            String k = lx.keyword();
            StatusItem item = StatusItem.ofWire(k).orElseThrow(() -> ImapLexer.bad("unknown status item " + k));
            if (!items.contains(item)) items.add(item);
        } while (lx.trySp());
        lx.expect(')', "')' after the status items");
        return items;
    }

    /**
     * RFC 9051 §6.3.12: {@code APPEND mailbox [SP flag-list] [SP date-time] SP literal}, the literal being
     * {@code {n}}, {@code {n+}}, {@code ~{n}} (RFC 3516) or {@code UTF8 (~{n}} (RFC 6855). Stops after the
     * literal's announcement; see {@link Append}.
     */
    private static Append append(String tag, ImapLexer lx) throws IOException {
        String mailbox = mailboxArg(lx);
        lx.sp();
        List<String> flags = List.of();
        if (lx.peek() == '(') {
            flags = lx.flagList();
            lx.sp();
        }
        Optional<OffsetDateTime> date = Optional.empty();
        if (lx.peek() == '"') {
            date = Optional.of(ImapDates.dateTime(lx));
            lx.sp();
        }
        boolean utf8 = false;
        if (lx.peekWord("UTF8")) {
            lx.keyword();
            lx.sp();
            lx.expect('(', "'(' after UTF8");
            utf8 = true;
            if (lx.peek() != '~') throw ImapLexer.bad("UTF8 needs a literal8");
        }
        if (lx.peek() != '{' && lx.peek() != '~') throw ImapLexer.bad("expected the message literal");
        ImapLexer.LiteralHeader h = lx.literalHeader();
        return new Append(tag, mailbox, flags, date, h.size(), h.synchronizing(), h.literal8(), utf8);
    }

    /** RFC 9208 §4.3: {@code SETQUOTA root (resource limit ...)}. */
    private static SetQuota setQuota(String tag, ImapLexer lx) throws IOException {
        lx.sp();
        String root = lx.astring();
        lx.sp();
        lx.expect('(', "'(' before the quota limits");
        List<QuotaLimit> limits = new ArrayList<>();
        if (!lx.tryChar(')')) {
            do {
                if (limits.size() == ImapLimits.MAX_LIST_ELEMENTS) throw ImapLexer.bad("too many quota limits");
                String resource = lx.keyword();
                lx.sp();
                limits.add(new QuotaLimit(resource, lx.number64()));
            } while (lx.trySp());
            lx.expect(')', "')' after the quota limits");
        }
        return new SetQuota(tag, root, limits);
    }

    private static ImapCommand selected(String tag, String name, boolean uid, ImapLexer lx) throws IOException {
        lx.sp();
        if (name.equals("SEARCH")) return ImapSearchParser.search(tag, uid, lx);
        SequenceSet set = lx.sequenceSet(uid, true);
        lx.sp();
        return switch (name) {
            case "FETCH" -> ImapFetchParser.fetch(tag, uid, set, lx);
            case "STORE" -> store(tag, uid, set, lx);
            case "COPY" -> new Copy(tag, uid, set, lx.mailbox());
            case "MOVE" -> new Move(tag, uid, set, lx.mailbox());
            default -> throw new IllegalStateException(name);
        };
    }

    /** RFC 9051 §6.4.6 with RFC 7162 §3.1.3: {@code STORE set [(UNCHANGEDSINCE n)] [+|-]FLAGS[.SILENT] flags}. */
    private static Store store(String tag, boolean uid, SequenceSet set, ImapLexer lx) {
        OptionalLong unchangedSince = OptionalLong.empty();
        if (lx.tryChar('(')) {
            if (!lx.keyword().equals("UNCHANGEDSINCE")) throw ImapLexer.bad("unknown STORE modifier");
            lx.sp();
            unchangedSince = OptionalLong.of(lx.number64());   // 0 is allowed: it fails for every message
            lx.expect(')', "')' after UNCHANGEDSINCE");
            lx.sp();
        }
        StoreMode mode = lx.tryChar('+') ? StoreMode.ADD : lx.tryChar('-') ? StoreMode.REMOVE : StoreMode.REPLACE;
        String what = lx.keyword();
        boolean silent = what.equals("FLAGS.SILENT");
        if (!silent && !what.equals("FLAGS")) throw ImapLexer.bad("expected FLAGS, +FLAGS or -FLAGS");
        lx.sp();
        List<String> flags;
        if (lx.peek() == '(') {
            flags = lx.flagList();
        } else {
            flags = new ArrayList<>();
            do {
                if (flags.size() == ImapLimits.MAX_LIST_ELEMENTS) throw ImapLexer.bad("too many flags");
                flags.add(lx.flag());
            } while (lx.trySp() && !lx.atEnd());
        }
        return new Store(tag, uid, set, unchangedSince, mode, silent, flags);
    }
}
