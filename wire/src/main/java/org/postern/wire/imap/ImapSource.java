package org.postern.wire.imap;

import java.io.IOException;

/**
 * Where the parser reads a command from: its lines and its literals. The session implements it over the
 * connection; tests implement it over a script.
 *
 * <p>A command is one line, unless it contains literals: a line ending in {@code {n}} or {@code {n+}} is
 * followed by exactly n bytes and then the rest of the command on a new line (RFC 9051 §4.3, §7.5).
 */
public interface ImapSource {
    /**
     * The next line without its CRLF (a bare LF is accepted too). Implementations bound the read, failing with
     * {@link org.postern.wire.io.LineTooLongException} past the limit the parser's caller chose (see
     * {@link ImapLimits#MAX_LINE_BYTES}); the parser checks again and fails the same way.
     */
    byte[] readLine() throws IOException;

    /**
     * The next {@code size} bytes, a literal the parser has already checked against its limits. For a
     * synchronizing literal ({@code synchronizing} true) the implementation first sends the continuation
     * request {@code + Ready} (RFC 9051 §7.5), because the client waits for it before sending the bytes.
     */
    byte[] readLiteral(long size, boolean synchronizing) throws IOException;
}
