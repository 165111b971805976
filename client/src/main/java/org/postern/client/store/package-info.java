/**
 * The offline copy of one account: Maildir tree plus state.db (folders, messages, pending changes, outbox, index).
 *
 * <p>{@link org.postern.client.store.LocalStore} is the one entry point; its class comment has the implementation
 * notes and {@code Recovery} what opening repairs. Durability follows decision 0005: a file is written to
 * {@code tmp/}, fsync'd, renamed into {@code cur/} and its directory fsync'd before the row that names it commits,
 * so after a crash there can be a file without a row (adopted on open) but never a row whose file was not
 * complete. state.db runs WAL with synchronous=FULL: an outbox state returned is on disk.
 *
 * <p>Search is an FTS5 table ({@code search}, rowid = message id, unicode61 tokenizer with diacritics removed) over
 * from/to/cc/subject and the first {@link org.postern.client.store.LocalStore#MAX_INDEXED_BODY_CHARS} characters of
 * the body text; FTS5 is compiled into the sqlite-jdbc we use, so no LIKE fallback exists. Words match whole
 * (not substrings as the server's trigram index does): a person searching their mail types words.
 *
 * <p>Folder names are stored verbatim with '/' as nesting; {@code FolderNames} refuses names that would leave
 * {@code mail/} ("..", a leading '/', NUL, controls, '\') and, a deviation to note, a nested level named
 * {@code cur}, {@code new} or {@code tmp}, which would land inside its parent's Maildir.
 */
package org.postern.client.store;
