package org.postern.server.store.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.postern.server.store.AccountId;
import org.postern.server.store.BlobRef;
import org.postern.server.store.Change;
import org.postern.server.store.Flags;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxCounts;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MailboxNotFoundException;
import org.postern.server.store.MessageContent;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.ReadTx;
import org.postern.server.store.SpecialUse;
import org.postern.server.store.UidSet;
import org.postern.wire.mime.MessageStructure;

/**
 * Reads of one account on one connection: a reader's snapshot, or the writer's transaction (then it sees the
 * unit's own uncommitted writes). Every mailbox id is checked against the account: another account's
 * mailbox is as missing as a deleted one.
 */
class SqliteReadTx implements ReadTx {
    /**
     * SQL tests for a message's \Seen flag. A backslash only ever starts a flag (keywords are atoms, which have
     * none), so "\Seen " in flags + " " is exactly the \Seen flag: one concatenation a row instead of two.
     * NOT_SEEN is, to the letter, the condition of the partial index message_unseen (schema V3), so SQLite uses it.
     */
    static final String NOT_SEEN = "instr(flags || ' ', '\\Seen ') = 0";
    /** Runs of spaces; compiled once (String.split(" +") compiles the pattern on every call). */
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile(" +");
    /** Needles shorter than this have no trigram and are matched by a scan (FTS5 trigram tokenizer). */
    static final int TRIGRAM = 3;
    /**
     * Most of one header value {@link #firstHeaderValues} returns: RFC 5322 §2.1.1's line limit (998), enough
     * for any field read as a value (a Date: is about 40), and a bound on what a search moves per message.
     */
    static final int MAX_HEADER_VALUE_CHARS = 998;

    static final String MAILBOX_COLUMNS = "m.id, m.name, m.uidvalidity, m.uid_next, m.highest_modseq, m.special_use, "
            + "EXISTS (SELECT 1 FROM subscription s WHERE s.account = m.account AND s.name = m.name)";
    static final String MESSAGE_COLUMNS = "mailbox, uid, modseq, flags, internal_date, size, blob";
    private static final String DELETED_BETWEEN = "SELECT uid FROM message WHERE mailbox = ? AND uid BETWEEN ? AND ? "
            + "AND instr(' ' || flags || ' ', ' " + Flags.DELETED + " ') > 0 ORDER BY uid";
    private static final String CHANGED_SINCE = "SELECT " + MESSAGE_COLUMNS
            + " FROM message WHERE mailbox = ? AND modseq > ? ORDER BY uid";
    private static final String MESSAGES_BETWEEN = "SELECT " + MESSAGE_COLUMNS
            + " FROM message WHERE mailbox = ? AND uid BETWEEN ? AND ? ORDER BY uid";

    protected final Db db;
    protected final long account;
    private final AccountId accountId;

    private final UidLists uidLists;
    private final MessageRows messageRows;

    /**
     * {@code uidLists} and {@code messageRows}: the store's, for a reader's snapshot; {@link UidLists#NONE} and
     * {@link MessageRows#NONE} in the writer's transaction.
     */
    SqliteReadTx(Db db, AccountId account, UidLists uidLists, MessageRows messageRows) {
        this.db = db;
        this.account = account.value();
        this.accountId = account;
        this.uidLists = uidLists;
        this.messageRows = messageRows;
    }

    @Override
    public AccountId account() {
        return accountId;
    }

    @Override
    public Optional<Mailbox> mailbox(MailboxName name) {
        return db.queryOne("SELECT " + MAILBOX_COLUMNS + " FROM mailbox m WHERE m.account = ? AND m.name = ?",
                SqliteReadTx::mailboxRow, account, name.value());
    }

    @Override
    public Optional<Mailbox> mailbox(MailboxId id) {
        return db.queryOne("SELECT " + MAILBOX_COLUMNS + " FROM mailbox m WHERE m.account = ? AND m.id = ?",
                SqliteReadTx::mailboxRow, account, id.value());
    }

    @Override
    public List<Mailbox> mailboxes() {
        return db.query("SELECT " + MAILBOX_COLUMNS + " FROM mailbox m WHERE m.account = ? ORDER BY m.name",
                SqliteReadTx::mailboxRow, account);
    }

