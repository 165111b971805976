package org.postern.server.store;

/** Create or rename onto a name that is taken. */
public final class MailboxExistsException extends StoreException {
    public MailboxExistsException(MailboxName name) {
        super("mailbox exists: " + name);
    }
}
