package org.postern.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postern.server.store.AccountId;
import org.postern.wire.Secret;

class VerifiedPasswordsTest {
    static final AccountId ALICE = new AccountId(1), BOB = new AccountId(2);
    static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

    @Test
    void aRememberedPasswordMatchesOnlyTheSameAccountStoredHashAndPassword() {
        VerifiedPasswords v = new VerifiedPasswords();
        assertThat(v.matches(ALICE, HASH, Secret.of("pw"))).isFalse();
        v.remember(ALICE, HASH, Secret.of("pw"));
        assertThat(v.matches(ALICE, HASH, Secret.of("pw"))).isTrue();
        assertThat(v.matches(ALICE, HASH, Secret.of("pw "))).isFalse();
        assertThat(v.matches(ALICE, HASH, Secret.of("PW"))).isFalse();
        assertThat(v.matches(BOB, HASH, Secret.of("pw"))).isFalse();
        assertThat(v.matches(ALICE, HASH + "x", Secret.of("pw"))).as("password changed: new stored hash").isFalse();
    }

    @Test
    void anEntryExpiresAfterItsTtl() throws InterruptedException {
        VerifiedPasswords v = new VerifiedPasswords(Duration.ofMillis(50));
        v.remember(ALICE, HASH, Secret.of("pw"));
        assertThat(v.matches(ALICE, HASH, Secret.of("pw"))).isTrue();
        Thread.sleep(120);
        assertThat(v.matches(ALICE, HASH, Secret.of("pw"))).isFalse();
        assertThat(v.size()).isZero();
        assertThat(VerifiedPasswords.TTL).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theCacheHoldsAtMostMaxEntries() {
        VerifiedPasswords v = new VerifiedPasswords();
        for (int i = 0; i < VerifiedPasswords.MAX_ENTRIES; i++) v.remember(new AccountId(i + 1), HASH, Secret.of("pw"));
        assertThat(v.size()).isEqualTo(VerifiedPasswords.MAX_ENTRIES);
        v.remember(new AccountId(VerifiedPasswords.MAX_ENTRIES + 1), HASH, Secret.of("pw"));   // one past: nothing expired, so it starts over
        assertThat(v.size()).isLessThanOrEqualTo(VerifiedPasswords.MAX_ENTRIES);
        assertThat(v.matches(new AccountId(VerifiedPasswords.MAX_ENTRIES + 1), HASH, Secret.of("pw"))).isTrue();
    }
}
