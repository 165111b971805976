package org.postern.server.directory.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.directory.Account;
import org.postern.server.directory.Route;
import org.postern.server.store.AccountId;
import org.postern.wire.Secret;

class RouteTest {
    @TempDir
    Path dir;
    SqliteDirectory directory;
    Account alice, bob, carol, dave, daveSpecial;

    @BeforeEach
    void populate() {
        directory = SqliteDirectory.open(dir);
        directory.addDomain("example.org");
        directory.addDomain("example.net");
        alice = add("alice@example.org");
        bob = add("bob@example.org");
        carol = add("carol@example.net");
        dave = add("dave@example.org");
        daveSpecial = add("dave+special@example.org");
        directory.addAlias("team@example.org", List.of("alice@example.org", "bob@example.org"));
        directory.addAlias("sales@example.org", List.of("team@example.org", "carol@example.net", "alice@example.org"));
        directory.addAlias("ext@example.org", List.of("Friend@Elsewhere.COM"));
        directory.addAlias("mixed@example.org", List.of("bob@example.org", "friend@elsewhere.com"));
        directory.addAlias("loop1@example.org", List.of("alice@example.org"));
        directory.addAlias("loop2@example.org", List.of("loop1@example.org"));
        directory.addAlias("loop1@example.org", List.of("loop2@example.org"));   // loop1 -> alice, loop2 -> loop1
        directory.addAlias("@example.net", List.of("carol@example.net"));
    }

    @AfterEach
    void close() {
        directory.close();
    }

    private Account add(String address) {
        return directory.addAccount(address, Secret.of("pw"));
    }

    private Route local(Account... accounts) {
        return new Route.Local(ids(accounts), List.of());
    }

    private static List<AccountId> ids(Account... accounts) {
        List<AccountId> ids = new ArrayList<>();
        for (Account a : accounts) ids.add(a.id());
        return ids;
    }

    @Test
    void routesEachKindOfRecipient() {
        record Case(String address, Route expected) {}
        for (Case c : List.of(
                new Case("alice@example.org", local(alice)),
                new Case("ALICE@Example.ORG", local(alice)),
                new Case("  alice@example.org ", local(alice)),
                new Case("alice+news@example.org", local(alice)),
                new Case("Alice+News@example.org", local(alice)),
                new Case("alice+a+b@example.org", local(alice)),
                new Case("dave+special@example.org", local(daveSpecial)),     // exact match before plus
                new Case("dave+other@example.org", local(dave)),
                new Case("+tag@example.org", new Route.Unknown()),            // no base: not plus-addressing
                new Case("team@example.org", local(alice, bob)),
                new Case("team+x@example.org", local(alice, bob)),
                new Case("sales@example.org", local(alice, bob, carol)),     // chain, alice folded once
                new Case("ext@example.org", new Route.Local(List.of(), List.of("Friend@elsewhere.com"))),
                new Case("mixed@example.org", new Route.Local(ids(bob), List.of("friend@elsewhere.com"))),
                new Case("loop1@example.org", local(alice)),
                new Case("loop2@example.org", local(alice)),
                new Case("nobody@example.org", new Route.Unknown()),
                new Case("nobody@example.net", local(carol)),                // catch-all
                new Case("carol+x@example.net", local(carol)),               // plus before catch-all
                new Case("someone@elsewhere.com", new Route.Remote("someone@elsewhere.com")),
                new Case("Some.One@ELSEWHERE.com", new Route.Remote("Some.One@elsewhere.com")),
                new Case("not an address", new Route.Unknown()),
                new Case("bad..dots@example.org", new Route.Unknown()),
                new Case("bad..dots@elsewhere.com", new Route.Remote("bad..dots@elsewhere.com")))) {
            assertThat(directory.route(c.address())).as(c.address()).isEqualTo(c.expected());
        }
    }

