package org.postern.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagMergeTest {
    @Test
    void localChangesSurviveAndOtherFlagsFollowTheServer() {
        record Case(Set<String> server, Set<String> base, Set<String> local, Set<String> expected) {}
        String s = "\\Seen";
        String f = "\\Flagged";
        String a = "\\Answered";
        for (Case c : List.of(
                new Case(Set.of(), Set.of(), Set.of(), Set.of()),
                new Case(Set.of(s), Set.of(), Set.of(), Set.of(s)),                 // server added
                new Case(Set.of(), Set.of(s), Set.of(s), Set.of()),                 // server removed
                new Case(Set.of(), Set.of(), Set.of(f), Set.of(f)),                 // local added
                new Case(Set.of(s), Set.of(s), Set.of(), Set.of()),                 // local removed
                new Case(Set.of(s, a), Set.of(s), Set.of(s, f), Set.of(s, a, f)),   // both added different flags
                new Case(Set.of(), Set.of(s, f), Set.of(s), Set.of()),              // server removed both, local removed f
                new Case(Set.of(s), Set.of(), Set.of(s), Set.of(s)),                // both added the same
                new Case(Set.of(f), Set.of(s, f), Set.of(f), Set.of(f)),            // both removed the same
                new Case(Set.of(s, f), Set.of(s), Set.of(), Set.of(f)),             // local removed s, server added f
                new Case(Set.of("$Work"), Set.of(), Set.of("$Home"), Set.of("$Home", "$Work")))) {
            assertThat(FlagMerge.merge(c.server(), c.base(), c.local())).as(c.toString())
                    .containsExactlyInAnyOrderElementsOf(c.expected());
        }
    }
}
