package org.postern.server.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.postern.wire.Secret;

class PasswordsTest {
    @Test
    void hashVerifiesTheSamePasswordAndNotAnother() {
        String phc = Passwords.hash(Secret.of("correct horse battery staple"));
        assertThat(Passwords.verify(Secret.of("correct horse battery staple"), phc)).isTrue();
        assertThat(Passwords.verify(Secret.of("correct horse battery stapler"), phc)).isFalse();
        assertThat(Passwords.verify(Secret.of(""), phc)).isFalse();
    }

    @Test
    void hashIsAPhcStringWithTheCurrentParametersAndAFreshSalt() {
        String a = Passwords.hash(Secret.of("pw"));
        String b = Passwords.hash(Secret.of("pw"));
        assertThat(a).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(a).isNotEqualTo(b);
        Passwords.Phc phc = Passwords.Phc.parse(a);
        assertThat(phc.memoryKib()).isEqualTo(Passwords.MEMORY_KIB);
        assertThat(phc.iterations()).isEqualTo(Passwords.ITERATIONS);
        assertThat(phc.parallelism()).isEqualTo(Passwords.PARALLELISM);
        assertThat(phc.salt()).hasSize(Passwords.SALT_BYTES);
        assertThat(phc.hash()).hasSize(Passwords.HASH_BYTES);
        assertThat(phc.format()).isEqualTo(a);
        assertThat(Passwords.needsRehash(a)).isFalse();
    }

    @Test
    void verifiesTheReferenceImplementationsTestVector() {
        // argon2 reference implementation (phc-winner-argon2) test.c: "password", salt "somesalt", t=2, m=2^16, p=1
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(Passwords.verify(Secret.of("password"), reference)).isTrue();
        assertThat(Passwords.verify(Secret.of("Password"), reference)).isFalse();
        assertThat(Passwords.needsRehash(reference)).as("8-byte salt is below ours").isTrue();
    }

    @Test
    void tamperedHashesFail() {
        String phc = Passwords.hash(Secret.of("secret"));
        String[] f = phc.split("\\$");
        record Case(String what, String phc) {}
        for (Case c : List.of(
                new Case("hash changed", "$argon2id$v=19$" + f[3] + "$" + f[4] + "$" + flip(f[5])),
                new Case("salt changed", "$argon2id$v=19$" + f[3] + "$" + flip(f[4]) + "$" + f[5]),
                new Case("iterations changed", phc.replace("t=2", "t=3")),
                new Case("memory changed", phc.replace("m=19456", "m=19457")),
                new Case("hash truncated", phc.substring(0, phc.length() - 4)),
                new Case("variant changed", phc.replace("argon2id", "argon2i")),
                new Case("garbage", "not a hash"))) {
            assertThat(Passwords.verify(Secret.of("secret"), c.phc())).as(c.what()).isFalse();
        }
    }

    @Test
    void malformedPhcStringsAreNotParsed() {
        String salt = "c29tZXNhbHQ", hash = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        for (String s : List.of(
                "",
                "$argon2id$v=19$m=65536,t=2,p=1$" + salt,
                "$argon2id$v=16$m=65536,t=2,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$t=2,m=65536,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=065536,t=2,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=-1,t=2,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=99999999999,t=2,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=65536,t=0,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=65536,t=2,p=1$" + salt + "=$" + hash,
                "$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$" + hash + "$",
                "$argon2id$v=19$m=" + (Passwords.MAX_STORED_MEMORY_KIB + 1) + ",t=2,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=65536,t=" + (Passwords.MAX_STORED_ITERATIONS + 1) + ",p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=65536,t=2,p=1$c29tZQ$" + hash)) {   // 4-byte salt
            assertThatThrownBy(() -> Passwords.Phc.parse(s)).as(s).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Passwords.Phc.parse("$argon2id$v=19$m=" + Passwords.MAX_STORED_MEMORY_KIB + ",t="
                + Passwords.MAX_STORED_ITERATIONS + ",p=1$" + salt + "$" + hash).memoryKib())
                .isEqualTo(Passwords.MAX_STORED_MEMORY_KIB);
    }

    @Test
    void emptyPasswordsAreRefused() {
        assertThatThrownBy(() -> Passwords.hash(Secret.of("")))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("empty password");
    }

    @Test
    void aPasswordOfMaxLengthIsAcceptedAndOneCharMoreIsRefused() {
        String max = "x".repeat(Passwords.MAX_LENGTH);
        String phc = Passwords.hash(Secret.of(max));
        assertThat(Passwords.verify(Secret.of(max), phc)).isTrue();
        assertThatThrownBy(() -> Passwords.hash(Secret.of(max + "x")))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("longer than " + Passwords.MAX_LENGTH);
        assertThat(Passwords.verify(Secret.of(max + "x"), phc)).isFalse();
    }

    @Test
    void composedAndDecomposedSpellingsOfAPasswordAreTheSame() {
        String phc = Passwords.hash(Secret.of("caf\u00e9"));             // é precomposed
        assertThat(Passwords.verify(Secret.of("cafe\u0301"), phc)).isTrue();   // e + combining acute
    }

    @Test
    void aHashWithWeakerParametersVerifiesAndAsksForARehash() {
        byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(64).withIterations(1).withParallelism(1).withSalt(salt).build());
        byte[] out = new byte[32];
        g.generateBytes("weak".toCharArray(), out);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String phc = "$argon2id$v=19$m=64,t=1,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(out);
        assertThat(Passwords.verify(Secret.of("weak"), phc)).isTrue();
        assertThat(Passwords.needsRehash(phc)).isTrue();
    }

    @Test
    void phcRecordNeverPrintsTheHash() {
        String phc = Passwords.hash(Secret.of("pw"));
        assertThat(Passwords.Phc.parse(phc).toString()).doesNotContain(phc.substring(phc.lastIndexOf('$') + 1));
    }

    private static String flip(String b64) {
        char c = b64.charAt(0);
        return (c == 'A' ? 'B' : 'A') + b64.substring(1);
    }
}
