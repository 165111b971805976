package org.postern.client.imap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postern.client.net.Endpoint;

/**
 * An IMAP client (RFC 9051 and RFC 3501, with ENABLE, UIDPLUS, MOVE, CONDSTORE, QRESYNC, LITERAL+, SASL-IR,
 * UTF8=ACCEPT when the server offers them). One connection, one thread. Every method sends its command, reads
 * to the tagged answer, and throws {@link org.postern.client.net.ProtocolException} on NO/BAD with the server's
 * text. Untagged EXISTS/EXPUNGE/VANISHED/FETCH that arrive meanwhile are collected, not lost
 * ({@link #drainUnsolicited()}).
 *
 * <p>API contract for the other client packages (docs/decisions/0005-mail-client.md); bodies are filled in by
 * the {@code client.imap} work.
 */
public final class ImapClient implements AutoCloseable {
    private ImapClient() {}

    /** Connects, reads the greeting, upgrades with STARTTLS when the endpoint says so, reads CAPABILITY. */
    public static ImapClient connect(Endpoint endpoint, Duration timeout) throws IOException {
        throw new UnsupportedOperationException("client.imap");
    }

    /** The server's capabilities, upper case, as last announced (refreshed after STARTTLS and login). */
    public Set<String> capabilities() { throw new UnsupportedOperationException("client.imap"); }

    public boolean has(String capability) { throw new UnsupportedOperationException("client.imap"); }

    /**
     * AUTHENTICATE PLAIN (with SASL-IR when offered), else LOGIN. Refuses (without sending the password) on a
     * connection without TLS unless {@code allowPlaintext}; refuses when the server says LOGINDISABLED.
     */
    public void login(String user, char[] password, boolean allowPlaintext) throws IOException {
        throw new UnsupportedOperationException("client.imap");
    }

    /** ENABLE (RFC 5161) the ones offered among {@code extensions}; returns those the server enabled. */
    public Set<String> enable(String... extensions) throws IOException { throw new UnsupportedOperationException("client.imap"); }

    /** LIST "" "*" (with RETURN (SPECIAL-USE) when offered); names decoded from modified UTF-7 unless UTF-8 is on. */
    public List<RemoteFolder> list() throws IOException { throw new UnsupportedOperationException("client.imap"); }

    public void create(String folder) throws IOException { throw new UnsupportedOperationException("client.imap"); }

    /**
     * SELECT (read-write), with {@code (QRESYNC (uidvalidity modseq known-uids))} when {@code known} is present and
     * QRESYNC is enabled, else {@code (CONDSTORE)} when offered. The answer carries VANISHED (EARLIER) and the
     * FETCH flag changes the server sent during the SELECT.
     */
    public Selected select(String folder, Optional<Qresync> known) throws IOException {
        throw new UnsupportedOperationException("client.imap");
    }

    /** UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE m VANISHED) — VANISHED only with QRESYNC enabled. */
    public Changes changedSince(long modseq) throws IOException { throw new UnsupportedOperationException("client.imap"); }

    /** UID FETCH uids (UID FLAGS [MODSEQ]): every message's flags, for the full compare without CONDSTORE. */
    public List<FlagsRow> flags(UidSet uids) throws IOException { throw new UnsupportedOperationException("client.imap"); }

    /** UID SEARCH with the criteria as IMAP text the caller built (e.g. "ALL", "UID 1:*"); returns ascending UIDs. */
    public List<Long> uidSearch(String criteria) throws IOException { throw new UnsupportedOperationException("client.imap"); }

    /** UID SEARCH HEADER field value, the value sent as a quoted string or literal (never spliced raw). */
    public List<Long> uidSearchHeader(String field, String value) throws IOException {
        throw new UnsupportedOperationException("client.imap");
    }

    /**
     * UID FETCH uids (UID FLAGS INTERNALDATE RFC822.SIZE [MODSEQ] BODY.PEEK[]); each message's body streamed
     * from the literal into {@code consumer} (which may read less; the rest is skipped). Never holds a whole
     * message in memory.
     */
    public void fetchMessages(UidSet uids, MessageConsumer consumer) throws IOException {
        throw new UnsupportedOperationException("client.imap");
    }

    /** UID STORE uids +FLAGS.SILENT / -FLAGS.SILENT (flags); never a FLAGS replace. */
    public void store(UidSet uids, boolean add, Set<String> flags) throws IOException {
        throw new UnsupportedOperationException("client.imap");
    }

    /** UID MOVE (RFC 6851), or UID COPY + \Deleted + UID EXPUNGE; returns old UID -> new UID from COPYUID (empty if none). */
    public Map<Long, Long> move(UidSet uids, String target) throws IOException { throw new UnsupportedOperationException("client.imap"); }

    /** UID COPY; returns old UID -> new UID from COPYUID (empty if the server has no UIDPLUS). */
    public Map<Long, Long> copy(UidSet uids, String target) throws IOException { throw new UnsupportedOperationException("client.imap"); }

    /** UID EXPUNGE uids (UIDPLUS); without UIDPLUS throws ProtocolException (the caller decides). */
    public void uidExpunge(UidSet uids) throws IOException { throw new UnsupportedOperationException("client.imap"); }

    public void expunge() throws IOException { throw new UnsupportedOperationException("client.imap"); }

    /** APPEND (LITERAL+ when offered); the APPENDUID answer when the server has UIDPLUS. */
    public Optional<AppendUid> append(String folder, Set<String> flags, Optional<Instant> internalDate, Path message)
            throws IOException {
        throw new UnsupportedOperationException("client.imap");
    }

    public void noop() throws IOException { throw new UnsupportedOperationException("client.imap"); }

    /** The untagged EXISTS/EXPUNGE/VANISHED/FETCH seen since the last call, in arrival order. */
    public List<Unsolicited> drainUnsolicited() { throw new UnsupportedOperationException("client.imap"); }

    /** LOGOUT, then close. */
    public void logout() throws IOException { throw new UnsupportedOperationException("client.imap"); }

    @Override
    public void close() { throw new UnsupportedOperationException("client.imap"); }

    public record RemoteFolder(String name, Optional<Character> delimiter, Set<String> attributes) {}

    /** What SELECT said. {@code highestModseq} is 0 when the server has no CONDSTORE (or NOMODSEQ). */
    public record Selected(String folder, long uidValidity, long uidNext, long exists, long highestModseq,
                           UidSet vanished, List<FlagsRow> changed) {}

    public record Qresync(long uidValidity, long modseq, UidSet knownUids) {}

    public record Changes(UidSet vanished, List<FlagsRow> changed, long highestModseq) {}

    /** {@code modseq} is 0 when the server has no CONDSTORE. */
    public record FlagsRow(long uid, Set<String> flags, long modseq) {}

    public record FetchedMessage(long uid, Set<String> flags, Instant internalDate, long size, long modseq) {}

    public record AppendUid(long uidValidity, long uid) {}

    public sealed interface Unsolicited {
        record Exists(long count) implements Unsolicited {}
        record Expunge(long sequence) implements Unsolicited {}
        record Vanished(UidSet uids) implements Unsolicited {}
        record Fetch(long sequence, Optional<FlagsRow> flags) implements Unsolicited {}
    }

    @FunctionalInterface
    public interface MessageConsumer {
        void accept(FetchedMessage message, InputStream body) throws IOException;
    }
}
