package org.postern.client.net;

import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where a protocol client connects and how it secures the connection. {@code trust} empty means the JDK's
 * default trust store; a test or a self-hosted server passes its own. Certificates are always verified and
 * the host name checked (RFC 6125); {@link Security#PLAINTEXT} exists for tests and for servers on a
 * trusted network, and a client refuses to send a password over it unless the account allows that.
 */
public record Endpoint(String host, int port, Security security, Optional<SSLContext> trust) {
    public Endpoint {
        Objects.requireNonNull(host);
        Objects.requireNonNull(security);
        Objects.requireNonNull(trust);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    public enum Security { IMPLICIT_TLS, STARTTLS, PLAINTEXT }

    /** The context that verifies the server's certificate: {@link #trust()}, else the JDK's default. */
    public SSLContext trustOrDefault() {
        if (trust.isPresent()) return trust.get();
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /** "host:port", for messages. */
    public String where() {
        return host + ":" + port;
    }
}
