package org.postern.server;

import java.net.InetAddress;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.postern.server.config.Config;
import org.postern.server.config.ListenerKind;
import org.postern.server.delivery.DeliveryAgent;
import org.postern.server.directory.Directory;
import org.postern.server.directory.sqlite.SqliteDirectory;
import org.postern.server.imap.EnvelopeCache;
import org.postern.server.imap.ImapServer;
import org.postern.server.imap.ImapSettings;
import org.postern.server.net.AuthThrottle;
import org.postern.server.net.Listener;
import org.postern.server.pop3.Pop3Server;
import org.postern.server.pop3.Pop3Settings;
import org.postern.server.relay.DnsSettings;
import org.postern.server.relay.MxResolver;
import org.postern.server.relay.OwnHosts;
import org.postern.server.relay.Relay;
import org.postern.server.relay.RelaySettings;
import org.postern.server.smtp.SmtpServer;
import org.postern.server.smtp.SmtpSettings;
import org.postern.server.store.sqlite.SqliteMailStore;
import org.postern.server.tls.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Postern: the store, the directory, TLS, and every configured listener, built with {@code new}
 * from a {@link Config} (no DI). {@link #close()} stops accepting, ends sessions, then waits for the store's
 * pending writes, so a clean stop loses nothing that was acknowledged (and a crash loses nothing either:
 * acknowledgements only follow durable commits).
 */
public final class PosternServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PosternServer.class);

    /** Unreferenced blobs younger than this may belong to a delivery in flight in another process (an admin
     *  command never writes blobs, but a second server on the same data would): only older ones are swept. */
    static final Duration ORPHAN_MIN_AGE = Duration.ofMinutes(10);

    private final Config config;
    private final SqliteMailStore store;
    private final Directory directory;
    private final SmtpServer smtp;
    private final Pop3Server pop3;
    private final ImapServer imap;
    private final Relay relay;

    private PosternServer(Config config, SqliteMailStore store, Directory directory, SmtpServer smtp, Pop3Server pop3,
                          ImapServer imap, Relay relay) {
        this.config = config;
        this.store = store;
        this.directory = directory;
        this.smtp = smtp;
        this.pop3 = pop3;
        this.imap = imap;
        this.relay = relay;
    }

    /**
     * Opens the store and directory under {@code config.dataDir()}, loads TLS, and binds every listener.
     * On any failure, whatever was opened is closed again and the exception (with a message for the operator:
     * a port in use, a missing certificate) propagates.
     */
    public static PosternServer start(Config config) {
        return start(config, RelaySettings.from(config), Clock.systemUTC());
    }

    /**
     * As {@link #start(Config)}, with the relay's settings (tests: the MX port, short timeouts) and the clock of
     * the relay and the delivery agent.
     */
    public static PosternServer start(Config config, RelaySettings relaySettings, Clock clock) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Files.createDirectories(config.dataDir());
            Optional<SSLContext> tls = loadTls(config);
            SqliteMailStore store = SqliteMailStore.open(config.dataDir(), clock);
            opened.add(store);
            store.blobs().sweepTemp();
            store.sweepOrphans(ORPHAN_MIN_AGE);
            Directory directory = SqliteDirectory.open(config.dataDir());
            opened.add(directory);
            AuthThrottle authThrottle = new AuthThrottle(Clock.systemUTC());   // one per process: SMTP, POP3 and IMAP share it
            // one per process: mail delivered here (SMTP, the relay's notices) and APPENDed has its ENVELOPE rendered
            // at arrival, so the first FETCH of it copies bytes
            EnvelopeCache envelopes = new EnvelopeCache();
            SmtpServer smtp = new SmtpServer(SmtpSettings.from(config),
                    new SmtpServer.Services(store, directory, tls, clock, authThrottle, envelopes));
            opened.add(smtp);
            smtp.listen(config);
            Pop3Server pop3 = new Pop3Server(Pop3Settings.from(config), new Pop3Server.Services(store, directory, tls, authThrottle));
            opened.add(pop3);
            pop3.listen(config);
            ImapServer imap = new ImapServer(ImapSettings.from(config), new ImapServer.Services(store, directory, tls, authThrottle, envelopes));
            opened.add(imap);
            imap.listen(config);
            Relay relay = new Relay(relaySettings, new Relay.Services(store,
                    new DeliveryAgent(store, directory, clock, config.hostname(), envelopes),
                    new MxResolver(new DnsSettings(config.dns().servers(), DnsSettings.DEFAULT_TIMEOUT, DnsSettings.DEFAULT_RETRIES),
                            ownHosts(config, smtp), clock, new SecureRandom()), clock, new SecureRandom()));
            opened.add(relay);
            relay.start();
            return new PosternServer(config, store, directory, smtp, pop3, imap, relay);
        } catch (java.io.IOException e) {
            closeAll(opened.reversed());
            throw new java.io.UncheckedIOException("cannot prepare data directory " + config.dataDir() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(opened.reversed());
            throw e;
        }
    }

    /**
     * Who we are for the MX loop check (RFC 5321 §5.1): our host name and the addresses our SMTP listeners are
     * bound to (a wildcard address says nothing about which one is ours).
     */
    private static OwnHosts ownHosts(Config config, SmtpServer smtp) {
        Set<InetAddress> addresses = new HashSet<>();
        for (Listener l : smtp.listeners()) {
            InetAddress a = l.address().getAddress();
            if (!a.isAnyLocalAddress()) addresses.add(a);
        }
        return new OwnHosts(Set.of(config.hostname()), addresses);
    }

    /** TLS when the certificate files exist; absent files are fine only if no listener needs TLS. */
    private static Optional<SSLContext> loadTls(Config config) {
        Config.Tls t = config.tls();
        if (Files.exists(t.certificate()) || Files.exists(t.key()))
            return Optional.of(TlsFiles.load(t.certificate(), t.key()));
        // Implicit-TLS listeners need a certificate, always; submission needs one for STARTTLS before AUTH
        // unless plaintext AUTH is allowed, and so do POP3 and IMAP for their STLS/STARTTLS before login (the same
        // rules SmtpServer.listen, Pop3Server.listen and ImapServer.listen enforce, said here for people).
        boolean needsTls = config.listeners().entrySet().stream()
                .anyMatch(e -> !e.getValue().isEmpty() && (e.getKey().implicitTls()
                        || (e.getKey() == ListenerKind.SUBMISSION || e.getKey() == ListenerKind.POP3
                            || e.getKey() == ListenerKind.IMAP)
                        && !config.security().allowPlaintextAuth()));
        if (needsTls)
            throw new org.postern.server.tls.TlsException("no TLS certificate at " + t.certificate() + " (and key at " + t.key()
                    + "), but the configured submission/pop3/imap/implicit-TLS listeners need one: set [tls] certificate and key"
                    + " in the configuration, or delete them from it to have Postern generate a self-signed pair");
        log.warn("no TLS certificate at {}: STARTTLS is not offered", t.certificate());
        return Optional.empty();
    }

    public Config config() {
        return config;
    }

    public List<Listener> listeners() {
        List<Listener> all = new ArrayList<>(smtp.listeners());
        all.addAll(pop3.listeners());
        all.addAll(imap.listeners());
        return all;
    }

    public Directory directory() {
        return directory;
    }

    public Relay relay() {
        return relay;
    }

    public SqliteMailStore store() {
        return store;
    }

    @Override
    public void close() {
        closeAll(List.of(smtp, pop3, imap, relay, store, directory));
    }

    private static void closeAll(List<? extends AutoCloseable> things) {
        for (AutoCloseable c : things) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("while stopping: {}", e.toString());
            }
        }
    }
}
