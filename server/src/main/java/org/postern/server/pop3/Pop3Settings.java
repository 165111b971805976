package org.postern.server.pop3;

import java.time.Duration;
import org.postern.server.config.Config;
import org.postern.server.net.Delays;

/**
 * What an operator may change about the POP3 server; fixed limits are in {@link Pop3Limits}.
 *
 * @param hostname            our name in the greeting
 * @param maxConnections      open connections per POP3 listener
 * @param maxConnectionsPerIp open connections per client address, all POP3 listeners together
 * @param maxBadCommands      unknown or malformed commands tolerated per connection; the next closes it
 * @param maxAuthFailures     failed logins tolerated per connection; the next closes it
 * @param allowPlaintextAuth  USER/PASS and AUTH before TLS (testing and trusted networks only)
 * @param delays              slowness for failed logins and bad commands
 * @param autologout          how long the server waits for a command (RFC 1939 §3: at least 10 minutes)
 */
public record Pop3Settings(String hostname, int maxConnections, int maxConnectionsPerIp, int maxBadCommands,
                           int maxAuthFailures, boolean allowPlaintextAuth, Delays delays, Duration autologout) {
    public Pop3Settings {
        if (hostname == null || hostname.isBlank()) throw new IllegalArgumentException("pop3 hostname missing");
        if (maxConnections < 1 || maxConnectionsPerIp < 1) throw new IllegalArgumentException("connection limits must be positive");
        if (maxBadCommands < 0 || maxAuthFailures < 0) throw new IllegalArgumentException("error limits must not be negative");
        if (autologout.isNegative() || autologout.isZero()) throw new IllegalArgumentException("autologout must be positive");
    }

    /** From the loaded configuration: {@code hostname}, {@code [limits]} and {@code [security]}. */
    public static Pop3Settings from(Config config) {
        Config.Limits l = config.limits();
        return new Pop3Settings(config.hostname(), l.maxConnections(), l.maxConnectionsPerIp(), l.maxBadCommands(),
                l.maxAuthFailures(), config.security().allowPlaintextAuth(), Delays.DEFAULT, Pop3Limits.AUTOLOGOUT);
    }

    public static Pop3Settings defaults(String hostname) {
        return new Pop3Settings(hostname, Config.Limits.DEFAULT_MAX_CONNECTIONS, Config.Limits.DEFAULT_MAX_CONNECTIONS_PER_IP,
                Config.Limits.DEFAULT_MAX_BAD_COMMANDS, Config.Limits.DEFAULT_MAX_AUTH_FAILURES, false, Delays.DEFAULT,
                Pop3Limits.AUTOLOGOUT);
    }

    public Pop3Settings withAllowPlaintextAuth(boolean v) {
        return new Pop3Settings(hostname, maxConnections, maxConnectionsPerIp, maxBadCommands, maxAuthFailures, v, delays, autologout);
    }

    public Pop3Settings withDelays(Delays v) {
        return new Pop3Settings(hostname, maxConnections, maxConnectionsPerIp, maxBadCommands, maxAuthFailures, allowPlaintextAuth, v, autologout);
    }

    public Pop3Settings withAutologout(Duration v) {
        return new Pop3Settings(hostname, maxConnections, maxConnectionsPerIp, maxBadCommands, maxAuthFailures, allowPlaintextAuth, delays, v);
    }

    public Pop3Settings withLimits(int maxBadCommands, int maxAuthFailures) {
        return new Pop3Settings(hostname, maxConnections, maxConnectionsPerIp, maxBadCommands, maxAuthFailures, allowPlaintextAuth, delays, autologout);
    }

    public Pop3Settings withConnectionLimits(int total, int perIp) {
        return new Pop3Settings(hostname, total, perIp, maxBadCommands, maxAuthFailures, allowPlaintextAuth, delays, autologout);
    }
}
