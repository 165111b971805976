package org.postern.wire.imap;

import java.util.Optional;

/**
 * A command that cannot be parsed. The message is the text for the BAD response: {@code tag BAD message} when
 * the tag was read, {@code * BAD message} when it was not (RFC 9051 §7.1.3). The response code, if any, goes in
 * brackets before the text ({@code TOOBIG} for a literal over its limit, RFC 9051 §7.1).
 *
 * <p>When {@link #closeConnection()} is true the client is already sending bytes the server will not read
 * (a non-synchronizing literal over the limit), so the protocol cannot continue: the session answers
 * {@code * BYE [ALERT] ...} and closes. Otherwise the parser has consumed the whole command, including any
 * non-synchronizing literals after the error, and the session can read the next command.
 */
public final class ImapSyntaxException extends RuntimeException {
    private final Optional<String> tag;
    private final Optional<String> responseCode;
    private final boolean closeConnection;

    ImapSyntaxException(String message) {
        this(message, Optional.empty(), Optional.empty(), false);
    }

    ImapSyntaxException(String message, Optional<String> tag, Optional<String> responseCode, boolean closeConnection) {
        super(message, null, false, false);
        this.tag = tag;
        this.responseCode = responseCode;
        this.closeConnection = closeConnection;
    }

    static ImapSyntaxException tooBig(String message, boolean closeConnection) {
        return new ImapSyntaxException(message, Optional.empty(), Optional.of("TOOBIG"), closeConnection);
    }

    ImapSyntaxException with(Optional<String> tag, boolean mustClose) {
        return new ImapSyntaxException(getMessage(), tag, responseCode, closeConnection || mustClose);
    }

    /** The command's tag, if the parser got that far. */
    public Optional<String> tag() {
        return tag;
    }

    /** An RFC 9051 §7.1 response code such as {@code TOOBIG}, without brackets. */
    public Optional<String> responseCode() {
        return responseCode;
    }

    /** The session must send BYE and close instead of BAD (see the class comment). */
    public boolean closeConnection() {
        return closeConnection;
    }
}
