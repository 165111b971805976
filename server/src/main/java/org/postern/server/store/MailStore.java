package org.postern.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.postern.server.queue.QueueStore;

/**
 * The store: account-scoped transactions, bodies in {@link #blobs()}, changes published to subscribers after
 * commit. Implementations serialize writers per account (SQLite: one writer; PostgreSQL: a row lock).
 */
public interface MailStore extends AutoCloseable {
    /** Mailboxes every new account gets, with their RFC 6154 special use. */
    java.util.List<DefaultMailbox> DEFAULT_MAILBOXES = java.util.List.of(
            new DefaultMailbox(MailboxName.INBOX, java.util.Set.of()),
            new DefaultMailbox(MailboxName.of("Sent"), java.util.Set.of(SpecialUse.SENT)),
            new DefaultMailbox(MailboxName.of("Drafts"), java.util.Set.of(SpecialUse.DRAFTS)),
            new DefaultMailbox(MailboxName.of("Trash"), java.util.Set.of(SpecialUse.TRASH)),
            new DefaultMailbox(MailboxName.of("Junk"), java.util.Set.of(SpecialUse.JUNK)),
            new DefaultMailbox(MailboxName.of("Archive"), java.util.Set.of(SpecialUse.ARCHIVE)));

    record DefaultMailbox(MailboxName name, java.util.Set<SpecialUse> use) {}

    <T> T read(AccountId account, Function<ReadTx, T> work);

    /** Runs {@code work} in a write transaction, commits, then publishes the Changes it recorded. */
    <T> T write(AccountId account, Function<WriteTx, T> work);

    /** Creates the account's default mailboxes if it has none yet; idempotent. */
    void ensureAccount(AccountId account);

    /** Removes all of an account's mailboxes, messages and changes (the account itself lives in the directory). */
    void deleteAccount(AccountId account);

    /** The delivery agent's commit: local appends and the outbound queue entry, all in one transaction. */
    Delivery.Receipt deliver(Delivery delivery);

    BlobStore blobs();

    QueueStore queue();

    /** The message's bytes: prefix then body blob. */
    InputStream open(MessageContent content) throws IOException;

    /**
     * The bytes of message {@code uid} in {@code box} (prefix then body), or empty when there is no such message
     * (any more). For reading a whole message right away (POP3 RETR, IMAP BODY[]): a backend may find and open
     * it in one read instead of {@link ReadTx#content} and {@link #open(MessageContent)}'s two.
     */
    default Optional<InputStream> openMessage(AccountId account, MailboxId box, long uid) throws IOException {
        Optional<MessageContent> content = read(account, tx -> tx.content(box, uid));
        return content.isEmpty() ? Optional.empty() : Optional.of(open(content.get()));
    }

    /**
     * Read-ahead for a client that downloads messages one after another (POP3 RETR 1, 2, 3 …): the whole
     * bytes (prefix and body) of those messages with UIDs in {@code first..last} whose bodies the backend holds
     * in its database, in UID order, stopping before {@code maxBytes} would be passed (the first message is
     * always included). Messages whose bodies are files are left out; read them with {@link #openMessage}.
     * A backend without cheap batch reads returns nothing, and callers fall back to {@link #openMessage}.
     */
    default java.util.SortedMap<Long, byte[]> readAhead(AccountId account, MailboxId box, long first, long last, int maxMessages,
                                                        long maxBytes) {
        return java.util.Collections.emptySortedMap();
    }

    /** Calls {@code listener} (on a store thread, after commit) for each change to the account. */
    Subscription subscribe(AccountId account, Consumer<Change> listener);

    @Override
    void close();
}
