package org.postern.client.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One account's offline copy: a Maildir per folder under {@code dir/mail} and {@code dir/state.db} (SQLite, WAL)
 * with folders, messages, the pending offline changes, the outbox and a full-text index. Layout and rules in
 * docs/decisions/0005-mail-client.md. Files are written tmp -> fsync -> rename -> fsync dir before the row is
 * committed; opening the store repairs what a crash left (orphan files adopted or removed, never a row without
 * its file). One writer at a time (a lock file): a second {@code open} while a sync runs waits or fails clearly.
 *
 * <p>API contract; filled in by the {@code client.store} work.
 */
public final class LocalStore implements AutoCloseable {
    private LocalStore() {}

    public static LocalStore open(Path dir) throws IOException { throw new UnsupportedOperationException("client.store"); }

    public Path directory() { throw new UnsupportedOperationException("client.store"); }

    // ---- folders

    public List<Folder> folders() { throw new UnsupportedOperationException("client.store"); }

    public Optional<Folder> folder(String name) { throw new UnsupportedOperationException("client.store"); }

    /** Creates the folder (and its Maildir) if missing; updates delimiter and attributes if present. */
    public Folder ensureFolder(String name, Optional<Character> delimiter, Set<String> attributes) throws IOException {
        throw new UnsupportedOperationException("client.store");
    }

    /** Removes a folder the server no longer has, with its messages (only called by sync). */
    public void dropFolder(String name) throws IOException { throw new UnsupportedOperationException("client.store"); }

    /** Saves what the server said about the folder, after its changes are in (rule 4 of the decision). */
    public void saveSyncState(String folder, long uidValidity, long uidNext, long highestModseq) {
        throw new UnsupportedOperationException("client.store");
    }

    /** UIDVALIDITY changed: every row of the folder loses its UID (files and local changes kept). */
    public void forgetUids(String folder) { throw new UnsupportedOperationException("client.store"); }

    // ---- messages

    /**
     * Stores a message from the server (uid present) or written locally (uid empty): the body streamed to a Maildir
     * file, its headers summarised and its text indexed. {@code flags} become both the flags and the base flags.
     */
    public LocalMessage add(String folder, Optional<Long> uid, Set<String> flags, Instant internalDate, InputStream body)
            throws IOException {
        throw new UnsupportedOperationException("client.store");
    }

    public Optional<LocalMessage> message(long id) { throw new UnsupportedOperationException("client.store"); }

    public Optional<LocalMessage> byUid(String folder, long uid) { throw new UnsupportedOperationException("client.store"); }

    /** Messages of the folder, newest first by date, {@code DELETED}/{@code MOVED} ones left out. */
    public List<LocalMessage> list(String folder, int offset, int limit) { throw new UnsupportedOperationException("client.store"); }

    /** Every UID the folder holds locally (any state), ascending. */
    public List<Long> uids(String folder) { throw new UnsupportedOperationException("client.store"); }

    /** Rows without a UID whose Message-ID and size match (adoption after a UIDVALIDITY change or a move). */
    public List<LocalMessage> uidlessMatching(String folder, String messageId, long size) {
        throw new UnsupportedOperationException("client.store");
    }

    public void assignUid(long id, long uid) { throw new UnsupportedOperationException("client.store"); }

    /** Full-text search over from/to/cc/subject/body (FTS5), optionally in one folder; best matches first. */
    public List<LocalMessage> search(String query, Optional<String> folder, int limit) {
        throw new UnsupportedOperationException("client.store");
    }

    // ---- changes made offline (recorded as pending, replayed by sync)

    public void setFlags(long id, Set<String> flags) { throw new UnsupportedOperationException("client.store"); }

    public void delete(long id) { throw new UnsupportedOperationException("client.store"); }

    public void move(long id, String targetFolder) throws IOException { throw new UnsupportedOperationException("client.store"); }

    public List<Pending> pending() { throw new UnsupportedOperationException("client.store"); }

    /** The change reached the server (or was dropped by a conflict rule): forget it. */
    public void donePending(long pendingId) { throw new UnsupportedOperationException("client.store"); }

    // ---- what sync applies from the server (no pending rows)

    /** The server's flags: new base; local flags become server + (local - base) - (base - local). */
    public void serverFlags(long id, Set<String> flags, long modseq) { throw new UnsupportedOperationException("client.store"); }

    /** Expunged on the server: the row and its file go (deletion wins). */
    public void serverExpunged(long id) throws IOException { throw new UnsupportedOperationException("client.store"); }

    // ---- outbox

    /** Takes a written message into the outbox (copied, fsync'd) as QUEUED. */
    public OutboxEntry queue(Path message, String messageIdHeader, String sender, List<String> recipients) throws IOException {
        throw new UnsupportedOperationException("client.store");
    }

    public List<OutboxEntry> outbox() { throw new UnsupportedOperationException("client.store"); }

    /** Moves an entry to {@code state}, committed and synced before returning; {@code error} for the last failure. */
    public void outboxState(long id, OutboxEntry.State state, Optional<String> error) {
        throw new UnsupportedOperationException("client.store");
    }

    /** A FILED entry leaves the outbox (its file removed). */
    public void outboxRemove(long id) throws IOException { throw new UnsupportedOperationException("client.store"); }

    @Override
    public void close() { throw new UnsupportedOperationException("client.store"); }

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
}
