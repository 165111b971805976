package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.SpecialUse;
import org.postern.wire.imap.ImapCommand;

/**
 * LIST and LSUB: the RFC 5258 §5 examples, reference and pattern combinations, wildcards, mUTF-7 and UTF-8 patterns,
 * SPECIAL-USE and LSUB's \Noselect. Each entry is shown as {@code (attributes) name}, with {@code CHILDINFO} after it
 * when the extended item is returned.
 *
 * <p>Where this server differs from an example: every entry carries \HasChildren or \HasNoChildren (RFC 5258 §4:
 * "MAY be returned in response to any LIST command"); \Marked and \NoInferiors are never returned (INBOX can have
 * children here).
 */
class MailboxListerTest {
    private static final boolean MUTF7 = false;
    private static final boolean UTF8 = true;

    /** A mailbox list; names are mailboxes, "+name" a subscribed mailbox. Subscriptions without mailbox apart. */
    private record Account(List<Mailbox> boxes, List<MailboxName> subscriptions) {
        static Account of(String... names) {
            return new Account(MailboxListerTest.boxes(names), List.of());
        }

        Account subscribedWithoutMailbox(String... names) {
            return new Account(boxes, Arrays.stream(names).map(MailboxName::of).toList());
        }

        Account with(Mailbox box) {
            List<Mailbox> all = new ArrayList<>(boxes);
            all.add(box);
            return new Account(all, subscriptions);
        }
    }

    private record Case(String command, Account account, List<String> select, String reference, List<String> patterns,
                        List<String> returns, boolean utf8, List<String> expected) {}

    private static final AtomicLong IDS = new AtomicLong();

    private static List<Mailbox> boxes(String... names) {
        List<Mailbox> out = new ArrayList<>();
        for (String n : names) {
            boolean subscribed = n.startsWith("+");
            out.add(box(subscribed ? n.substring(1) : n, subscribed));
        }
        return out;
    }

