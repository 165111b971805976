package org.postern.wire.smtp.client;

import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Whether and how a connection uses STARTTLS (RFC 3207).
 */
public sealed interface TlsPolicy {
    /**
     * For delivery to a domain's MX hosts: STARTTLS when offered, any certificate accepted (an MX host name
     * comes from unauthenticated DNS, so verifying it against the certificate proves little, RFC 7435 §1),
     * and a server that does not offer STARTTLS is used in plaintext. A failed handshake is retried once on a
     * new connection without TLS: a broken TLS setup must not stop mail that would otherwise flow
     * (RFC 3207 §4: a publicly-referenced server must not require TLS, so it accepts plaintext).
     */
    record Opportunistic() implements TlsPolicy {}

    /**
     * For a smarthost we hand all mail to, with a password: STARTTLS must be offered, and the certificate must
     * chain to {@code trust}'s trust anchors and name the host we connect to (RFC 6125 via the JDK's HTTPS
     * endpoint identification). Anything less is a temporary failure, never a plaintext fallback.
     */
    record RequiredVerified(SSLContext trust) implements TlsPolicy {
        public RequiredVerified {
            Objects.requireNonNull(trust);
        }
    }

    /**
     * For message submission on port 465 (RFC 8314 §3.3): TLS from the first byte, before the greeting, with the
     * certificate verified as for {@link RequiredVerified}; no STARTTLS. A failed handshake is a temporary
     * failure, never a plaintext fallback.
     */
    record ImplicitVerified(SSLContext trust) implements TlsPolicy {
        public ImplicitVerified {
            Objects.requireNonNull(trust);
        }
    }

    TlsPolicy OPPORTUNISTIC = new Opportunistic();
}
