package org.postern.server.imap;

import org.postern.server.store.MailboxName;

/**
 * Mailbox names between the wire and the store: modified UTF-7 (RFC 3501 §5.1.3) for IMAP4rev1 clients, UTF-8 once
 * IMAP4rev2 or UTF8=ACCEPT is enabled (RFC 9051 §5.1, RFC 6855); hierarchy delimiter {@code /}.
 * (Work in progress on a helper branch: the signatures below are fixed.)
 */
public final class MailboxNames {
    private MailboxNames() {}

    /** A name the client may not use; the message is a sentence for the client (it goes after NO). */
    public static final class InvalidNameException extends Exception {
        public InvalidNameException(String message) {
            super(message);
        }
    }

    /** The store name for a name the client sent (as parsed: the astring's value). */
    public static MailboxName fromClient(String name, boolean utf8) throws InvalidNameException {
        throw new UnsupportedOperationException("MailboxNames: being built on a helper branch");
    }

    /** The name as this client is to see it. */
    public static String toClient(MailboxName name, boolean utf8) {
        throw new UnsupportedOperationException("MailboxNames: being built on a helper branch");
    }
}
