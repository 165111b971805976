package org.postern.server.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.postern.wire.Secret;
import org.postern.wire.sasl.Credentials;
import org.postern.server.config.Config;
import org.postern.wire.smtp.client.ClientSettings;
import org.postern.wire.smtp.client.Destination;
import org.postern.wire.smtp.client.TlsPolicy;

/**
 * How the relay delivers: our name, the retry schedule, the SMTP client's timeouts, the port MX hosts listen on
 * and the optional smarthost.
 *
 * @param mxPort    25 (RFC 5321 §4.5.4.2 "SMTP port 25"); tests run MX hosts on other ports
 * @param smarthost when present, all mail goes there instead of to the domains' MX hosts
 */
public record RelaySettings(String hostname, Config.Queue schedule, ClientSettings client, int mxPort,
                            Optional<Smarthost> smarthost) {
    public static final int SMTP_PORT = 25;

    public RelaySettings {
        if (mxPort < 1 || mxPort > 65535) throw new IllegalArgumentException("bad MX port " + mxPort);
    }

    /** From the configuration: hostname, [queue] and [relay]. */
    public static RelaySettings from(Config config) {
        return new RelaySettings(config.hostname(), config.queue(), ClientSettings.of(config.hostname()), SMTP_PORT,
                Smarthost.from(config.relay()));
    }

    public RelaySettings withClient(ClientSettings c) {
        return new RelaySettings(hostname, schedule, c, mxPort, smarthost);
    }

    public RelaySettings withMxPort(int port) {
        return new RelaySettings(hostname, schedule, client, port, smarthost);
    }

    public RelaySettings withSmarthost(Optional<Smarthost> s) {
        return new RelaySettings(hostname, schedule, client, mxPort, s);
    }

    public RelaySettings withSchedule(Config.Queue q) {
        return new RelaySettings(hostname, q, client, mxPort, smarthost);
    }

    /**
     * One relay for all outbound mail. The host name is resolved by the system resolver at each connection (it
     * is the operator's, not a domain's MX).
     */
    public record Smarthost(String host, int port, TlsPolicy tls, Optional<Destination.Login> login) {
        /**
         * From {@code [relay]}: the password file is read now, at start, so a missing one is an error then and not
         * a queue full of deferred mail.
         */
        static Optional<Smarthost> from(Config.Relay r) {
            if (r.smarthost().isEmpty()) return Optional.empty();
            Optional<Destination.Login> login = r.user().map(user -> new Destination.Login(
                    new Credentials(user, Secret.of(firstLine(r.passwordFile().orElseThrow()))), !r.requireTls()));
            TlsPolicy tls;
            try {
                tls = r.requireTls() ? new TlsPolicy.RequiredVerified(SSLContext.getDefault()) : TlsPolicy.OPPORTUNISTIC;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context for the smarthost", e);
            }
            return Optional.of(new Smarthost(r.smarthost().get().host(), r.smarthost().get().port(), tls, login));
        }

        private static String firstLine(Path file) {
            try (var lines = Files.lines(file)) {
                return lines.findFirst().filter(l -> !l.isEmpty())
                        .orElseThrow(() -> new IllegalArgumentException("smarthost password file " + file + " is empty"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the smarthost password file " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
