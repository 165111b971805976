package org.postern.client.net;

/**
 * The server refused the user name and password (IMAP NO to LOGIN/AUTHENTICATE, POP3 -ERR to PASS/AUTH, SMTP 535),
 * as opposed to a connection or protocol failure: the caller may ask for the password again rather than retry.
 */
public final class AuthenticationException extends ProtocolException {
    public AuthenticationException(String message) {
        super(message);
    }
}
