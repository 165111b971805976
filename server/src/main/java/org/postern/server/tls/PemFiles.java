package org.postern.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM files with Bouncy Castle's parser: certificates ({@code CERTIFICATE} blocks, in file order) and
 * one private key ({@code PRIVATE KEY} = PKCS#8, {@code RSA PRIVATE KEY} = PKCS#1, {@code EC PRIVATE KEY} = SEC1).
 * Other blocks (an {@code EC PARAMETERS} block before a key, a key in a combined certificate file) are skipped.
 */
final class PemFiles {
    private PemFiles() {}

    /** The certificates of a chain file, server certificate first; at least one. */
    static List<X509Certificate> certificates(Path file) {
        List<Object> objects = read(file, "certificate", "tls.certificate",
                "the server's certificate chain (PEM, server certificate first)");
        var converter = new JcaX509CertificateConverter();
        var chain = new ArrayList<X509Certificate>();
        for (Object o : objects) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsException("TLS certificate file " + file + ": certificate " + (chain.size() + 1)
                            + " cannot be read: " + e.getMessage(), e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new TlsException("TLS certificate file " + file + " holds no certificate (no -----BEGIN CERTIFICATE-----"
                    + " block; found " + names(objects) + "). Is it the key file?");
        }
        return List.copyOf(chain);
    }

    /** The first private key in the file. */
    static PrivateKey privateKey(Path file) {
        List<Object> objects = read(file, "key", "tls.key", "the certificate's private key (PEM, unencrypted)");
        var converter = new JcaPEMKeyConverter();
        for (Object o : objects) {
            try {
                switch (o) {
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PEMKeyPair pair -> {
                        // Not getKeyPair: the public key is optional in SEC1 (RFC 5915 §3) and often absent.
                        return converter.getPrivateKey(pair.getPrivateKeyInfo());
                    }
                    case PEMEncryptedKeyPair _, PKCS8EncryptedPrivateKeyInfo _ -> throw encrypted(file);
                    default -> { }                             // certificates, EC parameters: not the key
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof TlsException t) throw t;
                throw new TlsException("TLS key file " + file + ": the private key cannot be read: " + e.getMessage(), e);
            }
        }
        throw new TlsException("TLS key file " + file + " holds no private key (no -----BEGIN PRIVATE KEY----- block;"
                + " found " + names(objects) + "). Is it the certificate file?");
    }

    private static TlsException encrypted(Path file) {
        return new TlsException("TLS key file " + file + " is encrypted with a passphrase, and the server cannot ask for"
                + " one when it starts. Write an unencrypted copy readable only by the server:"
                + " openssl pkey -in " + file + " -out key.pem && chmod 600 key.pem");
    }

    /** Every PEM object in the file; fails with a message for people when there are none or the file is unusable. */
    private static List<Object> read(Path file, String what, String setting, String content) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsException("TLS " + what + " file " + file + " does not exist. Put " + content + " there, or set "
                    + setting + " in postern.toml to where it is.");
        } catch (AccessDeniedException e) {
            throw new TlsException("TLS " + what + " file " + file + " cannot be read by this user (permission denied)."
                    + " Let the user the server runs as read it.");
        } catch (IOException e) {
            throw new TlsException("TLS " + what + " file " + file + " cannot be read: " + e, e);
        }
        var objects = new ArrayList<Object>();
        try (Reader reader = new java.io.StringReader(new String(bytes, StandardCharsets.ISO_8859_1));
             var parser = new PEMParser(reader)) {
            for (Object o; (o = parser.readObject()) != null; ) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsException("TLS " + what + " file " + file + " is not valid PEM: " + e.getMessage()
                    + ". Expected " + content + " between -----BEGIN and -----END lines.", e);
        }
        if (objects.isEmpty()) {
            boolean der = bytes.length > 0 && bytes[0] == 0x30;      // DER SEQUENCE tag: binary X.509 or PKCS#8
            throw new TlsException("TLS " + what + " file " + file + " is not a PEM file (no -----BEGIN line). Expected "
                    + content + "." + (der
                        ? " It looks like binary DER; convert it with: openssl "
                          + (what.equals("key") ? "pkey" : "x509") + " -inform der -in " + file + " -out " + what + ".pem"
                        : ""));
        }
        return objects;
    }

    private static String names(List<Object> objects) {
        return objects.stream().map(o -> switch (o) {
            case X509CertificateHolder _ -> "a certificate";
            case PrivateKeyInfo _, PEMKeyPair _ -> "a private key";
            default -> o.getClass().getSimpleName();
        }).distinct().toList().toString();
    }
}
