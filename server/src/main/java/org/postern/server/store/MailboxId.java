package org.postern.server.store;

/** A mailbox's id, unique across the whole store (not reused after delete). */
public record MailboxId(long value) {
    @Override
    public String toString() {
        return "mailbox#" + value;
    }
}
