package org.postern.client.sync;

import org.postern.client.store.LocalStore;

/** Helpers for messages that come from a server which has no UIDs for them (POP3, a filing without IMAP). */
final class ServerCopies {
    private ServerCopies() {}

    /**
     * {@link LocalStore#add} records a message without a UID as written locally, with a pending APPEND; a message
     * downloaded over POP3 (or filed locally for an account without IMAP) is not to be uploaded anywhere, so that
     * pending row is cleared at once.
     */
    static void notToAppend(LocalStore store, LocalStore.LocalMessage added) {
        for (LocalStore.Pending p : store.pending()) {
            if (p.kind() == LocalStore.Pending.Kind.APPEND && p.messageId() == added.id()) store.donePending(p.id());
        }
    }
}
