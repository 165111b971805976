package org.postern.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.postern.server.PosternServer;
import org.postern.server.config.Config;
import org.postern.server.config.FirstStart;
import org.postern.server.directory.Account;
import org.postern.server.directory.Directory;
import org.postern.server.directory.sqlite.SqliteDirectory;
import org.postern.server.net.Listener;
import org.postern.server.store.sqlite.SqliteMailStore;
import org.postern.server.tls.SelfSigned;
import org.postern.wire.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code postern serve}: runs the server until SIGTERM / Ctrl-C.
 *
 * <p>Without {@code --config}, the configuration is {@code <data>/postern.toml}; when it does not exist this is
 * a first start: {@link FirstStart} writes a commented configuration and a self-signed certificate, and this
 * command creates a domain named after the host with a {@code postmaster} account whose generated password
 * is printed once. With {@code --config}, Postern uses exactly the listeners configured.
 */
@Command(name = "serve", description = "Run the server (first start: creates the data directory and configuration).")
final class ServeCommand implements Callable<Integer> {
    /** Generated passwords: 20 characters of a 56-letter alphabet without look-alikes, ~116 bits. */
    static final int GENERATED_PASSWORD_LENGTH = 20;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

    @ParentCommand
    Main main;

    @Option(names = "--config", paramLabel = "FILE", description = "configuration file (default: <data>/postern.toml)")
    Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory without --config (default: $POSTERN_DATA, else ./data)")
    Path data;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "write the server's process id here")
    Path pidFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = main.out();
        Config config = configuration(out);
        prepareTls(config, out);
        firstAccount(config, out);

        PosternServer server = PosternServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "postern-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (pidFile != null) Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");

        out.println("Postern " + config.hostname() + " is running; data in " + config.dataDir());
        for (Listener l : server.listeners()) out.println("  listening: " + l.name() + " on " + address(l));
        out.println("Add a user: ./postern user add NAME@DOMAIN" + dataHint() + "   Stop: Ctrl-C");
        out.flush();
        stopped.await();
        if (pidFile != null) Files.deleteIfExists(pidFile);
        return 0;
    }

    private Config configuration(PrintWriter out) {
        if (configFile != null) {
            if (data != null) throw new CliException("--data and --config both name the data directory: give one of them");
            return Config.load(configFile);
        }
        Path dir = data != null ? data : DataOptions.defaultDir(main.inv.env());
        Path file = dir.resolve(Config.FILE_NAME);
        if (!Files.exists(file)) {
            FirstStart.Result r = FirstStart.prepare(dir, FirstStart.runningAsRoot());
            out.println("First start: created " + r.dataDir().toAbsolutePath());
            for (Path p : r.created()) out.println("  " + p);
            r.certificateFingerprint().ifPresent(f -> out.println("  self-signed certificate, SHA-256 " + f));
        }
        return Config.load(file);
    }

    /** A configuration that keeps the default certificate paths gets a self-signed pair when there is none. */
    private static void prepareTls(Config config, PrintWriter out) {
        Config.Tls defaults = Config.Tls.defaults(config.dataDir());
        Config.Tls tls = config.tls();
        if (tls.equals(defaults) && !Files.exists(tls.certificate()) && !Files.exists(tls.key())) {
            try {
                Files.createDirectories(tls.certificate().getParent());
            } catch (IOException e) {
                throw new CliException("cannot create " + tls.certificate().getParent() + ": " + e.getMessage());
            }
            SelfSigned.generate(config.hostname(), tls.certificate(), tls.key());
            out.println("Generated a self-signed certificate for " + config.hostname() + " in " + tls.certificate().getParent());
        }
    }

    /**
     * First start: an empty directory gets a domain (the host name, or its parent domain when the host name is
     * a host in it, like mail.example.org) and a postmaster account (RFC 5321 §4.5.1 requires postmaster).
     */
    private void firstAccount(Config config, PrintWriter out) {
        try (Directory d = SqliteDirectory.open(config.dataDir())) {
            if (!d.domains().isEmpty()) return;
            String domain = d.addDomain(defaultDomain(config.hostname()));
            Secret password = generatePassword();
            Account postmaster = d.addAccount("postmaster@" + domain, password);
            try (SqliteMailStore store = SqliteMailStore.open(config.dataDir())) {
                store.ensureAccount(postmaster.id());
            }
            out.println("Created domain " + domain + " and account " + postmaster.address());
            out.println("  password (shown only now): " + password.reveal());
            out.println("  change it: ./postern user passwd " + postmaster.address() + dataHint());
            password.wipe();
        }
    }

    static String defaultDomain(String hostname) {
        String h = hostname.toLowerCase(java.util.Locale.ROOT);
        int dot = h.indexOf('.');
        // "mail.example.org" -> example.org; a bare "myhost" or "localhost" stays as it is
        if (dot > 0 && h.indexOf('.', dot + 1) > 0 && List.of("mail", "mx", "smtp", "imap").contains(h.substring(0, dot)))
            return h.substring(dot + 1);
        return h;
    }

    static Secret generatePassword() {
        SecureRandom random = new SecureRandom();
        char[] c = new char[GENERATED_PASSWORD_LENGTH];
        for (int i = 0; i < c.length; i++) c[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        return new Secret(c);
    }

    private String dataHint() {
        if (configFile != null) return " --config " + configFile;
        if (data != null) return " --data " + data;
        return "";
    }

    private static String address(Listener l) {
        var a = l.address();
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
