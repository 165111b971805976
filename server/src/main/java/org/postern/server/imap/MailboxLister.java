package org.postern.server.imap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxName;
import org.postern.server.store.SpecialUse;
import org.postern.wire.imap.ImapCommand;

/**
 * LIST and LSUB (RFC 9051 §6.3.9, RFC 3501 §6.3.9) with LIST-EXTENDED (RFC 5258), CHILDREN (RFC 3348), SPECIAL-USE
 * (RFC 6154): which mailboxes match the reference and patterns, and with which attributes. The session writes
 * the entries (and, for LIST-STATUS, a STATUS response after each selectable one); it answers the delimiter
 * query {@code LIST "" ""} itself, and asks {@link #badReason} before listing.
 *
 * <p>Every LIST entry carries {@code \HasChildren} or {@code \HasNoChildren} and an existing mailbox's special-use
 * attributes, asked for or not, as Dovecot does: RFC 5258 §4 lets the children attributes be "returned in
 * response to any LIST command", RFC 6154 §2 lets the special-use attributes be in the non-extended LIST and
 * RFC 5258 §3 lets an extended LIST include "any other information at will"; RFC 9051 §7.3.1 has both sets among
 * the base attributes. The RETURN options CHILDREN and SPECIAL-USE thus change nothing.
 *
 * <p>A name that is not a mailbox (a hierarchy level {@code %} reaches, a subscription whose mailbox is gone, a
 * RECURSIVEMATCH parent) is {@code \NonExistent}, which RFC 5258 §3 says "MUST be accurately computed" and which
 * implies \Noselect for a LIST-EXTENDED client (§3.4). A plain LIST adds {@code \Noselect}, the attribute RFC 9051
 * §6.3.9 and RFC 3501 §6.3.8 name for such a level and the one an IMAP4rev1 client knows.
 *
 * <p>Entries are in response order: INBOX first, then by name.
 */
public final class MailboxLister {
    private MailboxLister() {}

    static final String NON_EXISTENT = "\\NonExistent";
    static final String NOSELECT = "\\Noselect";
    static final String HAS_CHILDREN = "\\HasChildren";
    static final String HAS_NO_CHILDREN = "\\HasNoChildren";
    static final String SUBSCRIBED = "\\Subscribed";

    /** INBOX first, then the names in order (the order of {@code ReadTx.mailboxes()}). */
    private static final Comparator<String> RESPONSE_ORDER = Comparator
            .comparing((String n) -> !n.equals(MailboxName.INBOX.value())).thenComparing(Comparator.naturalOrder());

    /**
     * One LIST/LSUB response: {@code * LIST (attributes) "/" name} plus, with RECURSIVEMATCH, the extended item
     * {@code ("CHILDINFO" ("SUBSCRIBED"))}. {@code mailbox} is absent for a name that exists only as a parent
     * (\NonExistent or \Noselect).
     */
    public record Entry(MailboxName name, List<String> attributes, boolean childInfoSubscribed,
                        java.util.Optional<Mailbox> mailbox) {}

    /**
     * The entries for a LIST command, in response order. {@code utf8}: patterns and reference are UTF-8, not mUTF-7.
     * Only the subscriptions {@code all} shows (those of existing mailboxes) are seen: use
     * {@link #list(List, List, ImapCommand.List, boolean)} with {@code ReadTx.subscriptions()} so that LIST
     * (SUBSCRIBED) also returns subscribed names without a mailbox, as RFC 5258 §3.1 requires.
     */
    public static List<Entry> list(List<Mailbox> all, ImapCommand.List command, boolean utf8) {
        return list(all, List.of(), command, utf8);
    }

