package org.postern.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsFilesTest {
    @TempDir
    static Path shared;
    static TestKeys.Pair rsa;
    static TestKeys.Pair otherRsa;
    static TestKeys.Pair ec;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        rsa = TestKeys.rsa("mail.example.org");
        otherRsa = TestKeys.rsa("mail.example.org");
        ec = TestKeys.ec("mail.example.org");
    }

    private Path cert(TestKeys.Pair pair) throws Exception {
        return TestKeys.writePem(dir.resolve("cert.pem"), pair.certificate());
    }

    @Test
    void loadsPkcs8Pkcs1AndSec1Keys() throws Exception {
        record Case(String name, TestKeys.Pair pair, boolean pkcs8) {}
        for (var c : new Case[] {
                new Case("PKCS#8 RSA", rsa, true), new Case("PKCS#1 RSA", rsa, false),
                new Case("PKCS#8 EC", ec, true), new Case("SEC1 EC", ec, false)}) {
            Path key = dir.resolve("key-" + c.name().replaceAll("\\W", "") + ".pem");
            if (c.pkcs8()) TestKeys.writePkcs8Key(key, c.pair().keys().getPrivate());
            else if (c.pair() == rsa) TestKeys.writePkcs1Key(key, rsa.keys().getPrivate());
            else TestKeys.writePem(key, TestKeys.sec1(ec));
            String header = Files.readString(key).lines().findFirst().orElseThrow();
            assertThat(header).as(c.name()).isEqualTo(c.pkcs8() ? "-----BEGIN PRIVATE KEY-----"
                    : c.pair() == rsa ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----");

            assertThat(TlsFiles.load(cert(c.pair()), key).createSSLEngine().getEnabledProtocols())
                    .as(c.name()).containsExactly("TLSv1.3", "TLSv1.2");
        }
    }

    @Test
    void skipsAnEcParametersBlockBeforeTheKey() throws Exception {
        Path key = TestKeys.writePem(dir.resolve("key.pem"),
                new PemObject("EC PARAMETERS", SECObjectIdentifiers.secp256r1.getEncoded()),
                TestKeys.sec1(ec));

        assertThat(TlsFiles.load(cert(ec), key)).isNotNull();
    }

    @Test
    void readsTheWholeChainServerCertificateFirst() throws Exception {
        Path chain = TestKeys.writePem(dir.resolve("chain.pem"), rsa.certificate(), ec.certificate());
        Path key = TestKeys.writePkcs8Key(dir.resolve("key.pem"), rsa.keys().getPrivate());

        assertThat(TlsFiles.certificates(chain)).containsExactly(rsa.certificate(), ec.certificate());
        assertThat(TlsFiles.load(chain, key)).isNotNull();
    }

    @Test
    void aCombinedFileServesAsBothCertificateAndKey() throws Exception {
        Path both = TestKeys.writePem(dir.resolve("both.pem"), rsa.certificate(),
                new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(rsa.keys().getPrivate(), null));

        assertThat(TlsFiles.load(both, both)).isNotNull();
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificate() throws Exception {
        Path cert = cert(rsa);
        Path key = TestKeys.writePkcs8Key(dir.resolve("key.pem"), otherRsa.keys().getPrivate());

        assertThatThrownBy(() -> TlsFiles.load(cert, key))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("The private key in " + key + " does not belong to the certificate in " + cert)
                .hasMessageContaining("CN=mail.example.org");
    }

    @Test
    void saysSoWhenTheServerCertificateIsNotFirstInTheChain() throws Exception {
        Path chain = TestKeys.writePem(dir.resolve("chain.pem"), otherRsa.certificate(), rsa.certificate());
        Path key = TestKeys.writePkcs8Key(dir.resolve("key.pem"), rsa.keys().getPrivate());

        assertThatThrownBy(() -> TlsFiles.load(chain, key))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("It belongs to certificate 2 in that file")
                .hasMessageContaining("put the server certificate first");
    }

    @Test
    void refusesAKeyOfAnotherAlgorithmThanTheCertificate() throws Exception {
        Path cert = cert(rsa);
        Path key = TestKeys.writePkcs8Key(dir.resolve("key.pem"), ec.keys().getPrivate());

        assertThatThrownBy(() -> TlsFiles.load(cert, key))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("does not belong to the certificate")
                .hasMessageContaining("The key is EC, the certificate's RSA.");
    }

    @Test
    void refusesEncryptedKeysSayingHowToDecryptThem() throws Exception {
        Path cert = cert(rsa);
        for (Path key : new Path[] {
                TestKeys.writeEncryptedTraditionalKey(dir.resolve("enc1.pem"), rsa.keys().getPrivate()),
                TestKeys.writeEncryptedPkcs8Key(dir.resolve("enc8.pem"), rsa.keys().getPrivate())}) {
            assertThatThrownBy(() -> TlsFiles.load(cert, key)).as(key.toString())
                    .isInstanceOf(TlsException.class)
                    .hasMessageContaining("TLS key file " + key + " is encrypted with a passphrase")
                    .hasMessageContaining("openssl pkey -in " + key);
        }
    }

    @Test
    void missingFilesAreNamedWithTheSettingToChange() throws Exception {
        Path key = TestKeys.writePkcs8Key(dir.resolve("key.pem"), rsa.keys().getPrivate());
        Path noCert = dir.resolve("missing-cert.pem");
        assertThatThrownBy(() -> TlsFiles.load(noCert, key))
                .isInstanceOf(TlsException.class)
                .hasMessage("TLS certificate file " + noCert + " does not exist. Put the server's certificate chain"
                        + " (PEM, server certificate first) there, or set tls.certificate in postern.toml to where it is.");
        Path noKey = dir.resolve("missing-key.pem");
        assertThatThrownBy(() -> TlsFiles.load(cert(rsa), noKey))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("TLS key file " + noKey + " does not exist")
                .hasMessageContaining("set tls.key in postern.toml");
    }

    @Test
    void garbageIsRefusedWithAReadableMessage() throws Exception {
        Path key = TestKeys.writePkcs8Key(dir.resolve("key.pem"), rsa.keys().getPrivate());
        record Case(String name, byte[] content, String message) {}
        for (var c : new Case[] {
                new Case("text", "hello, I am not a certificate\n".getBytes(), "is not a PEM file (no -----BEGIN line)"),
                new Case("empty", new byte[0], "is not a PEM file"),
                new Case("DER", rsa.certificate().getEncoded(), "openssl x509 -inform der -in"),
                new Case("bad base64", "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n"
                        .getBytes(), "is not valid PEM"),
                new Case("unknown block", "-----BEGIN FROBNICATOR-----\nAAAA\n-----END FROBNICATOR-----\n".getBytes(),
                        "is not valid PEM"),
                new Case("truncated", "-----BEGIN CERTIFICATE-----\nMIIB\n".getBytes(), "is not valid PEM"),
                new Case("key as certificate", Files.readAllBytes(key), "holds no certificate"),
                new Case("random bytes", HexFormat.of().parseHex("00ff10ee8899aabb"), "is not a PEM file")}) {
            Path cert = Files.write(dir.resolve("cert-" + c.name().replace(' ', '-') + ".pem"), c.content());
            assertThatThrownBy(() -> TlsFiles.load(cert, key)).as(c.name())
                    .isInstanceOf(TlsException.class)
                    .hasMessageStartingWith("TLS certificate file " + cert)
                    .hasMessageContaining(c.message());
        }
        Path certAsKey = cert(rsa);
        assertThatThrownBy(() -> TlsFiles.load(certAsKey, certAsKey))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("TLS key file " + certAsKey + " holds no private key")
                .hasMessageContaining("Is it the certificate file?");
    }

    @Test
    void fingerprintsAreSha256InOpensslForm() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(rsa.certificate().getEncoded());
        String fingerprint = TlsFiles.sha256Fingerprint(rsa.certificate());

        assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(HexFormat.of().parseHex(fingerprint.replace(":", ""))).isEqualTo(digest);
    }
}
