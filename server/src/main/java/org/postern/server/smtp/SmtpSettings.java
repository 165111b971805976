package org.postern.server.smtp;

import java.time.Duration;
import java.util.List;
import org.postern.server.config.Cidr;
import org.postern.server.config.Config;
import org.postern.server.net.Delays;

/**
 * What an operator may change about the SMTP server; {@link #defaults(String)} holds the defaults in code.
 * Fixed limits are in {@link SmtpLimits}.
 *
 * @param hostname            our name in the greeting, EHLO reply and Received fields
 * @param maxMessageBytes     advertised as SIZE (RFC 1870) and enforced on DATA and BDAT
 * @param maxRecipients       per transaction; over it RCPT gets 452 4.5.3 (RFC 5321 §4.5.3.1.10)
 * @param maxConnections      open SMTP connections in total, all SMTP listeners together
 * @param maxConnectionsPerIp open connections per client address (per /64 for IPv6)
 * @param maxBadCommands      syntax errors, out-of-sequence commands and refused recipients tolerated per
 *                            connection; the next one gets 421 and the connection is closed
 * @param maxAuthFailures     failed AUTH attempts tolerated per connection; the next failure gets 421 and a close
 * @param relayNetworks       clients that may relay through the MX listener without AUTH (default none:
 *                            loopback is never trusted by default)
 * @param allowPlaintextAuth  offer AUTH before TLS (testing only: passwords would cross the network in clear)
 * @param delays              slowness for failed logins and syntax errors
 * @param timeouts            socket read timeouts
 */
public record SmtpSettings(String hostname, long maxMessageBytes, int maxRecipients, int maxConnections,
                           int maxConnectionsPerIp, int maxBadCommands, int maxAuthFailures, List<Cidr> relayNetworks,
                           boolean allowPlaintextAuth, Delays delays, Timeouts timeouts) {

    /**
     * @param command   waiting for a command line (RFC 5321 §4.5.3.2.7: at least 5 minutes)
     * @param dataBlock waiting for more DATA/BDAT bytes (§4.5.3.2.5: at least 3 minutes)
     */
    public record Timeouts(Duration command, Duration dataBlock) {
        public static final Timeouts DEFAULT = new Timeouts(SmtpLimits.COMMAND_TIMEOUT, SmtpLimits.DATA_BLOCK_TIMEOUT);

        public Timeouts {
            if (command.isNegative() || command.isZero() || dataBlock.isNegative() || dataBlock.isZero())
                throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public SmtpSettings {
        if (hostname == null || hostname.isBlank() || !hostname.matches("[A-Za-z0-9.\\-\\[\\]:]+"))
            throw new IllegalArgumentException("smtp hostname must be a domain name: '" + hostname + "'");
        if (maxMessageBytes < 1) throw new IllegalArgumentException("maximum message size must be positive");
        if (maxRecipients < 1) throw new IllegalArgumentException("maximum recipients must be positive");
        if (maxConnections < 1 || maxConnectionsPerIp < 1) throw new IllegalArgumentException("connection limits must be positive");
        if (maxBadCommands < 0 || maxAuthFailures < 0) throw new IllegalArgumentException("error limits must not be negative");
        relayNetworks = List.copyOf(relayNetworks);
    }

    /** The defaults of postern.toml ({@link Config.Limits#DEFAULTS}, {@link Config.Security#DEFAULTS}). */
    public static SmtpSettings defaults(String hostname) {
        return of(hostname, Config.Limits.DEFAULTS, Config.Security.DEFAULTS);
    }

    /** From the loaded configuration: {@code hostname}, {@code [limits]} and {@code [security]}. */
    public static SmtpSettings from(Config config) {
        return of(config.hostname(), config.limits(), config.security());
    }

    private static SmtpSettings of(String hostname, Config.Limits l, Config.Security s) {
        return new SmtpSettings(hostname, l.maxMessageSize(), l.maxRecipients(), l.maxConnections(), l.maxConnectionsPerIp(),
                l.maxBadCommands(), l.maxAuthFailures(), s.relayNetworks(), s.allowPlaintextAuth(), Delays.DEFAULT,
                Timeouts.DEFAULT);
    }

    public SmtpSettings withMaxMessageBytes(long v) {
        return new SmtpSettings(hostname, v, maxRecipients, maxConnections, maxConnectionsPerIp, maxBadCommands,
                maxAuthFailures, relayNetworks, allowPlaintextAuth, delays, timeouts);
    }

    public SmtpSettings withMaxRecipients(int v) {
        return new SmtpSettings(hostname, maxMessageBytes, v, maxConnections, maxConnectionsPerIp, maxBadCommands,
                maxAuthFailures, relayNetworks, allowPlaintextAuth, delays, timeouts);
    }

    public SmtpSettings withConnectionLimits(int total, int perIp) {
        return new SmtpSettings(hostname, maxMessageBytes, maxRecipients, total, perIp, maxBadCommands,
                maxAuthFailures, relayNetworks, allowPlaintextAuth, delays, timeouts);
    }

    public SmtpSettings withMaxBadCommands(int v) {
        return new SmtpSettings(hostname, maxMessageBytes, maxRecipients, maxConnections, maxConnectionsPerIp, v,
                maxAuthFailures, relayNetworks, allowPlaintextAuth, delays, timeouts);
    }

    public SmtpSettings withMaxAuthFailures(int v) {
        return new SmtpSettings(hostname, maxMessageBytes, maxRecipients, maxConnections, maxConnectionsPerIp,
                maxBadCommands, v, relayNetworks, allowPlaintextAuth, delays, timeouts);
    }

    public SmtpSettings withRelayNetworks(List<Cidr> v) {
        return new SmtpSettings(hostname, maxMessageBytes, maxRecipients, maxConnections, maxConnectionsPerIp,
                maxBadCommands, maxAuthFailures, v, allowPlaintextAuth, delays, timeouts);
    }

    public SmtpSettings withAllowPlaintextAuth(boolean v) {
        return new SmtpSettings(hostname, maxMessageBytes, maxRecipients, maxConnections, maxConnectionsPerIp,
                maxBadCommands, maxAuthFailures, relayNetworks, v, delays, timeouts);
    }

    public SmtpSettings withDelays(Delays v) {
        return new SmtpSettings(hostname, maxMessageBytes, maxRecipients, maxConnections, maxConnectionsPerIp,
                maxBadCommands, maxAuthFailures, relayNetworks, allowPlaintextAuth, v, timeouts);
    }

    public SmtpSettings withTimeouts(Timeouts v) {
        return new SmtpSettings(hostname, maxMessageBytes, maxRecipients, maxConnections, maxConnectionsPerIp,
                maxBadCommands, maxAuthFailures, relayNetworks, allowPlaintextAuth, delays, v);
    }
}