    /**
     * The entries for a LIST command; {@code subscriptions} are the account's subscribed names, with or without a
     * mailbox ({@code ReadTx.subscriptions()}). The command is expected to have passed {@link #badReason}; an
     * unknown option left in it is ignored here.
     */
    public static List<Entry> list(List<Mailbox> all, List<MailboxName> subscriptions, ImapCommand.List command,
                                   boolean utf8) {
        MailboxListOptions options = MailboxListOptions.of(command);
        List<MailboxPattern> patterns = patterns(command.reference(), command.patterns(), utf8);
        Names names = new Names(all, subscriptions);

        Set<String> selected = selected(names, options);
        Map<String, Boolean> found = new TreeMap<>(RESPONSE_ORDER);   // name -> CHILDINFO
        for (String n : selected) {
            if (matchesAny(patterns, n)) found.put(n, false);
        }
        if (options.recursiveMatch()) addChildInfoParents(selected, patterns, found);
        if (!options.selectSubscribed() && !options.selectSpecialUse()) {
            for (String level : levels(names.existing.keySet(), patterns)) found.putIfAbsent(level, false);
        }

        List<Entry> entries = new ArrayList<>(found.size());
        found.forEach((n, childInfo) -> {
            Mailbox box = names.existing.get(n);
            entries.add(new Entry(MailboxName.of(n), attributes(n, box, names, options), childInfo,
                    Optional.ofNullable(box)));
        });
        return List.copyOf(entries);
    }

    /** The names that meet the selection criteria; RFC 5258 §3: with several options a name must meet each one. */
    private static Set<String> selected(Names names, MailboxListOptions options) {
        Set<String> selected = new TreeSet<>();
        for (String n : options.selectSubscribed() ? names.subscribed : names.existing.keySet()) {
            if (!options.selectSpecialUse() || names.specialUse(n)) selected.add(n);
        }
        return selected;
    }

    /**
     * RFC 5258 §3.5: a parent matching a pattern gets CHILDINFO when a descendant meets the criteria; a parent that
     * does not meet them itself is listed only for a descendant not listed already (redundant CHILDINFO SHOULD be
     * suppressed).
     */
    private static void addChildInfoParents(Set<String> selected, List<MailboxPattern> patterns,
                                            Map<String, Boolean> found) {
        for (String n : selected) {
            boolean listed = found.containsKey(n);
            for (String parent : parents(n)) {
                if (!matchesAny(patterns, parent)) continue;
                if (selected.contains(parent) || !listed) found.put(parent, true);
            }
        }
    }

    private static List<String> attributes(String name, Mailbox box, Names names, MailboxListOptions options) {
        List<String> attributes = new ArrayList<>(4);
        if (box == null) {
            attributes.add(NON_EXISTENT);
            if (!options.extended()) attributes.add(NOSELECT);
        }
        attributes.add(names.hasChildren(name) ? HAS_CHILDREN : HAS_NO_CHILDREN);
        if (options.returnSubscribed() && names.subscribed.contains(name)) attributes.add(SUBSCRIBED);
        if (box != null) {
            for (SpecialUse use : SpecialUse.values()) {
                if (box.specialUse().contains(use)) attributes.add(use.attribute());
            }
        }
        return List.copyOf(attributes);
    }

    /**
     * The entries for an LSUB command. Only the subscriptions {@code all} shows are seen: use
     * {@link #lsub(List, List, ImapCommand.Lsub, boolean)} with {@code ReadTx.subscriptions()} to list subscribed
     * names without a mailbox too (RFC 3501 §6.3.9: a subscription is not removed with its mailbox).
     */
    public static List<Entry> lsub(List<Mailbox> all, ImapCommand.Lsub command, boolean utf8) {
        return lsub(all, List.of(), command, utf8);
    }