    private static Mailbox box(String name, boolean subscribed, SpecialUse... use) {
        Set<SpecialUse> uses = use.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(use));
        return new Mailbox(new MailboxId(IDS.incrementAndGet()), MailboxName.of(name), 1, 1, 0, uses, subscribed);
    }

    private static Case list(String command, Account account, List<String> select, String reference, List<String> patterns,
                             List<String> returns, String... expected) {
        return new Case(command, account, select, reference, patterns, returns, MUTF7, List.of(expected));
    }

    private static Case list(String command, Account account, String reference, String pattern, String... expected) {
        return list(command, account, List.of(), reference, List.of(pattern), List.of(), expected);
    }

    private static List<String> shown(List<MailboxLister.Entry> entries) {
        return entries.stream().map(e -> "(" + String.join(" ", e.attributes()) + ") " + e.name().value()
                + (e.childInfoSubscribed() ? " CHILDINFO" : "")).toList();
    }

    private static void check(List<Case> cases) {
        for (Case c : cases) {
            ImapCommand.List command = new ImapCommand.List("t", c.select(), c.reference(), c.patterns(), c.returns(),
                    Optional.empty());
            assertThat(MailboxLister.badReason(command)).as(c.command()).isEmpty();
            List<MailboxLister.Entry> entries = MailboxLister.list(c.account().boxes(), c.account().subscriptions(),
                    command, c.utf8());
            assertThat(shown(entries)).as(c.command()).containsExactlyElementsOf(c.expected());
        }
    }

    // RFC 5258 §5 examples 1 to 6
    private static final Account FOOD = Account.of("+inbox", "Fruit", "Fruit/Apple", "+Fruit/Banana", "Tofu",
            "+Vegetable", "+Vegetable/Broccoli", "Vegetable/Corn").subscribedWithoutMailbox("Fruit/Peach");

    @Test
    void rfc5258Examples1To6() {
        List<String> subscribed = List.of("(\\HasNoChildren \\Subscribed) INBOX",
                "(\\HasNoChildren \\Subscribed) Fruit/Banana", "(\\NonExistent \\HasNoChildren \\Subscribed) Fruit/Peach",
                "(\\HasChildren \\Subscribed) Vegetable", "(\\HasNoChildren \\Subscribed) Vegetable/Broccoli");
        List<String> top = List.of("(\\HasNoChildren) INBOX", "(\\HasChildren) Fruit", "(\\HasNoChildren) Tofu",
                "(\\HasChildren) Vegetable");
        check(List.of(
                list("A01 LIST \"\" *", FOOD, "", "*", "(\\HasNoChildren) INBOX", "(\\HasChildren) Fruit",
                        "(\\HasNoChildren) Fruit/Apple", "(\\HasNoChildren) Fruit/Banana", "(\\HasNoChildren) Tofu",
                        "(\\HasChildren) Vegetable", "(\\HasNoChildren) Vegetable/Broccoli",
                        "(\\HasNoChildren) Vegetable/Corn"),
                list("A02 LIST (SUBSCRIBED) \"\" *", FOOD, List.of("SUBSCRIBED"), "", List.of("*"), List.of(),
                        subscribed.toArray(String[]::new)),
                list("A03 LIST () \"\" % RETURN (CHILDREN)", FOOD, List.of(), "", List.of("%"), List.of("CHILDREN"),
                        top.toArray(String[]::new)),
                list("A04 LIST (REMOTE) \"\" % RETURN (CHILDREN)", FOOD, List.of("REMOTE"), "", List.of("%"),
                        List.of("CHILDREN"), top.toArray(String[]::new)),
                list("A05 LIST (REMOTE SUBSCRIBED) \"\" *", FOOD, List.of("REMOTE", "SUBSCRIBED"), "", List.of("*"),
                        List.of(), subscribed.toArray(String[]::new)),
                list("A06 LIST (REMOTE) \"\" * RETURN (SUBSCRIBED)", FOOD, List.of("REMOTE"), "", List.of("*"),
                        List.of("SUBSCRIBED"), "(\\HasNoChildren \\Subscribed) INBOX", "(\\HasChildren) Fruit",
                        "(\\HasNoChildren) Fruit/Apple", "(\\HasNoChildren \\Subscribed) Fruit/Banana",
                        "(\\HasNoChildren) Tofu", "(\\HasChildren \\Subscribed) Vegetable",
                        "(\\HasNoChildren \\Subscribed) Vegetable/Broccoli", "(\\HasNoChildren) Vegetable/Corn")));
    }

    @Test
    void rfc5258Example7SeveralPatterns() {
        Account account = Account.of("INBOX", "Drafts", "Sent", "Sent/March2004", "Sent/December2003",
                "Sent/August2004");
        check(List.of(list("BBB LIST \"\" (\"INBOX\" \"Drafts\" \"Sent/%\")", account, List.of(), "",
                List.of("INBOX", "Drafts", "Sent/%"), List.of(), "(\\HasNoChildren) INBOX", "(\\HasNoChildren) Drafts",
                "(\\HasNoChildren) Sent/August2004", "(\\HasNoChildren) Sent/December2003",
                "(\\HasNoChildren) Sent/March2004")));
    }

    @Test
    void rfc5258Example8ChildrenAndChildInfo() {
        String[] hierarchy = {"inbox", "Foo", "Foo/Bar", "Foo/Baz", "Moo"};
        List<String> subscribedRecursive = List.of("SUBSCRIBED", "RECURSIVEMATCH");
        Account a = Account.of("inbox", "Foo", "Foo/Bar", "+Foo/Baz", "Moo");
        Account a1 = Account.of("inbox", "+Foo", "Foo/Bar", "+Foo/Baz", "Moo");
        Account a2 = Account.of("inbox", "Foo/Bar", "+Foo/Baz", "Moo");
        Account b = Account.of(hierarchy);
        Account c = Account.of("inbox", "+Foo", "Foo/Bar", "Foo/Baz", "+Moo");
        check(List.of(
                list("CA3 LIST \"\" % RETURN (CHILDREN)", b, List.of(), "", List.of("%"), List.of("CHILDREN"),
                        "(\\HasNoChildren) INBOX", "(\\HasChildren) Foo", "(\\HasNoChildren) Moo"),
                list("C02 LIST (SUBSCRIBED) \"\" *", a, List.of("SUBSCRIBED"), "", List.of("*"), List.of(),
                        "(\\HasNoChildren \\Subscribed) Foo/Baz"),
                list("LIST (SUBSCRIBED) \"\" %", a, List.of("SUBSCRIBED"), "", List.of("%"), List.of()),
                list("C04 (A)", a, subscribedRecursive, "", List.of("%"), List.of(), "(\\HasChildren) Foo CHILDINFO"),
                list("C04 (A1)", a1, subscribedRecursive, "", List.of("%"), List.of(),
                        "(\\HasChildren \\Subscribed) Foo CHILDINFO"),
                list("C04 (A2)", a2, subscribedRecursive, "", List.of("%"), List.of(),
                        "(\\NonExistent \\HasChildren) Foo CHILDINFO"),
                list("C04 (B)", b, subscribedRecursive, "", List.of("%"), List.of()),
                list("C04 (C)", c, subscribedRecursive, "", List.of("%"), List.of("CHILDREN"),
                        "(\\HasChildren \\Subscribed) Foo", "(\\HasNoChildren \\Subscribed) Moo")));
    }

    @Test
    void rfc5258Example9ChildInfoWhateverTheChildrenMatch() {
        Account account = Account.of("inbox", "foo2", "+foo2/bar1", "+foo2/bar2", "baz2", "+baz2/bar2", "+baz2/bar22",
                "+baz2/bar222", "+eps2", "+eps2/mamba", "+qux2/bar2");
        List<String> subscribedRecursive = List.of("RECURSIVEMATCH", "SUBSCRIBED");
        check(List.of(
                list("D03 LIST (RECURSIVEMATCH SUBSCRIBED) \"\" *2", account, subscribedRecursive, "", List.of("*2"),
                        List.of(), "(\\HasNoChildren \\Subscribed) baz2/bar2", "(\\HasNoChildren \\Subscribed) baz2/bar22",
                        "(\\HasNoChildren \\Subscribed) baz2/bar222", "(\\HasChildren \\Subscribed) eps2 CHILDINFO",
                        "(\\HasChildren) foo2 CHILDINFO", "(\\HasNoChildren \\Subscribed) foo2/bar2",
                        "(\\HasNoChildren \\Subscribed) qux2/bar2"),
                // the example also lists foo2 and baz2 here; RFC 5258 §3.5 says a parent that does not meet the
                // criteria SHOULD be listed only for a child not listed already, and every child is listed
                list("D03 LIST (RECURSIVEMATCH SUBSCRIBED) \"\" *", account, subscribedRecursive, "", List.of("*"),
                        List.of(), "(\\HasNoChildren \\Subscribed) baz2/bar2", "(\\HasNoChildren \\Subscribed) baz2/bar22",
                        "(\\HasNoChildren \\Subscribed) baz2/bar222", "(\\HasChildren \\Subscribed) eps2 CHILDINFO",
                        "(\\HasNoChildren \\Subscribed) eps2/mamba", "(\\HasNoChildren \\Subscribed) foo2/bar1",
                        "(\\HasNoChildren \\Subscribed) foo2/bar2", "(\\HasNoChildren \\Subscribed) qux2/bar2")));
    }

    @Test
    void rfc5258Examples10And11() {
        Account foo = Account.of("foo").subscribedWithoutMailbox("foo/bar");
        Account music = Account.of("music/rock");
        check(List.of(
                list("a1 LIST \"\" (foo foo/*)", foo, List.of(), "", List.of("foo", "foo/*"), List.of(),
                        "(\\HasNoChildren) foo"),
                list("a2 LIST (SUBSCRIBED) \"\" foo/*", foo, List.of("SUBSCRIBED"), "", List.of("foo/*"), List.of(),
                        "(\\NonExistent \\HasNoChildren \\Subscribed) foo/bar"),
                list("a3 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" foo RETURN (CHILDREN)", foo,
                        List.of("SUBSCRIBED", "RECURSIVEMATCH"), "", List.of("foo"), List.of("CHILDREN"),
                        "(\\HasNoChildren) foo CHILDINFO"),
                list("a1 LIST (REMOTE) \"\" *", music, List.of("REMOTE"), "", List.of("*"), List.of(),
                        "(\\HasNoChildren) music/rock"),
                list("a3 LIST (REMOTE) \"\" %", music, List.of("REMOTE"), "", List.of("%"), List.of(),
                        "(\\NonExistent \\HasChildren) music"),
                // plain LIST: \Noselect too, the attribute RFC 9051 §6.3.9 names for such a level
                list("LIST \"\" %", music, "", "%", "(\\NonExistent \\Noselect \\HasChildren) music"),
                list("a3.1 LIST \"\" (% music/rock)", music, List.of(), "", List.of("%", "music/rock"), List.of(),
                        "(\\NonExistent \\HasChildren) music", "(\\HasNoChildren) music/rock")));
    }

    private static final Account WORK = Account.of("INBOX", "INBOX/Sub", "Work", "Work/Projects", "Work/Projects/2024",
            "Workshop", "Tofu");

    @Test
    void referenceAndPattern() {
        check(List.of(
                list("LIST Work/ %", WORK, "Work/", "%", "(\\HasChildren) Work/Projects"),
                list("LIST Work /%", WORK, "Work", "/%", "(\\HasChildren) Work/Projects"),
                list("LIST Work/ /% (one delimiter)", WORK, "Work/", "/%", "(\\HasChildren) Work/Projects"),
                list("LIST Work % (appended)", WORK, "Work", "%", "(\\HasChildren) Work", "(\\HasNoChildren) Workshop"),
                list("LIST Work/ *", WORK, "Work/", "*", "(\\HasChildren) Work/Projects",
                        "(\\HasNoChildren) Work/Projects/2024"),
                list("LIST \"\" Work/*", WORK, "", "Work/*", "(\\HasChildren) Work/Projects",
                        "(\\HasNoChildren) Work/Projects/2024"),
                list("LIST Work/Projects/ 2024", WORK, "Work/Projects/", "2024", "(\\HasNoChildren) Work/Projects/2024"),
                list("LIST inbox/ %", WORK, "inbox/", "%", "(\\HasNoChildren) INBOX/Sub"),
                list("LIST INBOX \"\" (delimiter query is the session's)", WORK, List.of(), "INBOX", List.of(""),
                        List.of())));
    }

    @Test
    void wildcards() {
        check(List.of(
                list("LIST \"\" %", WORK, "", "%", "(\\HasChildren) INBOX", "(\\HasNoChildren) Tofu",
                        "(\\HasChildren) Work", "(\\HasNoChildren) Workshop"),
                list("LIST \"\" %/%", WORK, "", "%/%", "(\\HasNoChildren) INBOX/Sub", "(\\HasChildren) Work/Projects"),
                list("LIST \"\" W*s", WORK, "", "W*s", "(\\HasChildren) Work/Projects"),
                list("LIST \"\" W%s", WORK, "", "W%s"),
                list("LIST \"\" W%p", WORK, "", "W%p", "(\\HasNoChildren) Workshop"),
                list("LIST \"\" *4", WORK, "", "*4", "(\\HasNoChildren) Work/Projects/2024"),
                list("LIST \"\" %%*%", WORK, "", "%%*%", "(\\HasChildren) INBOX", "(\\HasNoChildren) INBOX/Sub",
                        "(\\HasNoChildren) Tofu", "(\\HasChildren) Work", "(\\HasChildren) Work/Projects",
                        "(\\HasNoChildren) Work/Projects/2024", "(\\HasNoChildren) Workshop"),
                list("LIST \"\" Tofu", WORK, "", "Tofu", "(\\HasNoChildren) Tofu"),
                list("LIST \"\" tofu (case-sensitive)", WORK, "", "tofu"),
                list("LIST \"\" iNbOx", WORK, "", "iNbOx", "(\\HasChildren) INBOX"),
                list("LIST \"\" in*", WORK, "", "in*", "(\\HasChildren) INBOX", "(\\HasNoChildren) INBOX/Sub"),
                list("LIST \"\" inbox/sub (only INBOX is caseless)", WORK, "", "inbox/sub"),
                list("LIST \"\" (Work W* Work) each once", WORK, List.of(), "", List.of("Work", "W*", "Work"), List.of(),
                        "(\\HasChildren) Work", "(\\HasChildren) Work/Projects", "(\\HasNoChildren) Work/Projects/2024",
                        "(\\HasNoChildren) Workshop"),
                list("LIST \"\" (\"\" Tofu): the empty pattern is ignored", WORK, List.of(), "", List.of("", "Tofu"),
                        List.of(), "(\\HasNoChildren) Tofu"),
                list("LIST \"\" (&Jjo Tofu): an invalid pattern is ignored", WORK, List.of(), "", List.of("&Jjo", "Tofu"),
                        List.of(), "(\\HasNoChildren) Tofu"),
                list("LIST &Jjo *: an invalid reference matches nothing", WORK, "&Jjo", "*")));
    }

    @Test
    void levelsOfHierarchyThatAreNotMailboxes() {
        Account ab = Account.of("+a/b");
        Account deep = Account.of("x/y/z");
        check(List.of(
                list("LIST \"\" %", ab, "", "%", "(\\NonExistent \\Noselect \\HasChildren) a"),
                list("LIST \"\" *", ab, "", "*", "(\\HasNoChildren) a/b"),
                list("LIST \"\" a/%", ab, "", "a/%", "(\\HasNoChildren) a/b"),
                list("LIST \"\" a (no trailing %)", ab, "", "a"),
                list("LIST \"\" % RETURN (CHILDREN)", ab, List.of(), "", List.of("%"), List.of("CHILDREN"),
                        "(\\NonExistent \\HasChildren) a"),
                list("LIST (SUBSCRIBED) \"\" %", ab, List.of("SUBSCRIBED"), "", List.of("%"), List.of()),
                list("LIST \"\" %/%", deep, "", "%/%", "(\\NonExistent \\Noselect \\HasChildren) x/y"),
                list("LIST \"\" x/%", deep, "", "x/%", "(\\NonExistent \\Noselect \\HasChildren) x/y"),
                list("LIST \"\" *", deep, "", "*", "(\\HasNoChildren) x/y/z")));
    }

    @Test
    void utf8AndModifiedUtf7Patterns() {
        Account account = Account.of("Entwürfe", "Entwürfe/Alt", "日本語");
        check(List.of(
                list("LIST \"\" Entw&APw-rfe", account, "", "Entw&APw-rfe", "(\\HasChildren) Entwürfe"),
                list("LIST Entw&APw-rfe/ %", account, "Entw&APw-rfe/", "%", "(\\HasNoChildren) Entwürfe/Alt"),
                list("LIST \"\" &ZeVnLIqe-", account, "", "&ZeVnLIqe-", "(\\HasNoChildren) 日本語"),
                list("LIST \"\" Entwürfe: raw 8-bit is not mUTF-7, ignored", account, "", "Entwürfe"),
                new Case("LIST \"\" Entwürfe (UTF-8)", account, List.of(), "", List.of("Entwürfe"), List.of(), UTF8,
                        List.of("(\\HasChildren) Entwürfe")),
                new Case("LIST Entwürfe/ * (UTF-8)", account, List.of(), "Entwürfe/", List.of("*"), List.of(), UTF8,
                        List.of("(\\HasNoChildren) Entwürfe/Alt")),
                new Case("LIST \"\" Entw&APw-rfe (UTF-8: a literal name)", account, List.of(), "",
                        List.of("Entw&APw-rfe"), List.of(), UTF8, List.of())));
    }

    @Test
    void specialUse() {
        Account account = new Account(List.of(box("INBOX", true), box("Archive", false, SpecialUse.ARCHIVE),
                box("Sent", true, SpecialUse.SENT), box("Trash", true, SpecialUse.TRASH), box("Work", true),
                box("Work/Drafts", false, SpecialUse.DRAFTS), box("Everything", false, SpecialUse.FLAGGED,
                        SpecialUse.ALL)), List.of());
        check(List.of(
                list("LIST (SPECIAL-USE) \"\" *", account, List.of("SPECIAL-USE"), "", List.of("*"), List.of(),
                        "(\\HasNoChildren \\Archive) Archive", "(\\HasNoChildren \\All \\Flagged) Everything",
                        "(\\HasNoChildren \\Sent) Sent", "(\\HasNoChildren \\Trash) Trash",
                        "(\\HasNoChildren \\Drafts) Work/Drafts"),
                list("LIST (SPECIAL-USE) \"\" %", account, List.of("SPECIAL-USE"), "", List.of("%"), List.of(),
                        "(\\HasNoChildren \\Archive) Archive", "(\\HasNoChildren \\All \\Flagged) Everything",
                        "(\\HasNoChildren \\Sent) Sent", "(\\HasNoChildren \\Trash) Trash"),
                list("LIST (SPECIAL-USE SUBSCRIBED) \"\" *", account, List.of("SPECIAL-USE", "SUBSCRIBED"), "",
                        List.of("*"), List.of(), "(\\HasNoChildren \\Subscribed \\Sent) Sent",
                        "(\\HasNoChildren \\Subscribed \\Trash) Trash"),
                // plain LIST: the special-use attributes all the same (RFC 6154 §2)
                list("LIST \"\" %", account, "", "%", "(\\HasNoChildren) INBOX", "(\\HasNoChildren \\Archive) Archive",
                        "(\\HasNoChildren \\All \\Flagged) Everything", "(\\HasNoChildren \\Sent) Sent",
                        "(\\HasNoChildren \\Trash) Trash", "(\\HasChildren) Work"),
                list("LIST \"\" Work/% RETURN (SPECIAL-USE)", account, List.of(), "", List.of("Work/%"),
                        List.of("SPECIAL-USE"), "(\\HasNoChildren \\Drafts) Work/Drafts")));
    }

    @Test
    void entriesCarryTheMailboxWhenItExists() {
        Account account = Account.of("+a/b").subscribedWithoutMailbox("gone");
        ImapCommand.List command = new ImapCommand.List("t", List.of("SUBSCRIBED"), "", List.of("*"), List.of(),
                Optional.empty());
        List<MailboxLister.Entry> entries = MailboxLister.list(account.boxes(), account.subscriptions(), command, MUTF7);

        assertThat(entries).extracting(e -> e.name().value()).containsExactly("a/b", "gone");
        assertThat(entries.get(0).mailbox()).contains(account.boxes().get(0));
        assertThat(entries.get(1).mailbox()).isEmpty();
        // without the subscriptions, only those of existing mailboxes are seen
        assertThat(MailboxLister.list(account.boxes(), command, MUTF7)).extracting(e -> e.name().value())
                .containsExactly("a/b");
    }

    @Test
    void inboxComesFirst() {
        Account account = Account.of("Archive", "+INBOX", "INBOX/Later", "A b", "Zeta");
        check(List.of(list("LIST \"\" *", account, "", "*", "(\\HasChildren) INBOX", "(\\HasNoChildren) A b",
                "(\\HasNoChildren) Archive", "(\\HasNoChildren) INBOX/Later", "(\\HasNoChildren) Zeta")));
    }

    @Test
    void badCombinationsAndUnknownOptions() {
        record Bad(List<String> select, List<String> returns, String reason) {}
        for (Bad c : List.of(
                new Bad(List.of("RECURSIVEMATCH"), List.of(), "RECURSIVEMATCH needs the SUBSCRIBED selection option"),
                new Bad(List.of("REMOTE", "RECURSIVEMATCH"), List.of(),
                        "RECURSIVEMATCH needs the SUBSCRIBED selection option"),
                new Bad(List.of("SPECIAL-USE", "RECURSIVEMATCH"), List.of(),
                        "RECURSIVEMATCH needs the SUBSCRIBED selection option"),
                new Bad(List.of("SUBSCRIBED", "FOO"), List.of(), "unknown LIST selection option FOO"),
                new Bad(List.of(), List.of("CHILDREN", "MYRIGHTS"), "unknown LIST return option MYRIGHTS"))) {
            ImapCommand.List command = new ImapCommand.List("t", c.select(), "", List.of("*"), c.returns(),
                    Optional.empty());
            assertThat(MailboxLister.badReason(command)).as(c.toString()).contains(c.reason());
        }
        for (List<String> select : List.of(List.<String>of(), List.of("REMOTE"), List.of("SUBSCRIBED"),
                List.of("SUBSCRIBED", "RECURSIVEMATCH"), List.of("REMOTE", "RECURSIVEMATCH", "SUBSCRIBED"),
                List.of("SPECIAL-USE"), List.of("SUBSCRIBED", "SUBSCRIBED"))) {
            ImapCommand.List command = new ImapCommand.List("t", select, "", List.of("*"),
                    List.of("SUBSCRIBED", "CHILDREN", "SPECIAL-USE"), Optional.empty());
            assertThat(MailboxLister.badReason(command)).as(select.toString()).isEmpty();
        }
    }

    @Test
    void patternMatching() {
        record Match(String pattern, String name, boolean matches) {}
        for (Match c : List.of(
                new Match("*", "a/b/c", true),
                new Match("%", "a/b", false),
                new Match("a/%", "a/b", true),
                new Match("a/%", "a/b/c", false),
                new Match("a/*", "a/b/c", true),
                new Match("a*c", "a/b/c", true),
                new Match("a%c", "a/b/c", false),
                new Match("a%c", "abc", true),
                new Match("%%%", "abc", true),
                new Match("*%*", "a/b", true),
                new Match("%*", "a/b", true),                 // a run holding "*" is "*"
                new Match("%/%/%", "a/b/c", true),
                new Match("%/%/%", "a/b", false),
                new Match("a", "ab", false),
                new Match("", "a", false),
                new Match("abc", "ab", false),
                new Match("inbox", "INBOX", true),
                new Match("InBoX/*", "INBOX/x", true),
                new Match("inbox/X", "INBOX/x", false),         // only the INBOX level is caseless
                new Match("inbox*", "INBOXES", false),          // "INBOXES" is not INBOX: case-sensitive
                new Match("INBOX*", "INBOXES", true),
                new Match("i%", "INBOX", true))) {
            assertThat(MailboxPattern.compile(c.pattern()).matches(c.name())).as(c.toString()).isEqualTo(c.matches());
        }
        record Join(String reference, String pattern, String canonical) {}
        for (Join c : List.of(new Join("", "%", "%"), new Join("a/", "%", "a/%"), new Join("a", "/%", "a/%"),
                new Join("a/", "/%", "a/%"), new Join("a", "%", "a%"), new Join("a/", "", "a/"))) {
            assertThat(MailboxPattern.join(c.reference(), c.pattern())).as(c.toString()).isEqualTo(c.canonical());
        }
    }

    private static final Account SUBSCRIPTIONS = Account.of("+INBOX", "foo", "+foo/bar", "+Work", "Work/x", "Deep",
            "+Deep/a/b").subscribedWithoutMailbox("Lists/gone");

    @Test
    void lsub() {
        record Lsub(String reference, String pattern, List<String> expected) {}
        for (Lsub c : List.of(
                new Lsub("", "*", List.of("() INBOX", "() Deep/a/b", "() Lists/gone", "() Work", "() foo/bar")),
                // RFC 3501 §6.3.9: "%" returns the unsubscribed parent of a subscribed name, flagged \Noselect
                new Lsub("", "%", List.of("() INBOX", "(\\Noselect) Deep", "(\\Noselect) Lists", "() Work",
                        "(\\Noselect) foo")),
                new Lsub("", "%/%", List.of("(\\Noselect) Deep/a", "() Lists/gone", "() foo/bar")),
                new Lsub("foo/", "%", List.of("() foo/bar")),
                new Lsub("", "f*", List.of("() foo/bar")),
                new Lsub("", "Work/*", List.of()),
                new Lsub("", "inbox", List.of("() INBOX")),
                new Lsub("", "", List.of()))) {
            ImapCommand.Lsub command = new ImapCommand.Lsub("t", c.reference(), c.pattern());
            List<MailboxLister.Entry> entries = MailboxLister.lsub(SUBSCRIPTIONS.boxes(), SUBSCRIPTIONS.subscriptions(),
                    command, MUTF7);
            assertThat(shown(entries)).as(c.toString()).containsExactlyElementsOf(c.expected());
        }
    }

    @Test
    void lsubWithoutTheSubscriptionListSeesOnlyExistingMailboxes() {
        List<MailboxLister.Entry> entries = MailboxLister.lsub(SUBSCRIPTIONS.boxes(),
                new ImapCommand.Lsub("t", "", "*"), MUTF7);
        assertThat(shown(entries)).containsExactly("() INBOX", "() Deep/a/b", "() Work", "() foo/bar");
        assertThat(entries.get(0).mailbox()).isPresent();
    }

    @Test
    void lsubUtf8AndModifiedUtf7() {
        Account account = Account.of("+Entwürfe/Alt");
        assertThat(shown(MailboxLister.lsub(account.boxes(), new ImapCommand.Lsub("t", "", "Entw&APw-rfe/*"), MUTF7)))
                .containsExactly("() Entwürfe/Alt");
        assertThat(shown(MailboxLister.lsub(account.boxes(), new ImapCommand.Lsub("t", "", "%"), UTF8)))
                .containsExactly("(\\Noselect) Entwürfe");
        assertThat(shown(MailboxLister.lsub(account.boxes(), new ImapCommand.Lsub("t", "", "Entwürfe/*"), MUTF7)))
                .isEmpty();
    }
}