    @Override
    public List<MessageMeta> messages(MailboxId box, UidSet uids) {
        long modSeq = highestModSeq(box);
        List<MessageMeta> out = new ArrayList<>();
        for (UidSet.Range r : Uids.normalize(uids)) {
            if (messageRows.collect(box.value(), modSeq, r.first(), r.last(), out)) continue;
            int from = out.size();
            // its own loop (Db.read), not query()'s shared one: FETCH 1:* reads 10,000 rows through it
            db.read(MESSAGES_BETWEEN, rs -> {
                while (rs.next()) out.add(messageRow(rs));
                return out;
            }, box.value(), r.first(), r.last());
            messageRows.put(box.value(), modSeq, r.first(), r.last(), out.subList(from, out.size()));
        }
        return out;
    }

    /** The mailbox's HIGHESTMODSEQ, in this transaction's snapshot; also checks it is this account's. */
    private long highestModSeq(MailboxId box) {
        return db.queryLong("SELECT highest_modseq FROM mailbox WHERE id = ? AND account = ?", box.value(), account)
                .orElseThrow(() -> new MailboxNotFoundException(box.toString()));
    }

    /** Filtered by SQLite, so a resync of a 10,000-message mailbox with 3 changes makes 3 records, not 10,000. */
    @Override
    public List<MessageMeta> changedSince(MailboxId box, long modSeq) {
        requireMailbox(box);
        return db.query(CHANGED_SINCE, SqliteReadTx::messageRow, box.value(), modSeq);
    }

    /**
     * The flags column holds {@link Flags#toString()}: names separated by one space, system flags in their canonical
     * case, so {@code \Deleted} is a whole word of it exactly when the message has the flag. Matched by SQLite
     * itself: with 50 sessions on one mailbox, EXPUNGE reading every message into a record on the writer's thread
     * was most of that thread's time (a 2,000-message mailbox, JFR), and every other change waited for it.
     */
    @Override
    public long[] deleted(MailboxId box, UidSet uids) {
        requireMailbox(box);
        java.util.stream.LongStream.Builder out = java.util.stream.LongStream.builder();
        for (UidSet.Range r : Uids.normalize(uids)) {
            db.read(DELETED_BETWEEN, rs -> {
                while (rs.next()) out.add(rs.getLong(1));
                return null;
            }, box.value(), r.first(), r.last());
        }
        return out.build().toArray();
    }

    @Override
    public long[] uids(MailboxId box) {
        long modSeq = highestModSeq(box);
        long[] cached = uidLists.get(box.value(), modSeq);
        if (cached != null) return cached;
        java.util.stream.LongStream.Builder uids = java.util.stream.LongStream.builder();
        db.query("SELECT uid FROM message WHERE mailbox = ? ORDER BY uid", rs -> {
            uids.add(rs.getLong(1));
            return null;
        }, box.value());
        long[] list = uids.build().toArray();
        uidLists.put(box.value(), modSeq, list);
        return list;
    }

    @Override
    public java.util.Map<Long, org.postern.wire.mime.Envelope> envelopes(MailboxId box, UidSet uids) {
        return structureColumn(box, uids, MessageStructure::decodeEnvelope);
    }

    /** The stored structure of each message in {@code uids}, decoded by {@code decode}: one range query per range. */
    private <T> java.util.Map<Long, T> structureColumn(MailboxId box, UidSet uids, java.util.function.Function<byte[], T> decode) {
        requireMailbox(box);
        java.util.Map<Long, T> out = new java.util.HashMap<>();
        for (UidSet.Range r : Uids.normalize(uids)) {
            db.query("SELECT uid, structure FROM message WHERE mailbox = ? AND uid BETWEEN ? AND ?", rs -> {
                out.put(rs.getLong(1), decode.apply(rs.getBytes(2)));
                return null;
            }, box.value(), r.first(), r.last());
        }
        return out;
    }

    /** The mailbox's keyword list, kept by the writer (schema V3): one row, not a pass over its messages. */
    @Override
    public java.util.Set<String> keywords(MailboxId box) {
        String stored = db.queryOne("SELECT keywords FROM mailbox WHERE id = ? AND account = ?", rs -> rs.getString(1),
                box.value(), account).orElseThrow(() -> new MailboxNotFoundException(box.toString()));
        java.util.Set<String> out = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        out.addAll(Flags.parse(stored).names());
        return out;
    }

    /** The counters the triggers keep in the mailbox row (schema V3), and the first unseen UID from its index. */
    @Override
    public MailboxCounts counts(MailboxId box) {
        return db.queryOne("SELECT messages, unseen, deleted, size, coalesce((SELECT min(uid) FROM message "
                                + "WHERE mailbox = m.id AND " + NOT_SEEN + "), 0) FROM mailbox m WHERE id = ? AND account = ?",
                        rs -> new MailboxCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
                        box.value(), account)
                .orElseThrow(() -> new MailboxNotFoundException(box.toString()));
    }

