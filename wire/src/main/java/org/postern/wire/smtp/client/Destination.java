package org.postern.wire.smtp.client;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import org.postern.wire.sasl.Credentials;

/**
 * One host to connect to.
 *
 * @param host    the host's name as found (an MX target or the configured smarthost): reported as
 *                Remote-MTA in DSNs (RFC 3464 §2.3.5), sent as SNI, and the name a verified certificate
 *                must carry
 * @param address the resolved address and port
 * @param tls     {@link TlsPolicy.Opportunistic} for MX delivery, {@link TlsPolicy.RequiredVerified} for a
 *                smarthost
 * @param login   AUTH for a smarthost (RFC 4954); empty for MX delivery
 */
public record Destination(String host, InetSocketAddress address, TlsPolicy tls, Optional<Login> login) {
    public Destination {
        Objects.requireNonNull(host);
        Objects.requireNonNull(address);
        Objects.requireNonNull(tls);
        Objects.requireNonNull(login);
        if (address.isUnresolved()) throw new IllegalArgumentException("address not resolved: " + address);
    }

    /** An MX host: opportunistic TLS, no AUTH. */
    public static Destination mx(String host, InetSocketAddress address) {
        return new Destination(host, address, TlsPolicy.OPPORTUNISTIC, Optional.empty());
    }

    /**
     * Authentication at a smarthost, PLAIN preferred over LOGIN (RFC 4954).
     *
     * @param allowWithoutTls send the password over a plaintext connection: an explicit operator choice for
     *                        a relay on a trusted network (DESIGN.md, security defaults); otherwise a
     *                        connection without TLS fails before AUTH
     */
    public record Login(Credentials credentials, boolean allowWithoutTls) {
        public Login {
            Objects.requireNonNull(credentials);
        }
    }
}
