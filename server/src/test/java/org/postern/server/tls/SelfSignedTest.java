package org.postern.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedTest {
    @TempDir
    Path dir;

    @Test
    void makesAnRsa2048CertificateForTheHostnameLocalhostAndLoopback() throws Exception {
        Path cert = dir.resolve("tls/cert.pem");
        Path key = dir.resolve("tls/key.pem");

        X509Certificate c = SelfSigned.generate("mail.example.org", cert, key);

        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=mail.example.org");
        assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
        assertThat(((RSAPublicKey) c.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(c.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "mail.example.org"), List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(c.getBasicConstraints()).isEqualTo(-1);                   // not a CA
        assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");   // serverAuth
        c.verify(c.getPublicKey());                                            // self-signed, intact
        assertThat(TlsFiles.certificates(cert)).containsExactly(c);
    }

    @Test
    void isValidForAboutTenYearsFromYesterday() {
        Instant before = Instant.now();
        X509Certificate c = SelfSigned.generate("localhost", dir.resolve("c.pem"), dir.resolve("k.pem"));

        assertThat(c.getNotBefore().toInstant()).isBetween(before.minus(Duration.ofDays(1)).minusSeconds(5),
                before.minus(Duration.ofDays(1)).plusSeconds(60));
        Duration valid = Duration.between(before, c.getNotAfter().toInstant());
        assertThat(valid).isBetween(Duration.ofDays(3650), Duration.ofDays(3654));
    }

    @Test
    void namesLocalhostOnceWhenItIsTheHostname() throws Exception {
        X509Certificate c = SelfSigned.generate("localhost", dir.resolve("c.pem"), dir.resolve("k.pem"));

        assertThat(c.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, "localhost"),
                List.of(7, "127.0.0.1"));
    }

    @Test
    void writesTheKeyReadableByItsOwnerOnly() throws Exception {
        Path cert = dir.resolve("sub/dir/cert.pem");
        Path key = dir.resolve("sub/dir/key.pem");

        SelfSigned.generate("mail.example.org", cert, key);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        try (var files = Files.list(key.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("cert.pem", "key.pem");
        }
    }

    @Test
    void neverOverwritesExistingFiles() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "mine");
        Path key = dir.resolve("key.pem");

        assertThatThrownBy(() -> SelfSigned.generate("mail.example.org", cert, key))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining(cert + " exists already");
        assertThat(Files.readString(cert)).isEqualTo("mine");
        assertThat(key).doesNotExist();
    }
}
