package org.postern.server.imap;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.wire.imap.ImapCommand;

/**
 * The LIST selection and return options this server knows (RFC 5258 §3.1 and §3.2, RFC 6154 §3), read from a
 * parsed command. The parser takes any atom as an option, so {@link #badReason} is where an unknown option or an
 * invalid combination becomes the BAD that RFC 5258 §3 and §3.1 require.
 */
record MailboxListOptions(boolean selectSubscribed, boolean selectSpecialUse, boolean recursiveMatch,
                          boolean returnSubscribed, boolean extended) {
    /** REMOTE is accepted and has no effect: this server has no remote mailboxes (RFC 5258 §3.1). */
    private static final Set<String> SELECTION = Set.of("SUBSCRIBED", "REMOTE", "RECURSIVEMATCH", "SPECIAL-USE");
    /** STATUS (RFC 5819) is parsed into its own field, not among these. */
    private static final Set<String> RETURN = Set.of("SUBSCRIBED", "CHILDREN", "SPECIAL-USE");

    static MailboxListOptions of(ImapCommand.List command) {
        List<String> select = command.selectOptions();
        boolean subscribed = select.contains("SUBSCRIBED");
        // RFC 5258 §1: options, several patterns or RETURN make the command extended; "LIST () ..." and
        // "LIST r (p)" cannot be told from the plain form once parsed, and are treated as plain
        boolean extended = !select.isEmpty() || !command.returnOptions().isEmpty() || command.returnStatus().isPresent()
                || command.patterns().size() > 1;
        return new MailboxListOptions(subscribed, select.contains("SPECIAL-USE"),
                subscribed && select.contains("RECURSIVEMATCH"),
                // RFC 5258 §3.1: the SUBSCRIBED selection option implies the SUBSCRIBED return option
                subscribed || command.returnOptions().contains("SUBSCRIBED"), extended);
    }

    /** Why the command must be answered BAD, if it must. */
    static Optional<String> badReason(ImapCommand.List command) {
        for (String o : command.selectOptions()) {
            // RFC 5258 §3: "A server MUST respond to options it does not recognize with a BAD response"
            if (!SELECTION.contains(o)) return Optional.of("unknown LIST selection option " + o);
        }
        for (String o : command.returnOptions()) {
            if (!RETURN.contains(o)) return Optional.of("unknown LIST return option " + o);
        }
        // RFC 5258 §3.1 and §6 (list-select-mod-opt): RECURSIVEMATCH needs a base option; SUBSCRIBED is the only
        // one (REMOTE and SPECIAL-USE, RFC 6154 §6, are independent options)
        if (command.selectOptions().contains("RECURSIVEMATCH") && !command.selectOptions().contains("SUBSCRIBED")) {
            return Optional.of("RECURSIVEMATCH needs the SUBSCRIBED selection option");
        }
        return Optional.empty();
    }
}