    @Test
    void postmasterOfEveryLocalDomainIsAcceptedWithoutAnAccountOfItsOwn() {
        // RFC 5321 §4.5.1; example.net's catch-all takes its postmaster mail itself
        assertThat(directory.route("postmaster@example.org")).isEqualTo(new Route.Unknown());   // no postmaster yet
        Account site = add("postmaster@example.net");
        Account own = add("postmaster@example.org");
        assertThat(directory.route("PostMaster@example.org")).isEqualTo(local(own));
        directory.removeAccount(own.address());
        assertThat(directory.route("postmaster@example.org")).isEqualTo(local(site));
        assertThat(directory.route("postmaster@example.net")).isEqualTo(local(site));
        assertThat(directory.route("postmaster+x@example.org")).isEqualTo(new Route.Unknown());  // only the exact name
    }

    @Test
    void anAliasChainOfMaxDepthIsFollowedAndOneLongerIsNot() {
        chain("d", Routing.MAX_ALIAS_DEPTH);
        chain("e", Routing.MAX_ALIAS_DEPTH + 1);
        assertThat(directory.route("d1@example.org")).isEqualTo(local(alice));
        assertThat(directory.route("e1@example.org")).isEqualTo(new Route.Unknown());
        assertThat(directory.route("e2@example.org")).isEqualTo(local(alice));
    }

    /** prefix1 -> prefix2 -> … -> prefix{n} -> alice: n aliases. */
    private void chain(String prefix, int n) {
        directory.addAlias(prefix + n + "@example.org", List.of("alice@example.org"));
        for (int i = n - 1; i >= 1; i--)
            directory.addAlias(prefix + i + "@example.org", List.of(prefix + (i + 1) + "@example.org"));
    }

    @Test
    void expansionStopsAtMaxExpansionAddresses() {
        // the recipient itself is one of the addresses visited
        directory.addAlias("big@example.org", targets(Routing.MAX_EXPANSION - 1));
        directory.addAlias("bigger@example.org", targets(Routing.MAX_EXPANSION));
        assertThat(((Route.Local) directory.route("big@example.org")).forwards()).hasSize(Routing.MAX_EXPANSION - 1);
        assertThat(((Route.Local) directory.route("bigger@example.org")).forwards()).hasSize(Routing.MAX_EXPANSION - 1);
    }

    private static List<String> targets(int n) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < n; i++) t.add("user" + i + "@elsewhere.com");
        return t;
    }

    @Test
    void aRemovedAccountNamedByAnAliasReachesNothingUntilItIsBack() {
        directory.addAlias("solo@example.org", List.of("bob@example.org"));
        directory.removeAccount("bob@example.org");
        assertThat(directory.route("solo@example.org")).isEqualTo(new Route.Unknown());
        assertThat(directory.route("team@example.org")).isEqualTo(local(alice));
        Account bob2 = add("bob@example.org");
        assertThat(directory.route("solo@example.org")).isEqualTo(local(bob2));
    }

    @Test
    void maySendAsItsAddressesAndAliasesThatReachIt() {
        record Case(Account account, String from, boolean allowed) {}
        for (Case c : List.of(
                new Case(alice, "alice@example.org", true),
                new Case(alice, "ALICE@EXAMPLE.ORG", true),
                new Case(alice, "alice+lists@example.org", true),
                new Case(alice, "team@example.org", true),
                new Case(alice, "team+x@example.org", true),
                new Case(alice, "sales@example.org", true),
                new Case(alice, "loop2@example.org", true),
                new Case(alice, "bob@example.org", false),
                new Case(alice, "bob+alice@example.org", false),
                new Case(alice, "ext@example.org", false),
                new Case(alice, "alice@elsewhere.com", false),
                new Case(alice, "", false),
                new Case(alice, "nobody@example.org", false),
                new Case(carol, "sales@example.org", true),
                new Case(carol, "carol@example.net", true),
                new Case(carol, "nobody@example.net", false),      // a catch-all does not make every address yours
                new Case(dave, "dave+special@example.org", false), // that is another account
                new Case(daveSpecial, "dave+special@example.org", true),
                new Case(bob, "mixed@example.org", true))) {
            assertThat(directory.maySendAs(c.account(), c.from())).as(c.account().address() + " as " + c.from())
                    .isEqualTo(c.allowed());
        }
    }
}
