package org.postern.server.relay;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Where and how patiently to ask DNS. {@code servers} empty means the system's resolvers (dnsjava's
 * {@code ResolverConfig}: /etc/resolv.conf, or the platform's equivalent).
 *
 * <p>One query is sent at most {@code 1 + retries} times to each server, waiting {@code timeout} for each try,
 * so a dead resolver costs at most {@code timeout * (1 + retries) * servers}.
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration timeout, int retries) {
    /** glibc's resolv.conf default ({@code timeout:5}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** glibc's default is {@code attempts:2}, i.e. one retry; UDP loss is rare and the relay queue retries anyway. */
    public static final int DEFAULT_RETRIES = 1;
    /** A retry count beyond this only delays the queue; a resolver that drops 4 queries in a row is down. */
    public static final int MAX_RETRIES = 3;

    public DnsSettings {
        servers = List.copyOf(servers);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("DNS timeout must be positive: " + timeout);
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException("DNS retries must be 0.." + MAX_RETRIES + ": " + retries);
        }
    }

    /** The system's resolvers with the default timeout and retries. */
    public static DnsSettings system() {
        return new DnsSettings(List.of(), DEFAULT_TIMEOUT, DEFAULT_RETRIES);
    }

    /** These servers with the default timeout and retries. */
    public static DnsSettings of(InetSocketAddress... servers) {
        return new DnsSettings(List.of(servers), DEFAULT_TIMEOUT, DEFAULT_RETRIES);
    }

    public DnsSettings withTimeout(Duration timeout) {
        return new DnsSettings(servers, timeout, retries);
    }

    public DnsSettings withRetries(int retries) {
        return new DnsSettings(servers, timeout, retries);
    }
}
