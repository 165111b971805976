package org.postern.client.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.wire.mime.Address;
import org.postern.wire.mime.AddressParser;
import org.postern.wire.mime.EncodedWords;

/**
 * Addresses as a person reads and types them: {@code Name <local@domain>} with the name decoded (RFC 2047) and
 * quoted when it holds specials, so the text parses back to the same mailbox.
 */
public final class Addresses {
    private Addresses() {}

    /** RFC 5322 §3.2.3 specials: a display name holding one is written as a quoted string. */
    private static final String SPECIALS = "()<>[]:;@\\,.\"";

    /** Every mailbox of an address-list value (group members flattened), formatted for people. */
    public static List<String> display(String headerValue) {
        List<String> out = new ArrayList<>();
        for (Address.Mailbox m : mailboxes(headerValue)) out.add(display(m));
        return out;
    }

    /** Every mailbox of an address-list value, groups flattened; mailboxes without an address left out. */
    public static List<Address.Mailbox> mailboxes(String headerValue) {
        List<Address.Mailbox> out = new ArrayList<>();
        for (Address a : AddressParser.parseList(headerValue)) {
            switch (a) {
                case Address.Mailbox m -> { if (!m.localPart().isEmpty()) out.add(m); }
                case Address.Group g -> g.members().stream().filter(m -> !m.localPart().isEmpty()).forEach(out::add);
            }
        }
        return out;
    }

    /** {@code Name <address>} or the bare address when there is no name. */
    public static String display(Address.Mailbox m) {
        Optional<String> name = displayName(m);
        return name.isEmpty() ? m.address() : quoteIfNeeded(name.get()) + " <" + m.address() + ">";
    }

    /** The decoded display name, without control characters; empty when there is none. */
    public static Optional<String> displayName(Address.Mailbox m) {
        return m.name().map(EncodedWords::decode).map(n -> n.replaceAll("\\p{Cntrl}", " ").strip())
                .filter(n -> !n.isEmpty());
    }

    /** The address part of one typed address ("Ann <ann@example.org>" gives "ann@example.org"), lower case. */
    public static String addressOf(String typed) {
        List<Address.Mailbox> m = mailboxes(typed);
        return (m.isEmpty() ? typed.strip() : m.getFirst().address()).toLowerCase(Locale.ROOT);
    }

    static String quoteIfNeeded(String name) {
        boolean special = false;
        for (int i = 0; i < name.length(); i++) if (SPECIALS.indexOf(name.charAt(i)) >= 0) special = true;
        if (!special) return name;
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
