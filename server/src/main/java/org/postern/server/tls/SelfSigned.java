package org.postern.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the self-signed certificate a first start serves until the operator installs one from a certificate
 * authority. Clients will warn about it (nobody vouches for it), but the connection is encrypted, and a client
 * told to trust this one certificate (its SHA-256 fingerprint is printed) is safe from interception.
 */
public final class SelfSigned {
    /** RSA 2048: every client accepts it (NIST SP 800-57 rates it adequate through 2030). */
    static final int RSA_BITS = 2048;
    /** About ten years: a test or personal server should not stop working because its stopgap lapsed. */
    static final Duration VALIDITY = Duration.ofDays(3653);
    /** Backdated a day, so a client whose clock runs behind does not see a certificate from the future. */
    static final Duration BACKDATE = Duration.ofDays(1);

    private SelfSigned() {}

    /**
     * Generates an RSA key and a certificate for {@code hostname} (subject CN and SAN dNSName), also valid for
     * {@code localhost} and 127.0.0.1, and writes them as PEM: the key (PKCS#8, file mode 0600) to
     * {@code keyPem}, the certificate to {@code certPem}. Missing parent directories are created, owner-only.
     * Existing files are never overwritten.
     *
     * @return the certificate written
     * @throws TlsException when a file exists already or cannot be written
     */
    public static X509Certificate generate(String hostname, Path certPem, Path keyPem) {
        for (Path p : List.of(certPem, keyPem)) {
            if (Files.exists(p)) {
                throw new TlsException("not generating a self-signed certificate: " + p + " exists already");
            }
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = certificate(hostname, pair);

            var key = new StringWriter();
            try (var pem = new JcaPEMWriter(key)) {
                pem.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
            }
            var cert = new StringWriter();
            try (var pem = new JcaPEMWriter(cert)) {
                pem.writeObject(certificate);
            }
            write(keyPem, key.toString(), "rw-------");
            write(certPem, cert.toString(), "rw-r--r--");
            return certificate;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new TlsException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TlsException("cannot write the self-signed certificate and key (" + certPem + ", " + keyPem
                    + "): " + e, e);
        }
    }

    private static X509Certificate certificate(String hostname, KeyPair pair)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
        Instant now = Instant.now();
        // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; random so that no two look alike.
        BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), name, pair.getPublic());

        var names = new ArrayList<GeneralName>();
        names.add(new GeneralName(GeneralName.dNSName, hostname));
        if (!hostname.equalsIgnoreCase("localhost")) names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        // RFC 6125 §6.4.4: clients match the name against the SAN dNSName entries, not the CN.
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(names.toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));

        var signer = new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    /**
     * Writes through a temporary file in the same directory, created with the final permissions so the key is
     * never readable by others even for a moment, forced to disk, then renamed into place.
     */
    private static void write(Path target, String content, String permissions) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path temp = posix
                ? Files.createTempFile(dir, ".postern-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".postern-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            if (posix) Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(permissions));
            if (Files.exists(target)) throw new FileAlreadyExistsException(target.toString());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
