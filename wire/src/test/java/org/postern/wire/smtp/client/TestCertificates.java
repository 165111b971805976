package org.postern.wire.smtp.client;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates for {@link FakeSmtpServer}'s STARTTLS: {@link #server()} holds the key and
 * certificate (names {@code localhost}, {@code mx.example.org} and 127.0.0.1), {@link #trustingServer()} is a
 * client context that trusts exactly that certificate, {@link #trustingOther()} one that trusts an unrelated
 * certificate (so verification fails).
 */
public final class TestCertificates {
    private static final char[] PASSWORD = "test".toCharArray();
    private static Pair main, other;

    private TestCertificates() {}

    private record Pair(KeyPair keys, X509Certificate certificate) {}

    public static synchronized SSLContext server() {
        return serverContext(main());
    }

    /** The certificate {@link #server()} presents, e.g. to be written to a PEM file a client trusts. */
    public static synchronized X509Certificate serverCertificate() {
        return main().certificate();
    }

    public static synchronized SSLContext trustingServer() {
        return trusting(main().certificate());
    }

    public static synchronized SSLContext trustingOther() {
        if (other == null) other = generate("other.example.org");
        return trusting(other.certificate());
    }

    private static Pair main() {
        if (main == null) main = generate("mx.example.org");
        return main;
    }

    private static Pair generate(String name) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            X500Name subject = new X500Name("CN=" + name);
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(System.nanoTime()),
                    Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(30, ChronoUnit.DAYS)), subject, kp.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, name),
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            return new Pair(kp, cert);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private static SSLContext serverContext(Pair pair) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", pair.keys().getPrivate(), PASSWORD, new X509Certificate[] {pair.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), null, null);
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context that trusts exactly {@code certificates} (the test servers' self-signed ones). */
    public static SSLContext trusting(X509Certificate... certificates) {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            for (int i = 0; i < certificates.length; i++) ts.setCertificateEntry("server-" + i, certificates[i]);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, tmf.getTrustManagers(), null);
            return c;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the test trust store", e);
        }
    }
}
