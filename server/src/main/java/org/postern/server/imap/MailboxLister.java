package org.postern.server.imap;

import java.util.List;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxName;
import org.postern.wire.imap.ImapCommand;

/**
 * LIST and LSUB (RFC 9051 §6.3.9, RFC 3501 §6.3.9) with LIST-EXTENDED (RFC 5258), CHILDREN (RFC 3348), SPECIAL-USE
 * (RFC 6154): which mailboxes match the reference and patterns, and with which attributes. The session writes
 * the entries (and, for LIST-STATUS, a STATUS response after each selectable one).
 * (Work in progress on a helper branch: the signatures below are fixed.)
 */
public final class MailboxLister {
    private MailboxLister() {}

    /**
     * One LIST/LSUB response: {@code * LIST (attributes) "/" name} plus, with RECURSIVEMATCH, the extended item
     * {@code ("CHILDINFO" ("SUBSCRIBED"))}. {@code mailbox} is absent for a name that exists only as a parent
     * (\NonExistent or \Noselect).
     */
    public record Entry(MailboxName name, List<String> attributes, boolean childInfoSubscribed,
                        java.util.Optional<Mailbox> mailbox) {}

    /** The entries for a LIST command, in response order. {@code utf8}: patterns and reference are UTF-8, not mUTF-7. */
    public static List<Entry> list(List<Mailbox> all, ImapCommand.List command, boolean utf8) {
        throw new UnsupportedOperationException("MailboxLister: being built on a helper branch");
    }

    /** The entries for an LSUB command. */
    public static List<Entry> lsub(List<Mailbox> all, ImapCommand.Lsub command, boolean utf8) {
        throw new UnsupportedOperationException("MailboxLister: being built on a helper branch");
    }
}
