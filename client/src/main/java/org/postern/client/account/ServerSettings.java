package org.postern.client.account;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.postern.client.net.Endpoint;
import org.postern.client.net.TrustedCertificates;

/**
 * One server an account talks to. {@code security} as in the accounts file: {@code tls} (implicit TLS, RFC 8314),
 * {@code starttls}, or {@code plaintext} (no TLS at all; choosing it is the account's consent to send the password
 * unencrypted, meant for a server on the same machine or a trusted network). {@code certificateFile}: a PEM file
 * whose certificates are trusted in addition to the JDK's authorities (a self-hosted server's self-signed
 * certificate, or a private CA); see {@link TrustedCertificates}.
 */
public record ServerSettings(String host, int port, Endpoint.Security security, String user,
                             Optional<Path> certificateFile) {
    /** How long a connect or a read may take before the server is given up on for this run. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    public ServerSettings {
        Objects.requireNonNull(host);
        Objects.requireNonNull(security);
        Objects.requireNonNull(user);
        Objects.requireNonNull(certificateFile);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** A server whose certificate must chain to one of the JDK's authorities. */
    public ServerSettings(String host, int port, Endpoint.Security security, String user) {
        this(host, port, security, user, Optional.empty());
    }

    /** The endpoint to connect to, trusting the JDK's certificate authorities unless {@code trust} says otherwise. */
    public Endpoint endpoint(Optional<SSLContext> trust) {
        return new Endpoint(host, port, security, trust);
    }

    /**
     * The endpoint to connect to, trusting the JDK's authorities and the certificates of {@link #certificateFile}.
     *
     * @throws AccountException when the certificate file cannot be used (the sentence names it and the fix)
     */
    public Endpoint endpoint() {
        if (certificateFile.isEmpty() || security == Endpoint.Security.PLAINTEXT) return endpoint(Optional.empty());
        try {
            return endpoint(Optional.of(TrustedCertificates.load(certificateFile.get())));
        } catch (IOException e) {
            throw new AccountException(e.getMessage());
        }
    }

    /** True when the account chose {@code plaintext}: the password may then go without TLS. */
    public boolean allowPlaintext() {
        return security == Endpoint.Security.PLAINTEXT;
    }

    /** The accounts file's word for a security mode. */
    public static String key(Endpoint.Security s) {
        return switch (s) {
            case IMPLICIT_TLS -> "tls";
            case STARTTLS -> "starttls";
            case PLAINTEXT -> "plaintext";
        };
    }

    public static Optional<Endpoint.Security> security(String key) {
        return switch (key) {
            case "tls" -> Optional.of(Endpoint.Security.IMPLICIT_TLS);
            case "starttls" -> Optional.of(Endpoint.Security.STARTTLS);
            case "plaintext" -> Optional.of(Endpoint.Security.PLAINTEXT);
            default -> Optional.empty();
        };
    }

    /** The usual port: 993/143 for IMAP, 995/110 for POP3 (RFC 8314 §7), 465/587 for submission (RFC 8314, RFC 6409). */
    public static int defaultPort(String service, Endpoint.Security s) {
        boolean tls = s == Endpoint.Security.IMPLICIT_TLS;
        return switch (service) {
            case "imap" -> tls ? 993 : 143;
            case "pop3" -> tls ? 995 : 110;
            case "smtp" -> tls ? 465 : 587;
            default -> throw new IllegalArgumentException("unknown service " + service);
        };
    }

    @Override
    public String toString() {
        return user + " at " + host + ":" + port + " (" + key(security) + ")";
    }
}
