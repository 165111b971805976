package org.postern.wire.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One address of an IMAP ENVELOPE (RFC 9051 §7.5.2): name, at-domain-list (source route), mailbox, host.
 * Empty means NIL. RFC 5322 group syntax is a start marker (host NIL, mailbox = group name), the members,
 * then an end marker (all NIL). A mailbox without a domain has host "" (not NIL, which would mean a group).
 * The name is raw: encoded words stay encoded, as IMAP sends them; quotes and escapes are removed.
 */
public record EnvelopeAddress(Optional<String> name, Optional<String> adl, Optional<String> mailbox,
                              Optional<String> host) {

    public static final EnvelopeAddress GROUP_END =
            new EnvelopeAddress(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public static EnvelopeAddress groupStart(String groupName) {
        return new EnvelopeAddress(Optional.empty(), Optional.empty(), Optional.of(groupName), Optional.empty());
    }

    public static EnvelopeAddress of(Address.Mailbox m) {
        return new EnvelopeAddress(m.name(), m.route(), Optional.of(m.localPart()), Optional.of(m.domain()));
    }

    /** The IMAP form of a parsed address list: groups become start marker, members, end marker. */
    public static List<EnvelopeAddress> of(List<Address> addresses) {
        List<EnvelopeAddress> out = new ArrayList<>(addresses.size());
        for (Address a : addresses) {
            switch (a) {
                case Address.Mailbox m -> out.add(of(m));
                case Address.Group g -> {
                    out.add(groupStart(g.name()));
                    for (Address.Mailbox m : g.members()) out.add(of(m));
                    out.add(GROUP_END);
                }
            }
        }
        return List.copyOf(out);
    }

    public boolean isGroupStart() {
        return host.isEmpty() && mailbox.isPresent();
    }

    public boolean isGroupEnd() {
        return host.isEmpty() && mailbox.isEmpty();
    }
}
