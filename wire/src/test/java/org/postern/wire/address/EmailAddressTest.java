package org.postern.wire.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmailAddressTest {
    record Case(String text, boolean utf8, String local, String domain) {}

    @Test
    void parsesValidMailboxes() {
        for (var c : List.of(
                new Case("user@example.org", false, "user", "example.org"),
                new Case("First.Last@Example.ORG", false, "First.Last", "example.org"),
                new Case("a+tag@sub-domain.example", false, "a+tag", "sub-domain.example"),
                new Case("!#$%&'*+-/=?^_`{|}~@x.example", false, "!#$%&'*+-/=?^_`{|}~", "x.example"),
                new Case("\"a b\"@example.org", false, "a b", "example.org"),
                new Case("\"a\\\"b\\\\c\"@example.org", false, "a\"b\\c", "example.org"),
                new Case("\"a@b\"@example.org", false, "a@b", "example.org"),
                new Case("\"\\ \"@example.org", false, " ", "example.org"),
                new Case("user@[192.0.2.1]", false, "user", "[192.0.2.1]"),
                new Case("user@[IPv6:2001:db8::1]", false, "user", "[ipv6:2001:db8::1]"),
                new Case("user@[IPv6:::ffff:192.0.2.1]", false, "user", "[ipv6:::ffff:192.0.2.1]"),
                new Case("localhost@localhost", false, "localhost", "localhost"),
                new Case("1@2.3", false, "1", "2.3"),
                new Case("jösé@exämple.org", true, "jösé", "exämple.org"),
                new Case("\"jö sé\"@example.org", true, "jö sé", "example.org"),
                new Case("用户@例子.广告", true, "用户", "例子.广告"))) {
            EmailAddress a = EmailAddress.parse(c.text(), c.utf8());
            assertThat(a.localPart()).as(c.text()).isEqualTo(c.local());
            assertThat(a.domain()).as(c.text()).isEqualTo(c.domain());
        }
    }

    record Bad(String text, boolean utf8, String reason) {}

    @Test
    void refusesInvalidMailboxes() {
        String local64 = "a".repeat(64), local65 = "a".repeat(65);
        String label63 = "b".repeat(63);
        String domain255 = label63 + "." + label63 + "." + label63 + "." + "c".repeat(63);   // 255
        for (var c : List.of(
                new Bad("", false, "empty"),
                new Bad("user", false, "missing @"),
                new Bad("@example.org", false, "bad local part"),
                new Bad("user@", false, "empty domain"),
                new Bad(".user@example.org", false, "bad local part"),
                new Bad("user.@example.org", false, "bad local part"),
                new Bad("us..er@example.org", false, "bad local part"),
                new Bad("us er@example.org", false, "bad local part"),
                new Bad("us(er@example.org", false, "bad local part"),
                new Bad("\"unterminated@example.org", false, "unterminated"),
                new Bad("\"a\"b@example.org", false, "missing @"),
                new Bad("user@-example.org", false, "bad domain"),
                new Bad("user@example-.org", false, "bad domain"),
                new Bad("user@example..org", false, "bad domain"),
                new Bad("user@example.org.", false, "bad domain"),
                new Bad("user@exa_mple.org", false, "bad domain"),
                new Bad("user@" + "d".repeat(64) + ".org", false, "bad domain"),
                new Bad("user@[192.0.2.256]", false, "bad address literal"),
                new Bad("user@[192.0.2]", false, "bad address literal"),
                new Bad("user@[IPv6:2001:db8:::1]", false, "bad address literal"),
                new Bad("user@[IPv6:fe80::1%eth0]", false, "bad address literal"),
                new Bad("user@[tag:whatever]", false, "bad address literal"),
                new Bad("jösé@example.org", false, "non-ASCII address without SMTPUTF8"),
                new Bad("user@exämple.org", false, "non-ASCII address without SMTPUTF8"),
                new Bad(local65 + "@example.org", false, "local part longer than 64 octets"),
                new Bad("\"" + local64 + "\"@example.org", false, "local part longer than 64 octets"),
                new Bad("ö".repeat(33) + "@example.org", true, "local part longer than 64 octets"),
                new Bad("user@" + domain255 + "x", false, "domain longer than 255 octets"))) {
            assertThatThrownBy(() -> EmailAddress.parse(c.text(), c.utf8()))
                    .as(c.text()).isInstanceOf(AddressException.class).hasMessageContaining(c.reason());
        }
    }

    @Test
    void localPartOf64OctetsAndDomainOf255OctetsAreAccepted() {
        String label63 = "b".repeat(63);
        String domain255 = label63 + "." + label63 + "." + label63 + "." + "c".repeat(63);
        assertThat(domain255).hasSize(255);
        EmailAddress a = EmailAddress.parse("a".repeat(64) + "@" + domain255);
        assertThat(a.localPart()).hasSize(64);
        assertThat(EmailAddress.parse("ö".repeat(32) + "@example.org", true).localPart()).hasSize(32);
    }

    @Test
    void toStringQuotesOnlyWhenNeeded() {
        assertThat(EmailAddress.parse("\"plain\"@Example.org")).hasToString("plain@example.org");
        assertThat(EmailAddress.parse("\"a b\"@example.org")).hasToString("\"a b\"@example.org");
        assertThat(EmailAddress.parse("\"a\\\"b\"@example.org")).hasToString("\"a\\\"b\"@example.org");
        assertThat(EmailAddress.parse("\"a\\\"b\"@example.org")).isEqualTo(new EmailAddress("a\"b", "EXAMPLE.org"));
    }

    @Test
    void constructorRefusesControlCharacters() {
        assertThatThrownBy(() -> new EmailAddress("a\r\nb", "example.org")).isInstanceOf(AddressException.class);
        assertThatThrownBy(() -> new EmailAddress("ab", "exa\nmple.org")).isInstanceOf(AddressException.class);
    }

    @Test
    void needsUtf8OnlyForNonAscii() {
        assertThat(EmailAddress.parse("a@b.example").needsUtf8()).isFalse();
        assertThat(EmailAddress.parse("ä@b.example", true).needsUtf8()).isTrue();
        assertThat(EmailAddress.parse("a@[192.0.2.1]").isAddressLiteral()).isTrue();
    }
}
