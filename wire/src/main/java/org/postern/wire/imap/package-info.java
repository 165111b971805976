/**
 * IMAP grammar (RFC 9051 IMAP4rev2 and RFC 3501 IMAP4rev1, with UIDPLUS, MOVE, LITERAL+/-, SASL-IR, ID, ENABLE,
 * UNSELECT, LIST-EXTENDED, LIST-STATUS, ESEARCH, SEARCHRES, CONDSTORE, QRESYNC, BINARY, UTF8=ACCEPT, QUOTA and
 * SPECIAL-USE): command parsing and response writing.
 *
 * <p>Commands: {@link org.postern.wire.imap.ImapParser} reads one command through an
 * {@link org.postern.wire.imap.ImapSource} (the session's lines and literals) and returns an
 * {@link org.postern.wire.imap.ImapCommand}, a sealed interface of records with typed arguments
 * ({@link org.postern.wire.imap.SequenceSet}, {@link org.postern.wire.imap.FetchItem},
 * {@link org.postern.wire.imap.SearchKey}). Every read is bounded by {@link org.postern.wire.imap.ImapLimits};
 * errors are {@link org.postern.wire.imap.ImapSyntaxException}, which says whether to answer BAD or BYE.
 * APPEND's message is the one literal the parser does not read: the session streams it (see
 * {@link org.postern.wire.imap.ImapCommand.Append}).
 *
 * <p>Responses: every byte goes through {@link org.postern.wire.imap.ImapWriter}, which decides atom, quoted
 * string or literal from the content (so client data cannot forge a response line), writes each whole response
 * under a lock (IDLE writes from a second thread), and streams literals. Mailbox names are modified UTF-7
 * ({@link org.postern.wire.imap.ModifiedUtf7}) until the client enables UTF-8; ENVELOPE and BODYSTRUCTURE come
 * from the structure parsed at delivery ({@link org.postern.wire.imap.ImapStructures}).
 */
package org.postern.wire.imap;