    @Override
    public Optional<MessageStructure> structure(MailboxId box, long uid) {
        return db.queryOne("SELECT x.structure FROM message x JOIN mailbox m ON m.id = x.mailbox "
                        + "WHERE x.mailbox = ? AND x.uid = ? AND m.account = ?",
                rs -> MessageStructure.decode(rs.getBytes(1)), box.value(), uid, account);
    }

    @Override
    public Optional<MessageContent> content(MailboxId box, long uid) {
        return db.queryOne("SELECT x.prefix, x.blob, x.size FROM message x JOIN mailbox m ON m.id = x.mailbox "
                        + "WHERE x.mailbox = ? AND x.uid = ? AND m.account = ?",
                rs -> new MessageContent(bytes(rs, 1), new BlobRef(rs.getString(2)), rs.getLong(3)),
                box.value(), uid, account);
    }

    /**
     * RFC 9051 §6.4.4: TEXT/BODY search is a case-insensitive substring match. Needles of three characters or
     * more go through the FTS5 trigram index; the text the {@link Indexer} has not reached yet, and every text
     * for shorter needles (no trigram to look up), is scanned and folded the same way in Java.
     */
    @Override
    public List<Long> searchText(MailboxId box, String needle) {
        return searchColumns(box, needle, true);
    }

    /**
     * {@link #searchText} in the body text alone ({@code headers} false) or in header and body text.
     *
     * <p>Both queries start from the few rows they need, in MATERIALIZED CTEs: left to itself SQLite checks
     * each message of the mailbox against the FTS5 query one at a time (a whole index query per message: 20 s
     * for a word in every one of 10,000 messages), and finds the rows not indexed yet by reading every row's
     * {@code indexed} column, which sits behind the text in the row (0.2 s per 10,000 messages).
     */
    private List<Long> searchColumns(MailboxId box, String needle, boolean headers) {
        requireMailbox(box);
        if (needle.isEmpty()) {   // every text has the empty string: no need to read one
            return db.query("SELECT x.uid FROM message x JOIN blob b ON b.id = x.blob JOIN blob_text t ON t.num = b.num "
                    + "WHERE x.mailbox = ? ORDER BY x.uid", rs -> rs.getLong(1), box.value());
        }
        String folded = needle.toLowerCase(Locale.ROOT);
        boolean useIndex = indexable(needle);
        TreeSet<Long> uids = new TreeSet<>();
        if (useIndex) {
            uids.addAll(db.query(INDEX_HITS + "SELECT x.uid FROM hits h JOIN blob b ON b.num = h.num "
                    + "JOIN message x ON x.blob = b.id WHERE x.mailbox = ?", rs -> rs.getLong(1),
                    ftsQuery(headers ? null : "body", needle), box.value()));
        }
        String text = (headers ? "t.headers" : "''") + ", t.body";
        db.query(useIndex
                        ? WAITING + "SELECT x.uid, " + text + " FROM waiting w JOIN blob_text t ON t.num = w.num "
                                + "JOIN blob b ON b.num = w.num JOIN message x ON x.blob = b.id WHERE x.mailbox = ?"
                        : "SELECT x.uid, " + text + " FROM message x JOIN blob b ON b.id = x.blob "
                                + "JOIN blob_text t ON t.num = b.num WHERE x.mailbox = ?",
                rs -> {
                    if (contains(rs.getString(2), folded) || contains(rs.getString(3), folded)) uids.add(rs.getLong(1));
                    return null;
                }, box.value());
        return List.copyOf(uids);
    }

    /** The blobs whose indexed text matches the FTS5 query (the parameter), found once. */
    private static final String INDEX_HITS =
            "WITH hits AS MATERIALIZED (SELECT rowid AS num FROM blob_fts WHERE blob_fts MATCH ?) ";
    /** The blobs whose text is not indexed yet, from the partial index blob_text_waiting alone. */
    private static final String WAITING =
            "WITH waiting AS MATERIALIZED (SELECT num FROM blob_text WHERE indexed = 0) ";

    /** A needle has a trigram to look up in the index when it has at least {@link #TRIGRAM} characters. */
    private static boolean indexable(String needle) {
        return needle.codePointCount(0, needle.length()) >= TRIGRAM;
    }

