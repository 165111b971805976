package org.postern.wire.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathTest {
    record Case(String text, Path expected) {}

    @Test
    void parsesPaths() {
        for (var c : List.of(
                new Case("<>", new Path.Null()),
                new Case("<Postmaster>", new Path.Postmaster()),
                new Case("<postMASTER>", new Path.Postmaster()),
                new Case("<a@b.example>", new Path.Mailbox(new EmailAddress("a", "b.example"))),
                new Case("<@relay.example:a@b.example>", new Path.Mailbox(new EmailAddress("a", "b.example"))),
                new Case("<@r1.example,@r2.example:a@b.example>", new Path.Mailbox(new EmailAddress("a", "b.example"))),
                new Case("<\"a>b\"@b.example>", new Path.Mailbox(new EmailAddress("a>b", "b.example"))))) {
            assertThat(Path.parse(c.text(), false)).as(c.text()).isEqualTo(c.expected());
        }
    }

    @Test
    void refusesBadPaths() {
        for (String s : List.of("a@b.example", "<a@b.example", "a@b.example>", "<@relay.example a@b.example>",
                "<@,@r.example:a@b.example>", "<@-bad:a@b.example>", "<postmaster@>", "< a@b.example>")) {
            assertThatThrownBy(() -> Path.parse(s, false)).as(s).isInstanceOf(AddressException.class);
        }
    }

    @Test
    void pathOf256OctetsIsAcceptedAnd257Refused() {
        // <local@domain>: 2 brackets + 64 local + 1 @ = 67; domain fills the rest
        String local = "a".repeat(64);
        String domain189 = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        assertThat(("<" + local + "@" + domain189 + ">")).hasSize(256);
        assertThat(Path.parse("<" + local + "@" + domain189 + ">", false)).isInstanceOf(Path.Mailbox.class);
        String domain190 = domain189 + "d";
        assertThatThrownBy(() -> Path.parse("<" + local + "@" + domain190 + ">", false))
                .hasMessageContaining("path longer than 256 octets");
    }
}
