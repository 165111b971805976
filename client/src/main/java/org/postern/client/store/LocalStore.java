package org.postern.client.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.postern.client.message.MessageSummary;

/**
 * One account's offline copy: a Maildir per folder under {@code dir/mail} and {@code dir/state.db} (SQLite, WAL)
 * with folders, messages, the pending offline changes, the outbox and a full-text index. Layout and rules in
 * docs/decisions/0005-mail-client.md. Files are written tmp -> fsync -> rename -> fsync dir before the row is
 * committed; opening the store repairs what a crash left (orphan files adopted or removed, never a row without
 * its file). One writer at a time (a lock file): a second {@code open} while a sync runs fails clearly with
 * {@link StoreLockedException}.
 *
 * <p>Implementation notes:
 * <ul>
 *   <li>Every method is {@code synchronized}: one connection, short transactions ({@code BEGIN IMMEDIATE}).</li>
 *   <li>A message is read from its stream once: copied to the Maildir file while wire's parser reads it, which
 *       gives the header summary and the body text for the index in the same pass.</li>
 *   <li>Flags: a file's name carries the flags that have a Maildir letter; state.db holds all of them (keywords
 *       too). A flag change renames the file, then commits the row; {@link Recovery} finds a file renamed without
 *       its row by its unique part.</li>
 *   <li>Offline changes (flags, delete, move, append) are rows in {@code pending}, in order; sync replays them
 *       and calls {@link #donePending}. A deleted or moved message keeps its row (state DELETED / MOVED, hidden
 *       from {@link #list}) until sync reports the server's expunge ({@link #serverExpunged}).</li>
 *   <li>A move offline leaves the source row MOVED (with its UID, for the server's UID MOVE) and puts a UID-less
 *       copy (a hard link when the file system allows) in the target folder, which sync adopts by
 *       {@link #uidlessMatching} or {@link #assignUid} with the COPYUID answer.</li>
 * </ul>
 */
public final class LocalStore implements AutoCloseable {
    private static final System.Logger log = System.getLogger(LocalStore.class.getName());

    /**
     * Characters of a message's body text put into the search index. Wire's parser keeps up to 1 M characters of
     * decoded text; a quarter of that covers any letter a person writes, while a 20 MB log pasted into a mail does
     * not grow state.db by 20 MB. Words after it are not found.
     */
    public static final int MAX_INDEXED_BODY_CHARS = 256 * 1024;

    /**
     * Bytes of one message stored. Servers refuse far less (Postern's default max_message_size is 50 MiB, Gmail's
     * 25 MB); 1 GiB only stops a broken or hostile server from filling the disk through one endless literal. Past
     * it {@link #add} fails with {@link MessageTooLargeException} and keeps nothing.
     */
    public static final long MAX_MESSAGE_BYTES = 1L << 30;

    /**
     * A group of downloads ({@link Downloads}) is flushed at this many messages: big enough that the directory
     * fsync and the commit are paid once for many files, small enough that a sync cut by a crash re-downloads little.
     */
    static final int DOWNLOAD_GROUP_MESSAGES = 256;

    /** ... or at this many bytes, whichever comes first: what a cut sync may have to download again. */
    static final long DOWNLOAD_GROUP_BYTES = 32L << 20;

    /**
     * fsyncs of one group issued at once. Concurrent fsyncs on ext4/XFS share a journal commit: on the CI machine's
     * disk (ext4, virtual) 500 files of 3.5 KB took 0.39 ms each one at a time and 0.13 ms each 16 at a time.
     */
    static final int FSYNC_PARALLELISM = 16;

    /** Output buffer while a message is copied to its Maildir file. */
    private static final int COPY_BUFFER_BYTES = 64 * 1024;

    static final String MESSAGE_COLUMNS = "m.id, f.name, m.uid, m.file, m.flags, m.base_flags, m.internal_date, m.size, "
            + "m.date, m.from_addr, m.to_addrs, m.cc_addrs, m.subject, m.message_id, m.has_attachments, m.local_state";
    static final String FROM_MESSAGE = " FROM message m JOIN folder f ON f.id = m.folder_id ";

    final Path dir;
    final Path mailRoot;
    final Path outboxTmp;
    final Path outboxQueue;
    final StateDb db;
    private final Outbox outbox;
    private final WriterLock lock;
    private final List<String> recovered;
    private boolean closed;

    private LocalStore(Path dir, WriterLock lock, StateDb db) throws IOException {
        this.dir = dir;
        this.mailRoot = dir.resolve("mail");
        this.outboxTmp = dir.resolve("outbox").resolve("tmp");
        this.outboxQueue = dir.resolve("outbox").resolve("queue");
        this.lock = lock;
        this.db = db;
        Files.createDirectories(mailRoot);
        Files.createDirectories(outboxTmp);
        Files.createDirectories(outboxQueue);
        this.outbox = new Outbox(this);
        this.recovered = new Recovery(this).run();
        for (String w : recovered) log.log(System.Logger.Level.WARNING, w);
    }

