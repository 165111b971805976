package org.postern.server.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Loads the server's certificate chain and private key from PEM files into an SSLContext for every TLS listener
 * and for STARTTLS. Nothing is checked about validity dates: an expired certificate still loads (clients will
 * complain), so that a lapsed renewal does not stop the server from starting.
 */
public final class TlsFiles {
    private static final Set<String> EDDSA = Set.of("EdDSA", "Ed25519", "Ed448");

    private TlsFiles() {}

    /**
     * An SSLContext (TLS 1.3 and 1.2 only) serving the chain in {@code certPem} with the key in {@code keyPem}.
     *
     * @throws TlsException naming the file and what to do: missing, not PEM, no certificate or key in it,
     *                      encrypted key, key not belonging to the certificate
     */
    public static SSLContext load(Path certPem, Path keyPem) {
        List<X509Certificate> chain = certificates(certPem);
        PrivateKey key = PemFiles.privateKey(keyPem);
        requireMatch(chain, key, certPem, keyPem);
        try {
            char[] password = "postern".toCharArray();            // in-memory store only; never written
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return PinnedProtocols.wrap(context);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsException("cannot use the key in " + keyPem + " with the certificate in " + certPem + ": " + e, e);
        }
    }

    /** The certificates in a PEM chain file, server certificate first. */
    public static List<X509Certificate> certificates(Path certPem) {
        return PemFiles.certificates(certPem);
    }

    /** The SHA-256 fingerprint as colon-separated upper-case hex, as {@code openssl x509 -fingerprint -sha256}. */
    public static String sha256Fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 and certificate encoding are required of every JDK", e);
        }
    }

    /**
     * The key belongs to the certificate when a signature made with it verifies with the certificate's public key:
     * one check for RSA, EC and EdDSA alike. The server certificate is the first in the file (RFC 8446 §4.4.2).
     */
    private static void requireMatch(List<X509Certificate> chain, PrivateKey key, Path certPem, Path keyPem) {
        X509Certificate certificate = chain.getFirst();
        String mismatch = "The private key in " + keyPem + " does not belong to the certificate in " + certPem
                + " (" + certificate.getSubjectX500Principal().getName() + ").";
        String publicAlgorithm = certificate.getPublicKey().getAlgorithm();
        if (!publicAlgorithm.equals(key.getAlgorithm())
                && !(EDDSA.contains(publicAlgorithm) && EDDSA.contains(key.getAlgorithm()))) {
            throw new TlsException(mismatch + " The key is " + key.getAlgorithm() + ", the certificate's "
                    + publicAlgorithm + ".");
        }
        if (matches(certificate, key, keyPem)) return;
        for (int i = 1; i < chain.size(); i++) {
            if (matches(chain.get(i), key, keyPem)) {
                throw new TlsException(mismatch + " It belongs to certificate " + (i + 1) + " in that file ("
                        + chain.get(i).getSubjectX500Principal().getName() + "): put the server certificate first,"
                        + " then the intermediates.");
            }
        }
        throw new TlsException(mismatch + " Use the key the certificate was issued for: the one its signing request"
                + " was made with.");
    }

    private static boolean matches(X509Certificate certificate, PrivateKey key, Path keyPem) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448" -> key.getAlgorithm();
            case "EdDSA" -> "EdDSA";
            default -> throw new TlsException("TLS key file " + keyPem + " holds a " + key.getAlgorithm()
                    + " key; Postern supports RSA, EC and EdDSA keys.");
        };
        if (!certificate.getPublicKey().getAlgorithm().equals(key.getAlgorithm())
                && !(EDDSA.contains(certificate.getPublicKey().getAlgorithm()) && EDDSA.contains(key.getAlgorithm()))) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;                                      // e.g. a key on another curve than the certificate's
        }
    }
}
