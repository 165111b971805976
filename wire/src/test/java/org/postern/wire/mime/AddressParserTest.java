package org.postern.wire.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressParserTest {

    static Address.Mailbox mb(String name, String local, String domain) {
        return new Address.Mailbox(Optional.ofNullable(name), Optional.empty(), local, domain);
    }

    @Test
    void parsesAddressListsIncludingRealWorldJunk() {
        record Case(String input, List<Address> expected) {}
        List<Case> cases = List.of(
                new Case("john@example.com", List.of(mb(null, "john", "example.com"))),
                new Case("<john@example.com>", List.of(mb(null, "john", "example.com"))),
                new Case("John Doe <john@example.com>", List.of(mb("John Doe", "john", "example.com"))),
                new Case("\"Doe, John\" <john@example.com>", List.of(mb("Doe, John", "john", "example.com"))),
                new Case("\"John \\\"JD\\\" Doe\" <jd@x.test>", List.of(mb("John \"JD\" Doe", "jd", "x.test"))),
                // RFC 5322 Appendix A.1.2
                new Case("\"Joe Q. Public\" <john.q.public@example.com>, Mary Smith <mary@x.test>, jdoe@example.org,"
                        + " Who? <one@y.test>", List.of(mb("Joe Q. Public", "john.q.public", "example.com"),
                        mb("Mary Smith", "mary", "x.test"), mb(null, "jdoe", "example.org"), mb("Who?", "one", "y.test"))),
                new Case("<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
                        List.of(mb(null, "boss", "nil.test"), mb("Giant; \"Big\" Box", "sysservices", "example.net"))),
                new Case("John Q. Public <jqp@example.com>", List.of(mb("John Q. Public", "jqp", "example.com"))),
                // unquoted comma in a display name
                new Case("Doe, John <john@example.com>", List.of(mb("Doe, John", "john", "example.com"))),
                new Case("Doe, John <john@example.com>, Roe, Jane <jane@example.com>",
                        List.of(mb("Doe, John", "john", "example.com"), mb("Roe, Jane", "jane", "example.com"))),
                new Case("a@b.test, Doe, John <john@example.com>",
                        List.of(mb(null, "a", "b.test"), mb("Doe, John", "john", "example.com"))),
                // comments (RFC 5322 A.5), a comment as the name
                new Case("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
                        List.of(mb("Pete", "pete", "silly.test"))),
                new Case("Chris Jones <c@(Chris's host.)public.example>", List.of(mb("Chris Jones", "c", "public.example"))),
                new Case("john@example.com (John Doe)", List.of(mb("John Doe", "john", "example.com"))),
                new Case("(comment only)", List.of()),
                // missing brackets, missing domain, missing closing bracket
                new Case("John Doe john@example.com", List.of(mb("John Doe", "john", "example.com"))),
                new Case("john", List.of(mb(null, "john", ""))),
                new Case("John <john@example.com", List.of(mb("John", "john", "example.com"))),
                new Case("<>", List.of(mb(null, "", ""))),
                new Case("\"john doe\"@example.com", List.of(mb(null, "john doe", "example.com"))),
                new Case("user@[192.0.2.1]", List.of(mb(null, "user", "[192.0.2.1]"))),
                new Case("a@b.test,,  ,c@d.test", List.of(mb(null, "a", "b.test"), mb(null, "c", "d.test"))),
                new Case("", List.of()),
                new Case("   ", List.of()),
                new Case("=?utf-8?Q?Doe,_John?= <j@x.test>", List.of(mb("=?utf-8?Q?Doe,_John?=", "j", "x.test"))),
                new Case("=?utf-8?q?J=C3=B6rg?= Doe <j@x.test>", List.of(mb("=?utf-8?q?J=C3=B6rg?= Doe", "j", "x.test"))),
                new Case("\"unterminated <a@b.test>", List.of(mb("unterminated", "a", "b.test"))),
                // obsolete route
                new Case("Mary Smith <@node.test:mary@example.net>", List.of(new Address.Mailbox(Optional.of("Mary Smith"),
                        Optional.of("@node.test"), "mary", "example.net"))),
                new Case("<@a.test,@b.test:x@y.test>", List.of(new Address.Mailbox(Optional.empty(),
                        Optional.of("@a.test,@b.test"), "x", "y.test"))),
                // groups (RFC 5322 A.1.3)
                new Case("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
                        List.of(new Address.Group("A Group", List.of(mb("Ed Jones", "c", "a.test"),
                                mb(null, "joe", "where.test"), mb("John", "jdoe", "one.test"))))),
                new Case("Undisclosed recipients:;", List.of(new Address.Group("Undisclosed recipients", List.of()))),
                new Case("undisclosed-recipients:", List.of(new Address.Group("undisclosed-recipients", List.of()))),
                new Case("g: a@b.test; , c@d.test",
                        List.of(new Address.Group("g", List.of(mb(null, "a", "b.test"))), mb(null, "c", "d.test"))));
        for (Case c : cases) {
            assertThat(AddressParser.parseList(c.input())).as(c.input()).isEqualTo(c.expected());
        }
    }

    @Test
    void groupsBecomeImapStartAndEndMarkers() {
        List<EnvelopeAddress> env = EnvelopeAddress.of(AddressParser.parseList(
                "Friends: \"Ann\" <ann@x.test>, bob@y.test;, carol@z.test, Empty:;"));

        assertThat(env).containsExactly(
                new EnvelopeAddress(Optional.empty(), Optional.empty(), Optional.of("Friends"), Optional.empty()),
                new EnvelopeAddress(Optional.of("Ann"), Optional.empty(), Optional.of("ann"), Optional.of("x.test")),
                new EnvelopeAddress(Optional.empty(), Optional.empty(), Optional.of("bob"), Optional.of("y.test")),
                EnvelopeAddress.GROUP_END,
                new EnvelopeAddress(Optional.empty(), Optional.empty(), Optional.of("carol"), Optional.of("z.test")),
                EnvelopeAddress.groupStart("Empty"),
                EnvelopeAddress.GROUP_END);
        assertThat(env.get(0).isGroupStart()).isTrue();
        assertThat(env.get(3).isGroupEnd()).isTrue();
        assertThat(env.get(1).isGroupStart() || env.get(1).isGroupEnd()).isFalse();
    }

    @Test
    void mailboxWithoutDomainIsNotMistakenForAGroupMarker() {
        EnvelopeAddress a = EnvelopeAddress.of(AddressParser.parseList("root")).getFirst();

        assertThat(a.host()).contains("");
        assertThat(a.isGroupStart()).isFalse();
        assertThat(a.isGroupEnd()).isFalse();
    }

    @Test
    void neverThrowsOnJunk() {
        for (String junk : List.of("<<<", ">>>", "@@@", ":::", ";;;", "(((", "\"\"\"", "[[[", "a:b:c;d;e",
                "<@>", "<@a:>", "\\", "=?", "a@", "@b", ",<,>,@,", "g:<a@b;c>;")) {
            assertThat(AddressParser.parseList(junk)).as(junk).isNotNull();
        }
    }
}
