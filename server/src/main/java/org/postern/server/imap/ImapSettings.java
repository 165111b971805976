package org.postern.server.imap;

import java.time.Duration;
import org.postern.server.config.Config;
import org.postern.server.net.Delays;

/**
 * What an operator may change about the IMAP server; fixed limits are in {@link ImapServerLimits}.
 *
 * @param hostname            our name in the greeting
 * @param maxConnections      open connections per IMAP listener
 * @param maxConnectionsPerIp open connections per client address, all IMAP listeners together
 * @param maxBadCommands      BAD responses tolerated in a row (a command that is not BAD resets the count); the
 *                            next one closes the connection with BYE
 * @param maxAuthFailures     failed logins tolerated per connection; the next closes it
 * @param allowPlaintextAuth  LOGIN and AUTHENTICATE before TLS (testing and trusted networks only)
 * @param maxMessageSize      largest APPEND (RFC 7889 APPENDLIMIT), the same as SMTP's
 * @param delays              slowness for failed logins and bad commands
 * @param autologout          how long the server waits for a command once logged in (RFC 9051 §5.4: at least
 *                            30 minutes; tests use less)
 * @param loginTimeout        how long it waits for a command before login
 * @param writeTimeout        how long one socket write may block
 */
public record ImapSettings(String hostname, int maxConnections, int maxConnectionsPerIp, int maxBadCommands,
                           int maxAuthFailures, boolean allowPlaintextAuth, long maxMessageSize, Delays delays,
                           Duration autologout, Duration loginTimeout, Duration writeTimeout) {
    public ImapSettings {
        if (hostname == null || hostname.isBlank()) throw new IllegalArgumentException("imap hostname missing");
        if (maxConnections < 1 || maxConnectionsPerIp < 1) throw new IllegalArgumentException("connection limits must be positive");
        if (maxBadCommands < 0 || maxAuthFailures < 0) throw new IllegalArgumentException("error limits must not be negative");
        if (maxMessageSize < 1) throw new IllegalArgumentException("message size limit must be positive");
        for (Duration d : new Duration[] {autologout, loginTimeout, writeTimeout})
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive");
    }

    /** From the loaded configuration: {@code hostname}, {@code [limits]} and {@code [security]}. */
    public static ImapSettings from(Config config) {
        Config.Limits l = config.limits();
        return new ImapSettings(config.hostname(), l.maxConnections(), l.maxConnectionsPerIp(), l.maxBadCommands(),
                l.maxAuthFailures(), config.security().allowPlaintextAuth(), l.maxMessageSize(), Delays.DEFAULT,
                ImapServerLimits.AUTOLOGOUT, ImapServerLimits.LOGIN_TIMEOUT, ImapServerLimits.WRITE_TIMEOUT);
    }

    public static ImapSettings defaults(String hostname) {
        return new ImapSettings(hostname, Config.Limits.DEFAULT_MAX_CONNECTIONS, Config.Limits.DEFAULT_MAX_CONNECTIONS_PER_IP,
                Config.Limits.DEFAULT_MAX_BAD_COMMANDS, Config.Limits.DEFAULT_MAX_AUTH_FAILURES, false,
                Config.Limits.DEFAULT_MAX_MESSAGE_SIZE, Delays.DEFAULT, ImapServerLimits.AUTOLOGOUT,
                ImapServerLimits.LOGIN_TIMEOUT, ImapServerLimits.WRITE_TIMEOUT);
    }

    public ImapSettings withAllowPlaintextAuth(boolean v) {
        return new ImapSettings(hostname, maxConnections, maxConnectionsPerIp, maxBadCommands, maxAuthFailures, v,
                maxMessageSize, delays, autologout, loginTimeout, writeTimeout);
    }

    public ImapSettings withDelays(Delays v) {
        return new ImapSettings(hostname, maxConnections, maxConnectionsPerIp, maxBadCommands, maxAuthFailures,
                allowPlaintextAuth, maxMessageSize, v, autologout, loginTimeout, writeTimeout);
    }

    public ImapSettings withTimeouts(Duration autologout, Duration loginTimeout, Duration writeTimeout) {
        return new ImapSettings(hostname, maxConnections, maxConnectionsPerIp, maxBadCommands, maxAuthFailures,
                allowPlaintextAuth, maxMessageSize, delays, autologout, loginTimeout, writeTimeout);
    }

    public ImapSettings withLimits(int maxBadCommands, int maxAuthFailures, long maxMessageSize) {
        return new ImapSettings(hostname, maxConnections, maxConnectionsPerIp, maxBadCommands, maxAuthFailures,
                allowPlaintextAuth, maxMessageSize, delays, autologout, loginTimeout, writeTimeout);
    }
}
