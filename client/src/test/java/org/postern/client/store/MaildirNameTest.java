package org.postern.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaildirNameTest {
    @Test
    void fileNamesCarryTheUidAndSortedFlagLetters() {
        record Case(Optional<Long> uid, Set<String> flags, String expected) {}
        for (Case c : List.of(
                new Case(Optional.of(42L), Set.of(), "u,U=42:2,"),
                new Case(Optional.empty(), Set.of(), "u:2,"),
                new Case(Optional.of(1L), Set.of("\\Seen", "\\Answered"), "u,U=1:2,RS"),
                new Case(Optional.of(7L), Set.of("\\Deleted", "\\Seen", "\\Flagged", "\\Draft", "$Forwarded", "\\Answered"),
                        "u,U=7:2,DFPRST"),
                new Case(Optional.of(4294967295L), Set.of("$Junk", "\\Seen"), "u,U=4294967295:2,S"))) {
            MaildirName n = new MaildirName("u", c.uid(), c.flags());
            assertThat(n.fileName()).as(c.toString()).isEqualTo(c.expected());
            assertThat(MaildirName.parse(c.expected())).as(c.expected())
                    .contains(new MaildirName("u", c.uid(), MaildirName.normalize(c.flags()).stream()
                            .filter(MaildirName.letterFlags()::contains).collect(java.util.stream.Collectors.toSet())));
        }
    }

    @Test
    void namesOtherMaildirToolsWriteAreRead() {
        record Case(String name, Optional<MaildirName> expected) {}
        for (Case c : List.of(
                new Case("1700000000.M1P2Q3.host,S=1234:2,RS", Optional.of(new MaildirName("1700000000.M1P2Q3.host",
                        Optional.empty(), Set.of("\\Answered", "\\Seen")))),
                new Case("1700000000.x,S=10,U=99:2,FS", Optional.of(new MaildirName("1700000000.x", Optional.of(99L),
                        Set.of("\\Flagged", "\\Seen")))),
                new Case("1700000000.x", Optional.of(new MaildirName("1700000000.x", Optional.empty(), Set.of()))),
                new Case("u,U=abc:2,S", Optional.of(new MaildirName("u", Optional.empty(), Set.of("\\Seen")))),
                new Case("u,U=0:2,", Optional.of(new MaildirName("u", Optional.empty(), Set.of()))),
                new Case("u,U=4294967296:2,", Optional.of(new MaildirName("u", Optional.empty(), Set.of()))),
                new Case("u:2,Sxa", Optional.of(new MaildirName("u", Optional.empty(), Set.of("\\Seen")))),
                new Case(".keep", Optional.empty()),
                new Case(",U=3:2,S", Optional.empty()),
                new Case("", Optional.empty()))) {
            assertThat(MaildirName.parse(c.name())).as(c.name()).isEqualTo(c.expected());
        }
    }

    @Test
    void flagsAreNormalisedAndJunkRefused() {
        assertThat(MaildirName.normalize(Set.of("\\seen", "\\FLAGGED", "$forwarded", "\\Recent", "$Label1")))
                .containsExactly("$Forwarded", "$Label1", "\\Flagged", "\\Seen");
        for (String bad : List.of("", "two words", "a\r\nb", "(x)", "x\u0000", "é")) {
            assertThatThrownBy(() -> MaildirName.normalize(Set.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an IMAP flag");
        }
    }
}
