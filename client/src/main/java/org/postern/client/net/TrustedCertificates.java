package org.postern.client.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS context that trusts the JDK's certificate authorities and, in addition, the certificates of one PEM file:
 * a self-hosted server's own self-signed certificate (Postern's first start writes one to {@code data/tls/cert.pem})
 * or a private CA. The certificate is still checked, and so is the host name (RFC 6125): the file adds trust
 * anchors, it never turns verification off. This is how mbsync's {@code CertificateFile} and fetchmail's
 * {@code sslcertfile} work too.
 */
public final class TrustedCertificates {
    /**
     * Largest file read: a bundle of every public CA's certificate is about 220 KB of PEM; a bigger file is not a
     * certificate file (a mistyped path to a mailbox, say) and is refused rather than read into memory.
     */
    public static final long MAX_BYTES = 1024 * 1024;

    private TrustedCertificates() {}

    /**
     * The context trusting the JDK's authorities plus every certificate in {@code pemFile}.
     *
     * @throws IOException with a sentence naming the file when it cannot be read, is too big, or holds no
     *                     certificate
     */
    public static SSLContext load(Path pemFile) throws IOException {
        X509TrustManager tm = trustManager(pemFile);
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK could not build a TLS context: " + e.getMessage(), e);
        }
    }

    /** The trust manager of {@link #load}: the JDK's authorities and the file's certificates as trust anchors. */
    static X509TrustManager trustManager(Path pemFile) throws IOException {
        List<X509Certificate> extra = read(pemFile);
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate ca : jdkAuthorities()) anchors.setCertificateEntry("jdk-" + n++, ca);
            for (X509Certificate c : extra) anchors.setCertificateEntry("file-" + n++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            for (TrustManager tm : tmf.getTrustManagers()) if (tm instanceof X509TrustManager x) return x;
            throw new IllegalStateException("the JDK offers no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK could not build a trust store: " + e.getMessage(), e);
        }
    }

    /** The X.509 certificates of a PEM (or DER) file, at least one. */
    static List<X509Certificate> read(Path pemFile) throws IOException {
        byte[] bytes;
        try {
            long size = Files.size(pemFile);
            if (size > MAX_BYTES)
                throw new IOException("certificate file " + pemFile + " is " + size + " bytes, more than a certificate "
                        + "file holds (at most " + MAX_BYTES + "); give the server's certificate in PEM form");
            bytes = Files.readAllBytes(pemFile);
        } catch (NoSuchFileException e) {
            throw new IOException("certificate file " + pemFile + " does not exist; copy the server's certificate "
                    + "(PEM) there, for a Postern server its data/tls/cert.pem", e);
        }
        Collection<? extends Certificate> certs;
        try {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        } catch (CertificateException e) {
            throw new IOException(noCertificate(pemFile) + " (" + e.getMessage() + ")", e);
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : certs) if (c instanceof X509Certificate x) out.add(x);
        if (out.isEmpty()) throw new IOException(noCertificate(pemFile));
        return out;
    }

    private static String noCertificate(Path file) {
        return "certificate file " + file + " holds no certificate; it must hold one or more "
                + "\"-----BEGIN CERTIFICATE-----\" blocks (PEM)";
    }

    static List<X509Certificate> jdkAuthorities() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        List<X509Certificate> out = new ArrayList<>();
        for (var tm : tmf.getTrustManagers())
            if (tm instanceof X509TrustManager x) out.addAll(List.of(x.getAcceptedIssuers()));
        return out;
    }

    /** For messages: the subject of each certificate in the file, so a user can see what they are trusting. */
    public static List<String> subjects(Path pemFile) throws IOException {
        List<String> out = new ArrayList<>();
        for (X509Certificate c : read(pemFile)) out.add(c.getSubjectX500Principal().getName());
        return out;
    }
}
