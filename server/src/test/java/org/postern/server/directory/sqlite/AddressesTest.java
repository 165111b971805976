package org.postern.server.directory.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.server.directory.DirectoryException;

class AddressesTest {
    private static final String L63 = "a".repeat(63);

    record Case(String input, String expected) {}   // expected null: refused

    @Test
    void domainsAreValidatedAndNormalized() {
        for (Case c : List.of(
                new Case("example.org", "example.org"),
                new Case("Example.ORG", "example.org"),
                new Case(" example.org ", "example.org"),
                new Case("localhost", "localhost"),
                new Case("a-b.c0.example", "a-b.c0.example"),
                new Case("3com.example", "3com.example"),
                new Case("B\u00fccher.example", "xn--bcher-kva.example"),
                new Case("xn--bcher-kva.example", "xn--bcher-kva.example"),
                new Case(L63 + ".example", L63 + ".example"),
                new Case(L63 + "a.example", null),
                new Case(String.join(".", L63, L63, L63, L63), String.join(".", L63, L63, L63, L63)),  // 255
                new Case("a." + String.join(".", L63, L63, L63, "a".repeat(62)), null),            // 256
                new Case("", null),
                new Case("example.org.", null),
                new Case(".example.org", null),
                new Case("exa..mple.org", null),
                new Case("-example.org", null),
                new Case("example-.org", null),
                new Case("exa_mple.org", null),
                new Case("exa mple.org", null),
                new Case("[192.0.2.1]", null),
                new Case("user@example.org", null))) {
            if (c.expected() == null)
                assertThatThrownBy(() -> Addresses.domain(c.input())).as(c.input()).isInstanceOf(DirectoryException.class);
            else
                assertThat(Addresses.domain(c.input())).as(c.input()).isEqualTo(c.expected());
        }
    }

    @Test
    void addressesAreValidatedAndNormalized() {
        String l64 = "b".repeat(64);
        for (Case c : List.of(
                new Case("alice@example.org", "alice@example.org"),
                new Case("Alice.Smith@Example.org", "alice.smith@example.org"),
                new Case("a+tag@example.org", "a+tag@example.org"),
                new Case("!#$%&'*+-/=?^_`{|}~@example.org", "!#$%&'*+-/=?^_`{|}~@example.org"),
                new Case(l64 + "@example.org", l64 + "@example.org"),
                new Case(l64 + "b@example.org", null),
                new Case("@example.org", null),
                new Case("alice", null),
                new Case("alice@", null),
                new Case(".alice@example.org", null),
                new Case("alice.@example.org", null),
                new Case("al..ice@example.org", null),
                new Case("\"al ice\"@example.org", null),
                new Case("al ice@example.org", null),
                new Case("al@ice@example.org", null),
                new Case("j\u00f6rg@example.org", null))) {
            if (c.expected() == null)
                assertThatThrownBy(() -> Addresses.address(c.input())).as(c.input()).isInstanceOf(DirectoryException.class);
            else
                assertThat(Addresses.address(c.input())).as(c.input()).isEqualTo(c.expected());
        }
    }

    @Test
    void aliasSourcesAreAddressesOrCatchAlls() {
        assertThat(Addresses.aliasSource("@Example.org")).isEqualTo("@example.org");
        assertThat(Addresses.aliasSource("Info@Example.org")).isEqualTo("info@example.org");
        assertThatThrownBy(() -> Addresses.aliasSource("@")).isInstanceOf(DirectoryException.class);
    }
}
