package org.postern.wire.mime;

import java.util.List;
import java.util.Optional;

/** An RFC 5322 §3.4 address: a mailbox or a named group of mailboxes. See {@link AddressParser}. */
public sealed interface Address {

    /**
     * A mailbox. {@code name} is the display name as written (quotes and escapes removed, comments dropped,
     * encoded words left encoded: decode with {@link EncodedWords#decode}); when there is no display name, the
     * text of a comment is used, as in {@code john@example.com (John Doe)}. {@code route} is an obsolete
     * source route ({@code @a,@b}). {@code domain} is "" when the address has none.
     */
    record Mailbox(Optional<String> name, Optional<String> route, String localPart, String domain)
            implements Address {
        /** {@code local@domain}, or the local part alone without a domain. */
        public String address() {
            return domain.isEmpty() ? localPart : localPart + "@" + domain;
        }
    }

    /** A group ({@code name: member, member;}), possibly empty as in {@code undisclosed-recipients:;}. */
    record Group(String name, List<Mailbox> members) implements Address {
        public Group {
            members = List.copyOf(members);
        }
    }
}