    /** An FTS5 query for the string {@code needle}, in one column or (null) in all. */
    private static String ftsQuery(String column, String needle) {
        String phrase = "\"" + needle.replace("\"", "\"\"") + "\"";   // FTS5 string: only " is special
        return column == null ? phrase : column + " : " + phrase;
    }

    private static boolean contains(String text, String foldedNeedle) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(foldedNeedle);
    }

    @Override
    public long highestModSeq() {
        return db.queryLong("SELECT modseq FROM account WHERE id = ?", account).orElse(0L);
    }

    @Override
    public List<Change> changesSince(long modSeq) {
        return db.query("SELECT " + ChangeRows.COLUMNS + " FROM change WHERE account = ? AND modseq > ? ORDER BY modseq",
                ChangeRows::read, account, modSeq);
    }

    /** The mailbox, if it exists and belongs to this account. */
    protected Mailbox requireMailbox(MailboxId id) {
        return mailbox(id).orElseThrow(() -> new MailboxNotFoundException(id.toString()));
    }

    static Mailbox mailboxRow(ResultSet rs) throws SQLException {
        return new Mailbox(new MailboxId(rs.getLong(1)), MailboxName.of(rs.getString(2)), rs.getLong(3), rs.getLong(4),
                rs.getLong(5), decodeUse(rs.getString(6)), rs.getBoolean(7));
    }

    static MessageMeta messageRow(ResultSet rs) throws SQLException {
        return new MessageMeta(new MailboxId(rs.getLong(1)), rs.getLong(2), rs.getLong(3), Flags.parse(rs.getString(4)),
                Instant.ofEpochMilli(rs.getLong(5)), rs.getLong(6), new BlobRef(rs.getString(7)));
    }

    static String encodeUse(Set<SpecialUse> use) {
        return use.stream().map(Enum::name).sorted().collect(Collectors.joining(" "));
    }

    static Set<SpecialUse> decodeUse(String stored) {
        Set<SpecialUse> use = EnumSet.noneOf(SpecialUse.class);
        if (stored != null && !stored.isBlank()) {
            for (String s : SPACES.split(stored.trim())) use.add(SpecialUse.valueOf(s));
        }
        return use;
    }

    private static byte[] bytes(ResultSet rs, int column) throws SQLException {
        byte[] b = rs.getBytes(column);
        return b == null ? new byte[0] : b;
    }

    @Override
    public List<MailboxName> subscriptions() {
        return db.query("SELECT name FROM subscription WHERE account = ? ORDER BY name",
                rs -> MailboxName.of(rs.getString(1)), account);
    }

    // ---- SEARCH by field (SearchEngine)

    /** {@link #searchText} in the body text alone: RFC 9051 §6.4.4 BODY. */
    @Override
    public List<Long> searchBodyText(MailboxId box, String needle) {
        return searchColumns(box, needle, false);
    }

    /**
     * RFC 9051 §6.4.4 HEADER (and FROM, TO, CC, BCC, SUBJECT): the stored header text has one
     * {@code Name: decoded value} line per field. The trigram index over all header text finds candidates (the
     * needle may sit in another field, or in a field name), SQL keeps the rows that have the field at all, and
     * each candidate's lines are checked in Java; rows not indexed yet, and short needles, skip the index. The
     * candidates come first, materialized, for the reasons given at {@link #searchColumns}.
     */
    @Override
    public List<Long> searchHeaderField(MailboxId box, String field, String needle) {
        requireMailbox(box);
        String folded = needle.toLowerCase(Locale.ROOT);
        boolean useIndex = indexable(needle);
        List<Long> uids = new ArrayList<>();
        db.query((useIndex
                        ? "WITH candidates AS MATERIALIZED (SELECT rowid AS num FROM blob_fts WHERE blob_fts MATCH ? "
                                + "UNION SELECT num FROM blob_text WHERE indexed = 0) SELECT x.uid, t.headers "
                                + "FROM candidates c JOIN blob_text t ON t.num = c.num JOIN blob b ON b.num = c.num "
                                + "JOIN message x ON x.blob = b.id "
                        : "SELECT x.uid, t.headers FROM message x JOIN blob b ON b.id = x.blob "
                                + "JOIN blob_text t ON t.num = b.num ")
                        + "WHERE x.mailbox = ? AND " + FIELD_AT + " > 0 ORDER BY x.uid",
                rs -> {
                    if (fieldContains(rs.getString(2), field, folded)) uids.add(rs.getLong(1));
                    return null;
                }, useIndex ? new Object[] {ftsQuery("headers", needle), box.value(), asWritten(field), fieldLineStart(field)}
                        : new Object[] {box.value(), asWritten(field), fieldLineStart(field)});
        return uids;
    }

    /**
     * The decoded value of the first header field named {@code field} of each message in {@code box} that has
     * one, at most {@link #MAX_HEADER_VALUE_CHARS} of it, cut out by SQL so only that much leaves the database
     * (SENTBEFORE and friends read Date: this way). The search for the field runs once per row (MATERIALIZED).
     */
    @Override
    public Map<Long, String> firstHeaderValues(MailboxId box, String field) {
        requireMailbox(box);
        String start = fieldLineStart(field);
        Map<Long, String> values = new HashMap<>();
        // "\n" || headers: the first field is found like the others
        db.query("WITH f AS MATERIALIZED (SELECT x.uid AS uid, b.num AS num, " + FIELD_AT + " AS p "
                        + "FROM message x JOIN blob b ON b.id = x.blob JOIN blob_text t ON t.num = b.num WHERE x.mailbox = ?) "
                        + "SELECT f.uid, substr(char(10) || t.headers, f.p + ?, ?) FROM f JOIN blob_text t ON t.num = f.num "
                        + "WHERE f.p > 0",
                rs -> {
                    String rest = rs.getString(2);
                    int end = rest.indexOf('\n');
                    return values.put(rs.getLong(1), (end < 0 ? rest : rest.substring(0, end)).strip());
                }, asWritten(field), start, box.value(), start.length() + 1, MAX_HEADER_VALUE_CHARS);   // + 1: the space after the colon
        return values;
    }

    /**
     * SQL: where in {@code "\n" || t.headers} the line of a field starts (0: nowhere), given {@link #asWritten}
     * and {@link #fieldLineStart}. Field names compare case-insensitively (RFC 5322 §1.2.2), but nearly every
     * message spells them as the caller does ("Date"), so the exact spelling is tried first: it needs no lower
     * case copy of the whole header text, which the fallback makes. (So when a header has the field twice, once
     * spelled "DATE" and later "Date", the "first" value is the later one: a header no mailer writes.)
     */
    private static final String FIELD_AT = "coalesce(nullif(instr(char(10) || t.headers, ?), 0), "
            + "instr(lower(char(10) || t.headers), ?))";

    /** The start of {@code field}'s line spelled as given: {@code "\nName:"}. */
    private static String asWritten(String field) {
        return "\n" + field + ":";
    }

    /** The start of {@code field}'s line in lower case, as SQL's lower() leaves it: {@code "\nname:"}. */
    private static String fieldLineStart(String field) {
        return "\n" + field.toLowerCase(Locale.ROOT) + ":";
    }

    /** Some {@code Name: value} line of {@code headers} is the field {@code field} and its value has the needle. */
    static boolean fieldContains(String headers, String field, String foldedNeedle) {
        int at = 0;
        while (at < headers.length()) {
            int end = headers.indexOf('\n', at);
            if (end < 0) end = headers.length();
            int colon = headers.indexOf(':', at);
            if (colon > at && colon < end && colon - at == field.length()
                    && headers.regionMatches(true, at, field, 0, field.length())
                    && headers.substring(colon + 1, end).toLowerCase(Locale.ROOT).contains(foldedNeedle)) {
                return true;
            }
            at = end + 1;
        }
        return false;
    }

    @Override
    public long totalSize() {
        return db.queryLong("SELECT coalesce(sum(size), 0) FROM mailbox WHERE account = ?", account).orElse(0L);
    }

    @Override
    public java.util.Map<Long, MessageStructure> structures(MailboxId box, UidSet uids) {
        return structureColumn(box, uids, MessageStructure::decode);
    }

    @Override
    public long deletedSize(MailboxId box) {
        return db.queryLong("SELECT deleted_size FROM mailbox WHERE id = ? AND account = ?", box.value(), account)
                .orElseThrow(() -> new MailboxNotFoundException(box.toString()));
    }

    /** One range read of the change log's primary key; only this mailbox's expunge rows are decoded. */
    @Override
    public long[] expungedSince(MailboxId box, long modSeq) {
        java.util.TreeSet<Long> uids = new java.util.TreeSet<>();
        for (String ranges : db.query("SELECT uids FROM change WHERE account = ? AND modseq > ? AND kind = 'X' "
                + "AND mailbox = ?", rs -> rs.getString(1), account, modSeq, box.value()))
            uids.addAll(Uids.decode(ranges));
        return uids.stream().mapToLong(Long::longValue).toArray();
    }
}
