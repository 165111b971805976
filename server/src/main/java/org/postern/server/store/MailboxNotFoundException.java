package org.postern.server.store;

/** The mailbox named or referenced does not exist (any more). */
public final class MailboxNotFoundException extends StoreException {
    public MailboxNotFoundException(String what) {
        super("no such mailbox: " + what);
    }
}
