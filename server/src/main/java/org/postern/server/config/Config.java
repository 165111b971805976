package org.postern.server.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the server reads from postern.toml, immutable. {@link #load} reads a file; {@link #defaults} is what a
 * first start without a file uses. Paths are absolute and normalized. {@code listeners} has an entry for every
 * {@link ListenerKind}; an empty list means that kind is off.
 *
 * <p>The defaults live in code, as named constants with their reason, in the nested records.
 */
public record Config(String hostname, Path dataDir, Map<ListenerKind, List<InetSocketAddress>> listeners,
                     Tls tls, Dns dns, Limits limits, Queue queue, Security security, Relay relay) {

    /** Name of the config file a first start writes into the data directory. */
    public static final String FILE_NAME = "postern.toml";

    public Config {
        hostname = Addresses.hostname(hostname);
        dataDir = dataDir.toAbsolutePath().normalize();
        var all = new EnumMap<ListenerKind, List<InetSocketAddress>>(ListenerKind.class);
        for (ListenerKind kind : ListenerKind.values()) {
            all.put(kind, List.copyOf(listeners.getOrDefault(kind, List.of())));
        }
        listeners = Collections.unmodifiableMap(all);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(relay, "relay");
    }

    /** Without {@code [relay]} settings (the defaults: deliver to each domain's MX hosts). */
    public Config(String hostname, Path dataDir, Map<ListenerKind, List<InetSocketAddress>> listeners,
                  Tls tls, Dns dns, Limits limits, Queue queue, Security security) {
        this(hostname, dataDir, listeners, tls, dns, limits, queue, security, Relay.DEFAULTS);
    }

    /**
     * Reads and checks a config file. Relative paths in it resolve against the file's directory.
     *
     * @throws ConfigException naming file, line and key of every problem found
     */
    public static Config load(Path file) {
        return ConfigLoader.load(file);
    }

    /**
     * The configuration of a first start with no config file. All listeners are on: as root
     * ({@code privilegedPorts}) on the standard ports on 0.0.0.0, otherwise on the unprivileged ports
     * ({@link ListenerKind#unprivilegedPort()}, 2525, 2587, ...) on 127.0.0.1 only, since a personal test instance
     * should not be reachable from the network until someone decides it should.
     */
    public static Config defaults(Path dataDir, boolean privilegedPorts) {
        return new Config(localHostname(), dataDir, defaultListeners(privilegedPorts), Tls.defaults(dataDir),
                Dns.DEFAULTS, Limits.DEFAULTS, Queue.DEFAULTS, Security.DEFAULTS);
    }

    static Map<ListenerKind, List<InetSocketAddress>> defaultListeners(boolean privilegedPorts) {
        var map = new EnumMap<ListenerKind, List<InetSocketAddress>>(ListenerKind.class);
        for (ListenerKind kind : ListenerKind.values()) {
            map.put(kind, List.of(privilegedPorts
                    ? new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), kind.standardPort())
                    : new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), kind.unprivilegedPort())));
        }
        return map;
    }

    /** The addresses of one listener kind; empty when it is off. */
    public List<InetSocketAddress> listeners(ListenerKind kind) {
        return listeners.get(kind);
    }

    public Config withHostname(String hostname) {
        return new Config(hostname, dataDir, listeners, tls, dns, limits, queue, security, relay);
    }

    public Config withListeners(Map<ListenerKind, List<InetSocketAddress>> listeners) {
        return new Config(hostname, dataDir, listeners, tls, dns, limits, queue, security, relay);
    }

    public Config withTls(Tls tls) {
        return new Config(hostname, dataDir, listeners, tls, dns, limits, queue, security, relay);
    }

    public Config withDns(Dns dns) {
        return new Config(hostname, dataDir, listeners, tls, dns, limits, queue, security, relay);
    }

    public Config withLimits(Limits limits) {
        return new Config(hostname, dataDir, listeners, tls, dns, limits, queue, security, relay);
    }

    public Config withQueue(Queue queue) {
        return new Config(hostname, dataDir, listeners, tls, dns, limits, queue, security, relay);
    }

    public Config withRelay(Relay relay) {
        return new Config(hostname, dataDir, listeners, tls, dns, limits, queue, security, relay);
    }

    public Config withSecurity(Security security) {
        return new Config(hostname, dataDir, listeners, tls, dns, limits, queue, security, relay);
    }

    /**
     * The machine's canonical host name, or "localhost" when it has none usable as a DNS name (no reverse entry
     * gives back an IP address). Looked up once per process: the lookup may wait on DNS.
     */
    public static String localHostname() {
        return LocalHostname.NAME;
    }

    private static final class LocalHostname {
        static final String NAME = lookUp();

        private static String lookUp() {
            try {
                return Addresses.hostname(InetAddress.getLocalHost().getCanonicalHostName());
            } catch (UnknownHostException | IllegalArgumentException e) {
                return "localhost";
            }
        }
    }

    /** {@code [tls]}: the PEM files for STARTTLS and implicit TLS. Checked when TLS is loaded, not here. */
    public record Tls(Path certificate, Path key) {
        public Tls {
            certificate = certificate.toAbsolutePath().normalize();
            key = key.toAbsolutePath().normalize();
        }

        /** {@code <dataDir>/tls/cert.pem} and {@code key.pem}, where a first start puts its self-signed pair. */
        public static Tls defaults(Path dataDir) {
            Path dir = dataDir.resolve("tls");
            return new Tls(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        }
    }

    /** {@code [dns]}: the recursive resolvers for MX lookups; empty means the system's (/etc/resolv.conf). */
    public record Dns(List<InetSocketAddress> servers) {
        public static final Dns DEFAULTS = new Dns(List.of());

        public Dns {
            servers = List.copyOf(servers);
        }
    }

    /** {@code [limits]}: bounds on what one client may make the server do. */
    public record Limits(long maxMessageSize, int maxRecipients, int maxConnections, int maxConnectionsPerIp,
                         int maxBadCommands, int maxAuthFailures) {
        /** 50 MiB: large providers accept messages this big (Gmail receives up to 50 MB); less bounces their mail. */
        public static final long DEFAULT_MAX_MESSAGE_SIZE = 50L << 20;
        /** RFC 5321 §4.5.3.1.7: a server must accept message content of at least 64K octets. */
        public static final long MIN_MAX_MESSAGE_SIZE = 64L << 10;
        /** 1000 as in mox: a mailing list's batch fits; far more is a spammer's. */
        public static final int DEFAULT_MAX_RECIPIENTS = 1000;
        /** RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients per message. */
        public static final int MIN_MAX_RECIPIENTS = 100;
        /** Per listening socket: a thread each is cheap (virtual past the first 64), but each holds a file descriptor and buffers. */
        public static final int DEFAULT_MAX_CONNECTIONS = 1000;
        /** One address cannot take every slot (mox limits connections per IP); an office behind NAT fits. */
        public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 50;
        /** Unknown or malformed commands before the server hangs up (Postfix hard error limit 20, James IMAP 9). */
        public static final int DEFAULT_MAX_BAD_COMMANDS = 10;
        /** Failed AUTH/LOGIN/USER-PASS per connection before it is closed: a person mistyping reconnects. */
        public static final int DEFAULT_MAX_AUTH_FAILURES = 3;

        public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_RECIPIENTS,
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_IP, DEFAULT_MAX_BAD_COMMANDS,
                DEFAULT_MAX_AUTH_FAILURES);

        public Limits {
            atLeast("max_message_size", maxMessageSize, MIN_MAX_MESSAGE_SIZE);
            atLeast("max_recipients", maxRecipients, MIN_MAX_RECIPIENTS);
            atLeast("max_connections", maxConnections, 1);
            atLeast("max_connections_per_ip", maxConnectionsPerIp, 1);
            atLeast("max_bad_commands", maxBadCommands, 1);
            atLeast("max_auth_failures", maxAuthFailures, 1);
        }

        private static void atLeast(String name, long value, long min) {
            if (value < min) throw new IllegalArgumentException(name + " must be at least " + min + ", not " + value);
        }
    }

    /**
     * {@code [queue]}: when relayed mail is tried again. After attempt n (1-based) the next try waits
     * {@code retry[n-1]}, and the last entry repeats. A delay warning (RFC 3464 DSN, action "delayed") goes to the
     * sender once a message is {@code delayWarning} old, and at {@code giveUp} it bounces.
     */
    public record Queue(List<Duration> retry, Duration delayWarning, Duration giveUp) {
        /**
         * 5, 10, then every 15 minutes: quick enough for greylisting (which asks for a retry after a few minutes),
         * and the classic settle-at-15-minutes rhythm. RFC 5321 §4.5.4.1 suggests at least 30 minutes between
         * tries to one destination; we retry sooner, as Postfix does (minimal backoff 5 minutes).
         */
        public static final List<Duration> DEFAULT_RETRY = List.of(Duration.ofMinutes(5), Duration.ofMinutes(10),
                Duration.ofMinutes(15));
        /** 4 hours: Postfix delay_warning_time suggestion and sendmail Timeout.queuewarn. */
        public static final Duration DEFAULT_DELAY_WARNING = Duration.ofHours(4);
        /** 5 days: RFC 5321 §4.5.4.1 says the give-up time needs to be at least 4-5 days. */
        public static final Duration DEFAULT_GIVE_UP = Duration.ofDays(5);

        public static final Queue DEFAULTS = new Queue(DEFAULT_RETRY, DEFAULT_DELAY_WARNING, DEFAULT_GIVE_UP);

        public Queue {
            retry = List.copyOf(retry);
            if (retry.isEmpty()) throw new IllegalArgumentException("retry needs at least one delay");
            for (Duration d : retry) positive("retry", d);
            positive("delay_warning", delayWarning);
            positive("give_up", giveUp);
        }

        /** How long to wait after the given failed attempt (1 = the first) before the next one. */
        public Duration retryDelay(int attempt) {
            if (attempt < 1) throw new IllegalArgumentException("attempts count from 1, not " + attempt);
            return retry.get(Math.min(attempt, retry.size()) - 1);
        }

        private static void positive(String name, Duration d) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be longer than 0s");
        }
    }

    /** {@code [security]}: who may do what without proving who they are. */
    public record Security(boolean allowPlaintextAuth, List<Cidr> relayNetworks) {
        /**
         * No password over an unencrypted connection (RFC 3207 §4, RFC 8314 §3), no relaying by address: loopback
         * is not trusted by default, since a local web application or proxy can make 127.0.0.1 anyone.
         */
        public static final Security DEFAULTS = new Security(false, List.of());

        public Security {
            relayNetworks = List.copyOf(relayNetworks);
        }

        /** True when a client at this address may relay without AUTH. */
        public boolean mayRelayWithoutAuth(InetAddress client) {
            return relayNetworks.stream().anyMatch(n -> n.contains(client));
        }
    }

    /**
     * {@code [relay]}: how mail for other domains leaves. By default each domain's MX hosts are looked up and
     * tried in turn; with a smarthost, all of it goes to that one relay instead (a provider's submission server,
     * a company gateway), authenticated when a user is set.
     *
     * @param smarthost    host name or IP address and port
     * @param user         AUTH user name at the smarthost (RFC 4954)
     * @param passwordFile file whose first line is the password (never in the config file itself)
     * @param requireTls   STARTTLS with a verified certificate, else no delivery (the default); false allows a
     *                     plaintext relay on a trusted network (TLS is still used when offered)
     */
    public record Relay(Optional<Smarthost> smarthost, Optional<String> user, Optional<Path> passwordFile,
                        boolean requireTls) {
        public static final Relay DEFAULTS = new Relay(Optional.empty(), Optional.empty(), Optional.empty(), true);

        public Relay {
            if (user.isPresent() != passwordFile.isPresent())
                throw new IllegalArgumentException("smarthost_user and smarthost_password_file go together");
            if (user.isPresent() && smarthost.isEmpty())
                throw new IllegalArgumentException("smarthost_user without a smarthost");
        }

        /** A relay host: a DNS name or an IP address, and a port. */
        public record Smarthost(String host, int port) {
            public Smarthost {
                if (host.isEmpty()) throw new IllegalArgumentException("empty smarthost");
                if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535");
            }

            /** {@code host:port} or {@code [IPv6]:port}; the port is required (25 and 587 are both common). */
            public static Smarthost parse(String text) {
                int colon = text.lastIndexOf(':');
                if (colon <= 0 || colon == text.length() - 1)
                    throw new IllegalArgumentException("expected \"host:port\", found \"" + text + "\"");
                String host = text.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
                else if (host.contains(":")) throw new IllegalArgumentException("an IPv6 address goes in brackets: \"[" + host + "]:port\"");
                int port;
                try {
                    port = Integer.parseInt(text.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad port in \"" + text + "\"");
                }
                return new Smarthost(host, port);
            }

            @Override
            public String toString() {
                return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            }
        }
    }
}