    /**
     * Opens (creating if needed) the store in {@code dir}, takes the writer lock and repairs what a crash or
     * another tool left (see {@link #recovered()}).
     *
     * @throws StoreLockedException when another client holds the account ("another postern client is syncing this
     *                              account (pid N)")
     */
    public static LocalStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        WriterLock lock = WriterLock.acquire(dir.resolve("lock"));
        StateDb db = null;
        try {
            db = StateDb.open(dir.resolve("state.db"));
            return new LocalStore(dir, lock, db);
        } catch (IOException | RuntimeException e) {
            if (db != null) db.close();
            lock.close();
            throw e;
        }
    }

    public Path directory() {
        return dir;
    }

    /** What opening repaired, one sentence each (also logged as warnings); empty after a clean close. */
    public List<String> recovered() {
        return recovered;
    }

    // ---- folders

    public synchronized List<Folder> folders() {
        return db.query(FOLDER_SQL + " ORDER BY f.name", LocalStore::folderRow);
    }

    public synchronized Optional<Folder> folder(String name) {
        return db.queryOne(FOLDER_SQL + " WHERE f.name = ?", LocalStore::folderRow, name);
    }

    /** Creates the folder (and its Maildir) if missing; updates delimiter and attributes if present. */
    public synchronized Folder ensureFolder(String name, Optional<Character> delimiter, Set<String> attributes)
            throws IOException {
        Path maildir = FolderNames.directory(mailRoot, name);
        for (String sub : List.of("cur", "new", "tmp")) Files.createDirectories(maildir.resolve(sub));
        Durable.syncDirectory(maildir.getParent());
        String attrs = String.join(" ", new TreeSet<>(attributes));
        String delim = delimiter.map(String::valueOf).orElse(null);
        transaction(() -> {
            if (db.update("UPDATE folder SET delimiter = ?, attributes = ? WHERE name = ?", delim, attrs, name) == 0) {
                db.insert("INSERT INTO folder (name, delimiter, attributes) VALUES (?, ?, ?)", name, delim, attrs);
            }
            return null;
        });
        return folder(name).orElseThrow();
    }

    /** Removes a folder the server no longer has, with its messages (only called by sync); nested folders stay. */
    public synchronized void dropFolder(String name) throws IOException {
        long folderId = folderId(name);
        Path maildir = FolderNames.directory(mailRoot, name);
        List<String> files = db.query("SELECT file FROM message WHERE folder_id = ?", rs -> rs.getString(1), folderId);
        transaction(() -> {
            db.update("DELETE FROM search WHERE rowid IN (SELECT id FROM message WHERE folder_id = ?)", folderId);
            db.update("DELETE FROM pending WHERE message_id IN (SELECT id FROM message WHERE folder_id = ?)", folderId);
            db.update("DELETE FROM message WHERE folder_id = ?", folderId);
            db.update("DELETE FROM folder WHERE id = ?", folderId);
            return null;
        });
        for (String f : files) Files.deleteIfExists(maildir.resolve("cur").resolve(f));
        for (String sub : List.of("cur", "new", "tmp")) {
            Path d = maildir.resolve(sub);
            if (Files.isDirectory(d)) {
                try (var left = Files.list(d)) {
                    for (Path p : left.toList()) Files.deleteIfExists(p); // a stray file of another tool
                }
                Files.deleteIfExists(d);
            }
        }
        try (var rest = Files.list(maildir)) {
            if (rest.findAny().isEmpty()) Files.delete(maildir);
        }
        Durable.syncDirectory(maildir.getParent());
    }

    /** Saves what the server said about the folder, after its changes are in (rule 4 of the decision). */
    public synchronized void saveSyncState(String folder, long uidValidity, long uidNext, long highestModseq) {
        long id = folderId(folder);
        transaction(() -> db.update("UPDATE folder SET uidvalidity = ?, uidnext = ?, highestmodseq = ?, synced_at = ? "
                + "WHERE id = ?", uidValidity, uidNext, highestModseq, Instant.now().getEpochSecond(), id));
    }

    /**
     * UIDVALIDITY changed: every row of the folder loses its UID (files kept). The offline changes that named
     * those UIDs (flags, deletes, moves) mean nothing in the new numbering and are dropped with a warning: the
     * rows get their server flags back and DELETED/MOVED rows become visible again (a moved message's copy in the
     * target folder goes). Local appends stay.
     */
    public synchronized void forgetUids(String folder) {
        long folderId = folderId(folder);
        List<PendingRow> dropped = db.query("SELECT id, kind, message_id, uid, target_folder FROM pending "
                + "WHERE folder = ? AND kind <> 'APPEND'", PendingRow::of, folder);
        for (PendingRow p : dropped) if (p.kind().equals("MOVE")) undoMoveCopy(p);
        transaction(() -> {
            db.update("DELETE FROM pending WHERE folder = ? AND kind <> 'APPEND'", folder);
            db.update("UPDATE message SET flags = base_flags, local_state = 'SYNCED' WHERE folder_id = ? "
                    + "AND uid IS NOT NULL", folderId);
            return null;
        });
        for (Row r : rows("WHERE m.folder_id = ? AND m.uid IS NOT NULL", folderId)) {
            renameTo(r, new MaildirName(r.unique(), Optional.empty(), r.flags()), () ->
                    db.update("UPDATE message SET uid = NULL, file = ? WHERE id = ?", r.newFile, r.id()));
        }
        if (!dropped.isEmpty()) {
            log.log(System.Logger.Level.WARNING, "UIDVALIDITY of " + folder + " changed: " + dropped.size()
                    + " offline changes to its messages were dropped (they named the old UIDs)");
        }
    }

    // ---- messages

    /**
     * Stores a message from the server (uid present) or written locally (uid empty, recorded as a pending APPEND):
     * the body streamed to a Maildir file, its headers summarised and its text indexed, all in one read of
     * {@code body}. {@code flags} become both the flags and the base flags. A UID the folder already holds is not
     * stored twice: the existing message is returned and {@code body} is not read.
     */
    public LocalMessage add(String folder, Optional<Long> uid, Set<String> flags, Instant internalDate,
                            InputStream body) throws IOException {
        return add(folder, uid, flags, internalDate, body, MAX_MESSAGE_BYTES);
    }

    /** {@link #add} with another size limit (tests hit the limit with small messages). */
    synchronized LocalMessage add(String folder, Optional<Long> uid, Set<String> flags, Instant internalDate,
                                  InputStream body, long maxBytes) throws IOException {
        long folderId = folderId(folder);
        if (uid.isPresent()) {
            Optional<LocalMessage> existing = byUid(folder, uid.get());
            if (existing.isPresent()) return existing.get();
        }
        Written w = write(folder, uid, flags, body, maxBytes);
        Durable.syncFile(w.tmp);
        Durable.rename(w.tmp, w.target);
        long id;
        try {
            id = transaction(() -> {
                long newId = insertMessage(folderId, uid, w.target.getFileName().toString(), w.flags, internalDate,
                        w.size, w.summary);
                if (uid.isEmpty()) addPending("APPEND", newId, folder, Optional.empty(), Optional.empty());
                return newId;
            });
        } catch (RuntimeException e) {
            Files.deleteIfExists(w.target);
            throw e;
        }
        return message(id).orElseThrow();
    }

    /** A message copied to {@code tmp/} (not yet fsync'd) with what its one read gave. */
    private record Written(Path tmp, Path target, Optional<Long> uid, TreeSet<String> flags, long size,
                           MessageSummary summary) {}

    /** Copies {@code body} to a new file in the folder's {@code tmp/}, summarising it on the way; no fsync yet. */
    private Written write(String folder, Optional<Long> uid, Set<String> flags, InputStream body, long maxBytes)
            throws IOException {
        TreeSet<String> fl = MaildirName.normalize(flags);
        Path maildir = FolderNames.directory(mailRoot, folder);
        String unique = MaildirName.newUnique();
        Path tmp = maildir.resolve("tmp").resolve(unique);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), COPY_BUFFER_BYTES)) {
            TeeInputStream tee = new TeeInputStream(body, out, maxBytes);
            MessageSummary summary = MessageSummary.read(tee).summary();
            out.flush();
            Path target = maildir.resolve("cur").resolve(new MaildirName(unique, uid, fl).fileName());
            return new Written(tmp, target, uid, fl, tee.count(), summary);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * Starts storing messages of {@code folder} downloaded from the server as a group: see {@link Downloads}.
     * The first sync of a big mailbox is this: a file, its directory entry and a state.db commit made durable one
     * message at a time cost three disk flushes each; a group costs one flush per file, issued together.
     */
    public Downloads downloads(String folder) {
        return new Downloads(folder, folderId(folder));
    }

    /**
     * Messages from the server stored as a group. {@link #add} writes each to {@code tmp/} and keeps it;
     * {@link #flush} (also every {@link #DOWNLOAD_GROUP_MESSAGES} messages or {@link #DOWNLOAD_GROUP_BYTES} bytes,
     * and on {@link #close}) fsyncs the files, {@value #FSYNC_PARALLELISM} at a time, renames them into
     * {@code cur/}, fsyncs the directory once and commits all their rows in one transaction. The order of
     * {@link #add} for one message is kept: a file is on disk before its name, its name before its row. A crash
     * before the flush leaves files in {@code tmp/} (removed on open; the server still has the messages and the
     * folder's sync state was not saved, so the next sync downloads them again); a crash between the renames and
     * the commit leaves complete files in {@code cur/}, which {@link Recovery} adopts with their UIDs.
     * Not for local messages (no pending APPEND is recorded). Messages are visible to readers after the flush.
     */
    public final class Downloads implements AutoCloseable {
        private final String folder;
        private final long folderId;
        private final List<Written> written = new ArrayList<>();
        private final List<Instant> dates = new ArrayList<>();
        private final Set<Long> uids = new HashSet<>();
        private long bytes;

        private Downloads(String folder, long folderId) {
            this.folder = folder;
            this.folderId = folderId;
        }

        /** Whether the folder holds {@code uid}, stored or in this group. */
        public boolean holds(long uid) {
            synchronized (LocalStore.this) {
                return uids.contains(uid) || byUid(folder, uid).isPresent();
            }
        }

        /**
         * Writes a message from the server ({@code uid}) to {@code tmp/}; false, with {@code body} left unread,
         * when the folder already holds that UID. Fails with {@link MessageTooLargeException} past
         * {@link #MAX_MESSAGE_BYTES}, keeping nothing of that message.
         */
        public boolean add(long uid, Set<String> flags, Instant internalDate, InputStream body) throws IOException {
            return add(uid, flags, internalDate, body, MAX_MESSAGE_BYTES);
        }

        boolean add(long uid, Set<String> flags, Instant internalDate, InputStream body, long maxBytes)
                throws IOException {
            synchronized (LocalStore.this) {
                if (holds(uid)) return false;
                Written w = write(folder, Optional.of(uid), flags, body, maxBytes);
                written.add(w);
                dates.add(internalDate);
                uids.add(uid);
                bytes += w.size;
            }
            if (written.size() >= DOWNLOAD_GROUP_MESSAGES || bytes >= DOWNLOAD_GROUP_BYTES) flush();
            return true;
        }

        /** Makes every message added so far durable and visible (see the class comment for the order). */
        public void flush() throws IOException {
            synchronized (LocalStore.this) {
                if (written.isEmpty()) return;
                try {
                    Durable.syncFiles(written.stream().map(Written::tmp).toList(), FSYNC_PARALLELISM);
                    for (Written w : written) Files.move(w.tmp, w.target, StandardCopyOption.ATOMIC_MOVE);
                    Durable.syncDirectory(written.getFirst().target.getParent());
                    transaction(() -> {
                        for (int i = 0; i < written.size(); i++) {
                            Written w = written.get(i);
                            insertMessage(folderId, w.uid, w.target.getFileName().toString(),
                                    w.flags, dates.get(i), w.size, w.summary);
                        }
                        return null;
                    });
                } catch (IOException | RuntimeException e) {
                    for (Written w : written) {
                        Files.deleteIfExists(w.tmp);
                        Files.deleteIfExists(w.target);
                    }
                    throw e;
                } finally {
                    written.clear();
                    dates.clear();
                    bytes = 0;
                }
            }
        }

        /** {@link #flush}es what is left. */
        @Override
        public void close() throws IOException {
            flush();
        }
    }

    long insertMessage(long folderId, Optional<Long> uid, String file, Set<String> flags, Instant internalDate,
                       long size, MessageSummary s) {
        String from = String.join(", ", s.from());
        String to = String.join(", ", s.to());
        String cc = String.join(", ", s.cc());
        long id = db.insert("INSERT INTO message (folder_id, uid, file, flags, base_flags, internal_date, size, date, "
                        + "from_addr, to_addrs, cc_addrs, subject, message_id, in_reply_to, refs, has_attachments) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                folderId, uid.orElse(null), file, MaildirName.join(flags), MaildirName.join(flags),
                internalDate.getEpochSecond(), size, s.date().map(d -> d.toInstant().getEpochSecond()).orElse(null),
                from, to, cc, s.subject(), s.messageId().orElse(null), s.inReplyTo().orElse(null),
                String.join(" ", s.references()), s.hasAttachments() ? 1 : 0);
        String text = s.bodyText();
        if (text.length() > MAX_INDEXED_BODY_CHARS) text = text.substring(0, MAX_INDEXED_BODY_CHARS);
        db.insert("INSERT INTO search (rowid, from_addr, to_addrs, cc_addrs, subject, body) VALUES (?, ?, ?, ?, ?, ?)",
                id, from, to, cc, s.subject(), text);
        return id;
    }

    public synchronized Optional<LocalMessage> message(long id) {
        return db.queryOne("SELECT " + MESSAGE_COLUMNS + FROM_MESSAGE + "WHERE m.id = ?", this::localMessage, id);
    }

    public synchronized Optional<LocalMessage> byUid(String folder, long uid) {
        return db.queryOne("SELECT " + MESSAGE_COLUMNS + FROM_MESSAGE + "WHERE f.name = ? AND m.uid = ?",
                this::localMessage, folder, uid);
    }

    /** Messages of the folder, newest first by date, {@code DELETED}/{@code MOVED} ones left out. */
    public synchronized List<LocalMessage> list(String folder, int offset, int limit) {
        return db.query("SELECT " + MESSAGE_COLUMNS + FROM_MESSAGE + "WHERE f.name = ? AND m.local_state = 'SYNCED' "
                + "ORDER BY coalesce(m.date, m.internal_date) DESC, m.id DESC LIMIT ? OFFSET ?",
                this::localMessage, folder, limit, offset);
    }

    /** Every UID the folder holds locally (any state), ascending. */
    public synchronized List<Long> uids(String folder) {
        return db.query("SELECT m.uid" + FROM_MESSAGE + "WHERE f.name = ? AND m.uid IS NOT NULL ORDER BY m.uid",
                rs -> rs.getLong(1), folder);
    }

    /**
     * The folder's {@code SYNCED} messages without a UID (written offline, moved or copied here, or left by a
     * UIDVALIDITY change), oldest first: what a sync may find on the server under a new UID.
     */
    public synchronized List<LocalMessage> uidless(String folder) {
        return db.query("SELECT " + MESSAGE_COLUMNS + FROM_MESSAGE + "WHERE f.name = ? AND m.uid IS NULL "
                + "AND m.local_state = 'SYNCED' ORDER BY m.id", this::localMessage, folder);
    }

    /** Rows without a UID whose Message-ID and size match (adoption after a UIDVALIDITY change or a move). */
    public synchronized List<LocalMessage> uidlessMatching(String folder, String messageId, long size) {
        return db.query("SELECT " + MESSAGE_COLUMNS + FROM_MESSAGE + "WHERE f.name = ? AND m.uid IS NULL "
                + "AND m.message_id = ? AND m.size = ? ORDER BY m.id", this::localMessage, folder, messageId, size);
    }

    /**
     * Gives a UID-less row the UID the server assigned (APPENDUID, COPYUID, or a match found by
     * {@link #uidlessMatching}); its file is renamed to carry it. Pending rows are the caller's: after an APPEND,
     * sync calls {@link #donePending} for it.
     */
    public synchronized void assignUid(long id, long uid) {
        Row r = row(id);
        renameTo(r, new MaildirName(r.unique(), Optional.of(uid), r.flags()),
                () -> db.update("UPDATE message SET uid = ?, file = ? WHERE id = ?", uid, r.newFile, id));
    }

    /**
     * Full-text search over from/to/cc/subject/body (FTS5), optionally in one folder; best matches first (bm25).
     * Every word of {@code query} must occur (case and accents ignored: unicode61 tokenizer with
     * remove_diacritics); words are matched whole, and FTS5 syntax in the query is taken literally.
     */
    public synchronized List<LocalMessage> search(String query, Optional<String> folder, int limit) {
        List<String> words = new ArrayList<>();
        for (String w : query.strip().split("\\s+")) if (!w.isEmpty()) words.add("\"" + w.replace("\"", "\"\"") + "\"");
        if (words.isEmpty()) return List.of();
        String match = String.join(" ", words);
        String sql = "SELECT " + MESSAGE_COLUMNS + " FROM search s JOIN message m ON m.id = s.rowid "
                + "JOIN folder f ON f.id = m.folder_id WHERE search MATCH ? AND m.local_state = 'SYNCED' "
                + (folder.isPresent() ? "AND f.name = ? " : "") + "ORDER BY s.rank LIMIT ?";
        return folder.isPresent()
                ? db.query(sql, this::localMessage, match, folder.get(), limit)
                : db.query(sql, this::localMessage, match, limit);
    }

    // ---- changes made offline (recorded as pending, replayed by sync)

    /** New local flags; the file is renamed for its letters; a message with a UID gets a pending FLAGS (one at most). */
    public synchronized void setFlags(long id, Set<String> flags) {
        Row r = row(id);
        requireSynced(r, "change its flags");
        TreeSet<String> fl = MaildirName.normalize(flags);
        if (fl.equals(r.flags())) return;
        renameTo(r, new MaildirName(r.unique(), r.uid(), fl), () -> {
            db.update("UPDATE message SET flags = ?, file = ? WHERE id = ?", MaildirName.join(fl), r.newFile, id);
            if (r.uid().isPresent() && db.queryLong("SELECT id FROM pending WHERE message_id = ? AND kind = 'FLAGS'",
                    id).isEmpty()) {
                addPending("FLAGS", id, r.folder(), r.uid(), Optional.empty());
            }
        });
    }

    /**
     * Deletes a message offline: with a UID it becomes DELETED with a pending DELETE (sync expunges it on the
     * server, then calls {@link #serverExpunged}); a message the server never had goes at once.
     */
    public synchronized void delete(long id) {
        Row r = row(id);
        if (!r.state().equals("SYNCED")) return; // already deleted or moved away
        if (r.uid().isEmpty()) {
            transaction(() -> {
                removeRow(id);
                return null;
            });
            deleteFileQuietly(r.path());
            return;
        }
        transaction(() -> {
            db.update("UPDATE message SET local_state = 'DELETED' WHERE id = ?", id);
            db.update("DELETE FROM pending WHERE message_id = ? AND kind = 'FLAGS'", id); // deletion wins
            addPending("DELETE", id, r.folder(), r.uid(), Optional.empty());
            return null;
        });
    }

    /**
     * Moves a message offline to {@code targetFolder}. With a UID: the row becomes MOVED with a pending MOVE, and a
     * UID-less copy appears in the target at once. Without one (never on the server): the row and file move.
     */
    public synchronized void move(long id, String targetFolder) throws IOException {
        Row r = row(id);
        requireSynced(r, "move it");
        long targetId = folderId(targetFolder);
        if (targetFolder.equals(r.folder())) return;
        Path targetDir = FolderNames.directory(mailRoot, targetFolder);
        if (r.uid().isEmpty()) {
            Path to = targetDir.resolve("cur").resolve(r.file());
            Durable.rename(r.path(), to);
            Durable.syncDirectory(r.path().getParent());
            transaction(() -> {
                db.update("UPDATE message SET folder_id = ? WHERE id = ?", targetId, id);
                db.update("UPDATE pending SET folder = ? WHERE message_id = ? AND kind = 'APPEND'", targetFolder, id);
                return null;
            });
            return;
        }
        String unique = MaildirName.newUnique();
        Path tmp = targetDir.resolve("tmp").resolve(unique);
        try {
            Files.createLink(tmp, r.path()); // same bytes, no copy; the links are renamed and removed apart
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(r.path(), tmp);
            Durable.syncFile(tmp);
        }
        Path copy = targetDir.resolve("cur").resolve(new MaildirName(unique, Optional.empty(), r.flags()).fileName());
        Durable.rename(tmp, copy);
        try {
            transaction(() -> {
                long copyId = db.insert("INSERT INTO message (folder_id, uid, file, flags, base_flags, internal_date, "
                        + "size, date, from_addr, to_addrs, cc_addrs, subject, message_id, in_reply_to, refs, "
                        + "has_attachments) SELECT ?, NULL, ?, flags, base_flags, internal_date, size, date, from_addr, "
                        + "to_addrs, cc_addrs, subject, message_id, in_reply_to, refs, has_attachments FROM message "
                        + "WHERE id = ?", targetId, copy.getFileName().toString(), id);
                db.insert("INSERT INTO search (rowid, from_addr, to_addrs, cc_addrs, subject, body) SELECT ?, "
                        + "from_addr, to_addrs, cc_addrs, subject, body FROM search WHERE rowid = ?", copyId, id);
                db.update("UPDATE message SET local_state = 'MOVED' WHERE id = ?", id);
                addPending("MOVE", id, r.folder(), r.uid(), Optional.of(targetFolder));
                return null;
            });
        } catch (RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
    }

    public synchronized List<Pending> pending() {
        return db.query("SELECT id, kind, message_id, folder, uid, target_folder, created FROM pending ORDER BY id",
                rs -> new Pending(rs.getLong(1), Pending.Kind.valueOf(rs.getString(2)), rs.getLong(3),
                        rs.getString(4), optLong(rs, 5), Optional.ofNullable(rs.getString(6)),
                        Instant.ofEpochMilli(rs.getLong(7))));
    }

    /** The change reached the server (or was dropped by a conflict rule): forget it. */
    public synchronized void donePending(long pendingId) {
        transaction(() -> db.update("DELETE FROM pending WHERE id = ?", pendingId));
    }

    // ---- what sync applies from the server (no pending rows)

    /** The server's flags: new base; local flags become server + (local - base) - (base - local). */
    public synchronized void serverFlags(long id, Set<String> flags, long modseq) {
        Row r = row(id);
        TreeSet<String> server = MaildirName.normalize(flags);
        Set<String> merged = FlagMerge.merge(server, r.baseFlags(), r.flags());
        renameTo(r, new MaildirName(r.unique(), r.uid(), merged), () ->
                db.update("UPDATE message SET flags = ?, base_flags = ?, modseq = ?, file = ? WHERE id = ?",
                        MaildirName.join(merged), MaildirName.join(server), modseq, r.newFile, id));
    }

    /**
     * Expunged on the server: the row and its file go (deletion wins), with every offline change to it; a pending
     * move of it is dropped with a warning and its copy in the target folder removed.
     */
    public synchronized void serverExpunged(long id) throws IOException {
        Optional<Row> found = findRow(id);
        if (found.isEmpty()) return;
        Row r = found.get();
        for (PendingRow p : db.query("SELECT id, kind, message_id, uid, target_folder FROM pending WHERE message_id = ? "
                + "AND kind = 'MOVE'", PendingRow::of, id)) {
            log.log(System.Logger.Level.WARNING, "a message moved offline from " + r.folder() + " to "
                    + p.target().orElse("?") + " was expunged on the server meanwhile; the move is dropped");
            undoMoveCopy(p);
        }
        transaction(() -> {
            removeRow(id);
            return null;
        });
        Durable.delete(r.path());
    }

    // ---- outbox (rules in Outbox)

    /** Takes a written message into the outbox (copied, fsync'd) as QUEUED. */
    public synchronized OutboxEntry queue(Path message, String messageIdHeader, String sender, List<String> recipients)
            throws IOException {
        return outbox.queue(message, messageIdHeader, sender, recipients);
    }

    public synchronized List<OutboxEntry> outbox() {
        return outbox.entries();
    }

    /**
     * Moves an entry to {@code state}, committed and synced before returning (synchronous=FULL); {@code error} for
     * the last failure. Allowed: QUEUED -> SENDING; SENDING -> SENDING (checked again after a restart), QUEUED (it
     * failed), SENT; SENT -> FILED. A SENT entry is never sent again (decision 0005, outbox exactly once). Moving
     * to SENDING counts an attempt.
     *
     * @throws IllegalStateException for any other transition
     */
    public synchronized void outboxState(long id, OutboxEntry.State state, Optional<String> error) {
        outbox.state(id, state, error);
    }

    /** A FILED entry leaves the outbox (its file removed); so may a QUEUED one (the person changed their mind). */
    public synchronized void outboxRemove(long id) throws IOException {
        outbox.remove(id);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        db.close();
        try {
            lock.close();
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "releasing the lock of " + dir + " failed: " + e.getMessage());
        }
    }

    public record Folder(String name, Optional<Character> delimiter, Set<String> attributes, long uidValidity,
                         long uidNext, long highestModseq, long messages, long unseen) {}

    /** {@code flags} are system flags (\Seen ...) and keywords as IMAP names. */
    public record LocalMessage(long id, String folder, Optional<Long> uid, Path file, Set<String> flags,
                               Set<String> baseFlags, Instant internalDate, long size, Optional<Instant> date,
                               String from, String to, String cc, String subject, Optional<String> messageId,
                               boolean hasAttachments, State state) {
        public enum State { SYNCED, DELETED, MOVED }
    }

    /** One offline change; {@code uid} as it was on the server when the change was made. */
    public record Pending(long id, Kind kind, long messageId, String folder, Optional<Long> uid,
                          Optional<String> targetFolder, Instant created) {
        public enum Kind { FLAGS, DELETE, MOVE, APPEND }
    }

    public record OutboxEntry(long id, Path file, String messageIdHeader, String sender, List<String> recipients,
                              State state, int attempts, Optional<String> lastError, Instant created) {
        public enum State { QUEUED, SENDING, SENT, FILED }
    }

    // ---- internals

    private static final String FOLDER_SQL = "SELECT f.name, f.delimiter, f.attributes, f.uidvalidity, f.uidnext, "
            + "f.highestmodseq, (SELECT count(*) FROM message m WHERE m.folder_id = f.id AND m.local_state = 'SYNCED'), "
            + "(SELECT count(*) FROM message m WHERE m.folder_id = f.id AND m.local_state = 'SYNCED' "
            + "AND instr(' ' || m.flags || ' ', ' \\Seen ') = 0) FROM folder f";

    private static Folder folderRow(ResultSet rs) throws SQLException {
        String d = rs.getString(2);
        Set<String> attrs = new LinkedHashSet<>();
        for (String a : rs.getString(3).split(" ")) if (!a.isEmpty()) attrs.add(a);
        return new Folder(rs.getString(1), d == null || d.isEmpty() ? Optional.empty() : Optional.of(d.charAt(0)),
                Set.copyOf(attrs), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8));
    }

    private LocalMessage localMessage(ResultSet rs) throws SQLException {
        String folder = rs.getString(2);
        Optional<Long> date = optLong(rs, 9);
        return new LocalMessage(rs.getLong(1), folder, optLong(rs, 3),
                FolderNames.directory(mailRoot, folder).resolve("cur").resolve(rs.getString(4)),
                MaildirName.split(rs.getString(5)), MaildirName.split(rs.getString(6)),
                Instant.ofEpochSecond(rs.getLong(7)), rs.getLong(8), date.map(Instant::ofEpochSecond),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
                Optional.ofNullable(rs.getString(14)), rs.getInt(15) != 0,
                LocalMessage.State.valueOf(rs.getString(16)));
    }

    static Optional<Long> optLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    long folderId(String name) {
        return db.queryLong("SELECT id FROM folder WHERE name = ?", name)
                .orElseThrow(() -> new IllegalArgumentException("no folder \"" + name + "\" in the local store"));
    }

    Row row(long id) {
        return findRow(id).orElseThrow(() -> new IllegalArgumentException("no message " + id + " in the local store"));
    }

    Optional<Row> findRow(long id) {
        return message(id).map(Row::new);
    }

    List<Row> rows(String where, Object... args) {
        return db.query("SELECT " + MESSAGE_COLUMNS + FROM_MESSAGE + where, this::localMessage, args).stream()
                .map(Row::new).toList();
    }

    private static void requireSynced(Row r, String what) {
        if (!r.state().equals("SYNCED")) {
            throw new IllegalStateException("message " + r.id() + " is " + r.state() + " offline; cannot " + what);
        }
    }

    /**
     * Renames the row's file to {@code name} (a no-op when it already has that name), then runs {@code update} in a
     * transaction with {@code r.newFile} set; the file is renamed back if the transaction fails. A crash between
     * the two leaves a renamed file that {@link Recovery} matches to its row by the unique part.
     */
    void renameTo(Row r, MaildirName name, Runnable update) {
        r.newFile = name.fileName();
        Path to = r.path().resolveSibling(r.newFile);
        boolean renamed = !to.equals(r.path());
        try {
            if (renamed) Durable.rename(r.path(), to);
        } catch (IOException e) {
            throw new LocalStoreException("cannot rename " + r.path() + ": " + e.getMessage(), e);
        }
        try {
            transaction(() -> {
                update.run();
                return null;
            });
        } catch (RuntimeException e) {
            if (renamed) {
                try {
                    Durable.rename(to, r.path());
                } catch (IOException undo) {
                    e.addSuppressed(undo);
                }
            }
            throw e;
        }
    }

    void addPending(String kind, long messageId, String folder, Optional<Long> uid, Optional<String> target) {
        db.insert("INSERT INTO pending (kind, message_id, folder, uid, target_folder, created) VALUES (?, ?, ?, ?, ?, ?)",
                kind, messageId, folder, uid.orElse(null), target.orElse(null), Instant.now().toEpochMilli());
    }

    /** Deletes a message row with its index entry and pending changes (inside a transaction). */
    void removeRow(long id) {
        db.update("DELETE FROM search WHERE rowid = ?", id);
        db.update("DELETE FROM pending WHERE message_id = ?", id);
        db.update("DELETE FROM message WHERE id = ?", id);
    }

    /** Removes the UID-less copy a move left in the target folder (same Message-ID and size), if still there. */
    private void undoMoveCopy(PendingRow p) {
        Optional<Row> source = findRow(p.messageId());
        if (source.isEmpty() || p.target().isEmpty() || folder(p.target().get()).isEmpty()) return;
        LocalMessage s = source.get().message();
        if (s.messageId().isEmpty()) return; // no way to tell the copy apart from other local messages
        for (LocalMessage copy : uidlessMatching(p.target().get(), s.messageId().get(), s.size())) {
            transaction(() -> {
                removeRow(copy.id());
                return null;
            });
            deleteFileQuietly(copy.file());
            return;
        }
    }

    private static void deleteFileQuietly(Path file) {
        try {
            Durable.delete(file);
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "cannot delete " + file + ": " + e.getMessage()
                    + " (its row is gone; the next open removes the file)");
        }
    }

    @FunctionalInterface
    interface Work<T> {
        T run();
    }

    /** Runs {@code work} in one write transaction. */
    <T> T transaction(Work<T> work) {
        if (closed) throw new IllegalStateException("the local store " + dir + " is closed");
        db.begin();
        try {
            T result = work.run();
            db.commit();
            return result;
        } catch (RuntimeException e) {
            db.rollback();
            throw e;
        }
    }

}