    /**
     * The entries for an LSUB command: the subscribed names that match, with no attributes, and (RFC 3501
     * §6.3.9) for a trailing {@code %} the unsubscribed parents of subscribed names, flagged {@code \Noselect}.
     */
    public static List<Entry> lsub(List<Mailbox> all, List<MailboxName> subscriptions, ImapCommand.Lsub command,
                                   boolean utf8) {
        List<MailboxPattern> patterns = patterns(command.reference(), List.of(command.pattern()), utf8);
        Names names = new Names(all, subscriptions);
        Map<String, List<String>> found = new TreeMap<>(RESPONSE_ORDER);
        for (String n : names.subscribed) {
            if (matchesAny(patterns, n)) found.put(n, List.of());
        }
        for (String level : levels(names.subscribed, patterns)) found.put(level, List.of(NOSELECT));
        List<Entry> entries = new ArrayList<>(found.size());
        found.forEach((n, attributes) -> entries.add(new Entry(MailboxName.of(n), attributes, false,
                Optional.ofNullable(names.existing.get(n)))));
        return List.copyOf(entries);
    }

    /** Why a LIST command must be answered BAD (an unknown option, RECURSIVEMATCH without SUBSCRIBED), if so. */
    public static Optional<String> badReason(ImapCommand.List command) {
        return MailboxListOptions.badReason(command);
    }

    /**
     * The canonical patterns. RFC 5258 §3: an empty pattern among several is ignored, and a pattern the server
     * does not accept (here: one that is not valid modified UTF-7) "MUST" be silently ignored.
     */
    private static List<MailboxPattern> patterns(String reference, List<String> wire, boolean utf8) {
        List<MailboxPattern> out = new ArrayList<>(wire.size());
        for (String p : wire) {
            if (p.isEmpty()) continue;
            try {
                out.add(MailboxPattern.compile(MailboxPattern.join(MailboxNames.decodePattern(reference, utf8),
                        MailboxNames.decodePattern(p, utf8))));
            } catch (MailboxNames.InvalidNameException ignored) {
                // silently ignored, as RFC 5258 §3 requires
            }
        }
        return out;
    }

    private static boolean matchesAny(List<MailboxPattern> patterns, String name) {
        for (MailboxPattern p : patterns) {
            if (p.matches(name)) return true;
        }
        return false;
    }

    /**
     * The parents of {@code names} that are not among them and that a pattern ending in "%" matches: RFC 9051
     * §6.3.9 (and RFC 3501 §6.3.9 for LSUB) returns such levels of hierarchy too.
     */
    private static Set<String> levels(Set<String> names, List<MailboxPattern> patterns) {
        List<MailboxPattern> levelPatterns = patterns.stream().filter(MailboxPattern::listsHierarchyLevels).toList();
        Set<String> levels = new TreeSet<>();
        if (levelPatterns.isEmpty()) return levels;
        for (String n : names) {
            for (String parent : parents(n)) {
                if (!names.contains(parent) && !levels.contains(parent) && matchesAny(levelPatterns, parent)) {
                    levels.add(parent);
                }
            }
        }
        return levels;
    }

    /** The names above {@code name}: "a", "a/b" for "a/b/c". */
    private static List<String> parents(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = name.indexOf(MailboxName.SEPARATOR); i > 0; i = name.indexOf(MailboxName.SEPARATOR, i + 1)) {
            out.add(name.substring(0, i));
        }
        return out;
    }

    /** The account's mailboxes by name and its subscribed names. */
    private static final class Names {
        final TreeMap<String, Mailbox> existing = new TreeMap<>();
        final TreeSet<String> subscribed = new TreeSet<>();

        Names(List<Mailbox> all, List<MailboxName> subscriptions) {
            for (Mailbox m : all) {
                existing.put(m.name().value(), m);
                if (m.subscribed()) subscribed.add(m.name().value());
            }
            for (MailboxName n : subscriptions) subscribed.add(n.value());
        }

        /** RFC 3348 / RFC 5258 §4: whether a mailbox exists below {@code name}. */
        boolean hasChildren(String name) {
            String prefix = name + MailboxName.SEPARATOR;
            String next = existing.ceilingKey(prefix);
            return next != null && next.startsWith(prefix);
        }

        boolean specialUse(String name) {
            Mailbox m = existing.get(name);
            return m != null && !m.specialUse().isEmpty();
        }
    }
}
