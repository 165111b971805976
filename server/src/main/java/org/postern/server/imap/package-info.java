/**
 * The IMAP server (RFC 9051 IMAP4rev2 and RFC 3501 IMAP4rev1 on one port, with the extensions listed in
 * {@link org.postern.server.imap.AuthCommands#capabilities()}).
 *
 * <p>How it is put together, so that several people can work on it:
 * <ul>
 * <li>{@link org.postern.server.imap.ImapServer}: listeners (143 with STARTTLS, 993 implicit TLS), one
 *     {@code ImapSession} per connection; {@link org.postern.server.imap.ImapSettings} and
 *     {@link org.postern.server.imap.ImapServerLimits} hold what is configurable and what is fixed.</li>
 * <li>{@code ImapSession}: the loop, the state ({@code ImapState}), the dispatcher (one exhaustive switch over
 *     {@link org.postern.wire.imap.ImapCommand}) and the error mapping; commands return a {@code Reply} so the
 *     dispatcher can send the selected mailbox's updates before the tagged response.</li>
 * <li>Command groups: {@code AuthCommands} (CAPABILITY, LOGIN, AUTHENTICATE, ENABLE, ID, NAMESPACE),
 *     {@code MailboxCommands} (CREATE ... STATUS, QUOTA), {@code AppendCommand}, {@code SelectCommands} (SELECT,
 *     EXAMINE, CLOSE, UNSELECT), {@code MessageCommands} (FETCH, STORE, COPY, MOVE, EXPUNGE), {@code SearchCommand},
 *     {@code IdleCommand}.</li>
 * <li>{@code SelectedView}: one session's numbering of its selected mailbox and the change announcements (EXISTS,
 *     EXPUNGE/VANISHED, FETCH FLAGS) read from the store's change log at the points RFC 9051 §7 allows.</li>
 * <li>Shared helpers: {@link org.postern.server.imap.FetchSections} (body items of FETCH),
 *     {@link org.postern.server.imap.SearchEngine} (SEARCH keys), {@link org.postern.server.imap.MailboxNames}
 *     (names on the wire), {@link org.postern.server.imap.MailboxLister} (LIST and LSUB).</li>
 * </ul>
 * Every response goes through {@link org.postern.wire.imap.ImapWriter}; nothing here writes protocol text itself.
 */
package org.postern.server.imap;
