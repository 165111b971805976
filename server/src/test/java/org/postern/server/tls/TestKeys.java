package org.postern.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Keys and certificates in the PEM shapes operators bring, made with Bouncy Castle (as openssl would). */
final class TestKeys {
    /** Only for writing encrypted keys (OpenSSL's key derivation); never registered as a provider. */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private TestKeys() {}

    record Pair(KeyPair keys, X509Certificate certificate) {}

    static Pair ec(String hostname) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        return new Pair(keys, certificate(hostname, keys, "SHA256withECDSA"));
    }

    static Pair rsa(String hostname) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        return new Pair(keys, certificate(hostname, keys, "SHA256withRSA"));
    }

    private static X509Certificate certificate(String hostname, KeyPair keys, String signature) throws Exception {
        var name = new X500Name("CN=" + hostname);
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minusSeconds(3600)), Date.from(Instant.now().plusSeconds(86_400)), name,
                keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
    }

    static Path writePem(Path file, Object... objects) throws IOException {
        var out = new StringWriter();
        try (var pem = new JcaPEMWriter(out)) {
            for (Object o : objects) pem.writeObject(o);
        }
        return Files.writeString(file, out.toString());
    }

    /** PKCS#1 ("RSA PRIVATE KEY"), as openssl genrsa writes it. */
    static Path writePkcs1Key(Path file, PrivateKey key) throws IOException {
        return writePem(file, new JcaMiscPEMGenerator(key));
    }

    /**
     * SEC1 ("EC PRIVATE KEY", RFC 5915) with the curve and the public key inside, as openssl ecparam -genkey
     * writes it. (The JDK's PKCS#8 encoding leaves both out of the inner structure, so it is rebuilt here.)
     */
    static PemObject sec1(Pair pair) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(pair.keys().getPrivate().getEncoded());
        var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
        var publicKey = SubjectPublicKeyInfo.getInstance(pair.keys().getPublic().getEncoded()).getPublicKeyData();
        var full = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), publicKey,
                info.getPrivateKeyAlgorithm().getParameters());
        return new PemObject("EC PRIVATE KEY", full.getEncoded());
    }

    static Path writePkcs8Key(Path file, PrivateKey key) throws IOException {
        return writePem(file, new JcaPKCS8Generator(key, null));
    }

    /** "Proc-Type: 4,ENCRYPTED" PKCS#1, as openssl genrsa -aes256 writes it. */
    static Path writeEncryptedTraditionalKey(Path file, PrivateKey key) throws IOException {
        return writePem(file, new JcaMiscPEMGenerator(key,
                new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).build("passphrase".toCharArray())));
    }

    /** "ENCRYPTED PRIVATE KEY", as openssl pkcs8 -topk8 writes it. */
    static Path writeEncryptedPkcs8Key(Path file, PrivateKey key) throws Exception {
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(BC)
                .setPassword("passphrase".toCharArray()).build();
        return writePem(file, new JcaPKCS8Generator(key, encryptor));
    }
}
