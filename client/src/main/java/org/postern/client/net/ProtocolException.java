package org.postern.client.net;

import java.io.IOException;

/**
 * The server refused something (an IMAP NO/BAD, a POP3 -ERR, an SMTP 4xx/5xx) or broke the protocol. The
 * message is for people: what was asked, and what the server said.
 */
public class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
