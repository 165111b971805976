/**
 * Our IMAP client (RFC 9051, 3501; ENABLE 5161, UIDPLUS 4315, MOVE 6851, CONDSTORE/QRESYNC 7162, LITERAL+ 7888,
 * SASL-IR 4959, UTF8=ACCEPT 6855, SPECIAL-USE 6154).
 *
 * <ul>
 * <li>{@link org.postern.client.imap.ImapClient}: one connection, one thread, one method per command; NO/BAD become
 *     {@link org.postern.client.net.ProtocolException}s with the server's text, a broken stream closes the
 *     connection.</li>
 * <li>{@code ResponseReader}: the response parser (tagged, untagged, continuation; atoms, quoted strings, literals
 *     and literal8, NIL, lists, response codes), pulling from the socket; a FETCH body goes to the caller as a
 *     stream of exactly its literal, never buffered.</li>
 * <li>{@code ImapClient.Args}: the one place that decides how a string goes on the wire (atom, quoted, literal),
 *     so no argument can add a command.</li>
 * <li>{@link org.postern.client.imap.UidSet}: UID sets as ranges, parsed, formatted and chunked for command-line
 *     limits.</li>
 * <li>{@link org.postern.client.imap.ImapClientLimits}: every bound on what a server may send, with its reason.</li>
 * </ul>
 */
package org.postern.client.imap;
