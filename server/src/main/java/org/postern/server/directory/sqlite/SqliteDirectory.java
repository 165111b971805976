package org.postern.server.directory.sqlite;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.postern.server.directory.Account;
import org.postern.server.directory.Alias;
import org.postern.server.directory.Directory;
import org.postern.server.directory.VerifiedPasswords;
import org.postern.server.directory.DirectoryException;
import org.postern.server.directory.Passwords;
import org.postern.server.directory.Route;
import org.postern.server.store.AccountId;
import org.postern.server.store.StoreException;
import org.postern.wire.Secret;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;

/**
 * The directory in its own SQLite file, {@code <dataDir>/directory.db} (WAL, synchronous=FULL).
 *
 * <p>Implementation notes.
 * <ul>
 * <li>No cache: every lookup reads the database. Each is one or a few indexed point queries (microseconds),
 *     and the admin CLI changes this file from another process while the server runs; reading each time makes
 *     those changes take effect at once with nothing to invalidate. (A cache checked with
 *     {@code PRAGMA data_version} would save little, since that check is itself a round trip to SQLite.)</li>
 * <li>One connection, used under a {@link ReentrantLock}: statements are short, and the lock also serializes
 *     this process's writers. Writes use {@code BEGIN IMMEDIATE} so that a second process (the CLI next to the
 *     server) waits up to {@link #BUSY_TIMEOUT_MS} for the write lock instead of failing a transaction
 *     half-way. Lookups that need several statements (route) run in one read transaction, a snapshot.</li>
 * <li>Password hashing (tens of milliseconds) happens outside the lock: only the stored hash is read under it.</li>
 * </ul>
 */
public final class SqliteDirectory implements Directory {
    public static final String FILE_NAME = "directory.db";
    /** How long a writer waits for another process's write transaction: ours last milliseconds. */
    static final int BUSY_TIMEOUT_MS = 5_000;

    private static final System.Logger log = System.getLogger(SqliteDirectory.class.getName());

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    /** {@link SqlLookup}'s prepared statements, by SQL; used under {@link #lock}. */
    private final Map<String, PreparedStatement> lookupStatements = new HashMap<>();
    private final Path file;
    private final VerifiedPasswords verified = new VerifiedPasswords();

    private SqliteDirectory(Connection connection, Path file) {
        this.connection = connection;
        this.file = file;
    }

    /** Opens (creating and migrating as needed) {@code <dataDir>/directory.db}. */
    public static SqliteDirectory open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            createPrivate(file);
        } catch (IOException e) {
            throw new StoreException("cannot create " + file + ": " + e.getMessage(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);   // a committed account survives power loss
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        Connection c = null;
        try {
            c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            Schema.migrate(c, file);
            return new SqliteDirectory(c, file);
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure("open", e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** The file holds password hashes: readable by its owner only, where the file system has permissions. */
    private static void createPrivate(Path file) throws IOException {
        if (Files.exists(file)) return;
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix"))
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            else
                Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // another process created it first: fine
        }
    }

    // ---- domains

    @Override
    public String addDomain(String domain) {
        String d = Addresses.domain(domain);
        write(c -> {
            if (domainExists(c, d)) throw new DirectoryException("domain " + d + " exists already");
            return update(c, "INSERT INTO domain (name, created_at) VALUES (?, ?)", d, now());
        });
        return d;
    }

    @Override
    public void removeDomain(String domain) {
        String d = Addresses.domain(domain);
        write(c -> {
            if (!domainExists(c, d)) throw new DirectoryException("unknown domain " + d);
            long accounts = count(c, "SELECT count(*) FROM account WHERE domain = ?", d);
            long aliases = count(c, "SELECT count(DISTINCT source) FROM alias_target WHERE domain = ?", d);
            if (accounts > 0 || aliases > 0) {
                String what = accounts > 0 && aliases > 0 ? plural(accounts, "account") + " and " + plural(aliases, "alias")
                        : accounts > 0 ? plural(accounts, "account") : plural(aliases, "alias");
                throw new DirectoryException("domain " + d + " still has " + what + ": remove "
                        + (accounts + aliases == 1 ? "it" : "them") + " first");
            }
            update(c, "DELETE FROM domain WHERE name = ?", d);
            return null;
        });
    }

    @Override
    public List<String> domains() {
        return read(c -> strings(c, "SELECT name FROM domain ORDER BY name"));
    }

    @Override
    public boolean isLocalDomain(String domain) {
        String d;
        try {
            d = Addresses.domain(domain);
        } catch (DirectoryException e) {
            return false;
        }
        return read(c -> domainExists(c, d));
    }

    // ---- accounts

    @Override
    public Account addAccount(String address, Secret password) {
        String a = Addresses.address(address);
        String hash = Passwords.hash(password);   // slow: before taking the lock
        return write(c -> {
            String d = Addresses.domainOf(a);
            requireDomain(c, d);
            if (accountId(c, a).isPresent()) throw new DirectoryException("account " + a + " exists already");
            if (count(c, "SELECT count(*) FROM alias_target WHERE source = ?", a) > 0)
                throw new DirectoryException(a + " is an alias: remove it first (`postern alias remove " + a
                        + "`) or choose another address");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO account (address, domain, password_hash, "
                    + "created_at) VALUES (?, ?, ?, ?) RETURNING id")) {
                bind(p, a, d, hash, now());
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return new Account(new AccountId(rs.getLong(1)), a);
                }
            }
        });
    }

    @Override
    public void setPassword(String address, Secret password) {
        String a = Addresses.address(address);
        String hash = Passwords.hash(password);
        write(c -> {
            if (update(c, "UPDATE account SET password_hash = ? WHERE address = ?", hash, a) == 0)
                throw unknownAccount(a);
            return null;
        });
    }

    @Override
    public void removeAccount(String address) {
        String a = Addresses.address(address);
        write(c -> {
            // aliases naming it stay: they are by address and reach an account re-added under it
            if (update(c, "DELETE FROM account WHERE address = ?", a) == 0) throw unknownAccount(a);
            return null;
        });
    }

    @Override
    public List<Account> accounts(Optional<String> domain) {
        Optional<String> d = domain.map(Addresses::domain);
        return read(c -> {
            if (d.isPresent()) requireDomain(c, d.get());
            String sql = "SELECT id, address FROM account" + (d.isPresent() ? " WHERE domain = ?" : "")
                    + " ORDER BY address";
            try (PreparedStatement p = c.prepareStatement(sql)) {
                if (d.isPresent()) p.setString(1, d.get());
                List<Account> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(new Account(new AccountId(rs.getLong(1)), rs.getString(2)));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<Account> account(String address) {
        String a = Addresses.addressOrNull(address);
        if (a == null) return Optional.empty();
        return read(c -> accountId(c, a).map(id -> new Account(id, a)));
    }

    @Override
    public Optional<Account> authenticate(String address, Secret password) {
        String a = Addresses.addressOrNull(address);
        record Stored(AccountId id, String hash) {}
        Optional<Stored> stored = a == null ? Optional.empty() : read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id, password_hash FROM account WHERE address = ?")) {
                p.setString(1, a);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(new Stored(new AccountId(rs.getLong(1)), rs.getString(2)))
                            : Optional.<Stored>empty();
                }
            }
        });
        if (stored.isEmpty()) {
            Passwords.burn(password);   // an unknown user costs one hash too: no enumeration by timing
            return Optional.empty();
        }
        if (verified.matches(stored.get().id(), stored.get().hash(), password)) return Optional.of(new Account(stored.get().id(), a));
        if (!Passwords.verify(password, stored.get().hash())) return Optional.empty();
        verified.remember(stored.get().id(), stored.get().hash(), password);
        if (Passwords.needsRehash(stored.get().hash())) {
            // parameters were raised since this hash was made: store one with the current parameters
            // (best effort: the login succeeds even if the directory is busy; the next one tries again)
            try {
                String fresh = Passwords.hash(password);
                write(c -> update(c, "UPDATE account SET password_hash = ? WHERE id = ? AND password_hash = ?",
                        fresh, stored.get().id().value(), stored.get().hash()));
            } catch (StoreException e) {
                log.log(System.Logger.Level.WARNING, "could not upgrade the password hash of " + a + ": " + e.getMessage());
            }
        }
        return Optional.of(new Account(stored.get().id(), a));
    }

    // ---- aliases

    @Override
    public void addAlias(String source, List<String> targets) {
        String s = Addresses.aliasSource(source);
        if (targets.isEmpty()) throw new DirectoryException("an alias needs at least one target address");
        write(c -> {
            String d = s.startsWith("@") ? s.substring(1) : Addresses.domainOf(s);
            requireDomain(c, d);
            if (accountId(c, s).isPresent())
                throw new DirectoryException(s + " is an account: an alias with its address would never be used");
            Routing.Lookup lookup = new SqlLookup(c, lookupStatements);
            List<String> normal = new ArrayList<>();
            for (String t : targets) normal.add(target(lookup, s, t));
            for (String t : normal)
                update(c, "INSERT INTO alias_target (source, domain, target, created_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (source, target) DO NOTHING", s, d, t, now());
            return null;
        });
    }

    /** A target in stored form: ours lower-case and existing; remote with its local part as given. */
    private static String target(Routing.Lookup lookup, String source, String input) {
        if (input.strip().startsWith("@"))
            throw new DirectoryException("alias target " + input.strip() + " is not an address: targets are "
                    + "local-part@domain");
        String normal = Addresses.address(input);
        String domain = Addresses.domainOf(normal);
        if (!lookup.isLocalDomain(domain)) {
            // RFC 5321 §2.4: only the remote host may interpret its local part, case included
            String t = input.strip();
            return t.substring(0, t.lastIndexOf('@') + 1) + domain;
        }
        if (normal.equals(source)) throw new DirectoryException("alias " + source + " cannot point at itself");
        if (!Routing.reaches(lookup, normal))
            throw new DirectoryException("unknown local address " + normal + ": add the account (`postern user add "
                    + normal + "`) or alias first");
        return normal;
    }

    @Override
    public void removeAlias(String source) {
        String s = Addresses.aliasSource(source);
        write(c -> {
            if (update(c, "DELETE FROM alias_target WHERE source = ?", s) == 0)
                throw new DirectoryException("unknown alias " + s);
            return null;
        });
    }

    @Override
    public List<Alias> aliases() {
        return read(c -> {
            Map<String, List<String>> bySource = new LinkedHashMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT source, target FROM alias_target ORDER BY source, id");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) bySource.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
            List<Alias> out = new ArrayList<>();
            bySource.forEach((source, targets) -> out.add(new Alias(source, targets)));
            return out;
        });
    }

    // ---- routing

    @Override
    public Route route(String address) {
        return read(c -> Routing.route(new SqlLookup(c, lookupStatements), address));
    }

    @Override
    public boolean maySendAs(Account account, String envelopeFrom) {
        return read(c -> Routing.maySendAs(new SqlLookup(c, lookupStatements), account, envelopeFrom));
    }

    @Override
    public void setQuota(String address, java.util.OptionalLong maxBytes) {
        String a = Addresses.address(address);
        if (maxBytes.isPresent() && maxBytes.getAsLong() < 0) throw new DirectoryException("a quota cannot be negative");
        write(c -> {
            Object value = maxBytes.isPresent() ? (Object) maxBytes.getAsLong() : null;
            if (update(c, "UPDATE account SET quota_bytes = ? WHERE address = ?", value, a) == 0) throw unknownAccount(a);
            return null;
        });
    }

    @Override
    public java.util.OptionalLong quota(AccountId account) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT quota_bytes FROM account WHERE id = ?")) {
                p.setLong(1, account.value());
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) return java.util.OptionalLong.empty();
                    long v = rs.getLong(1);
                    return rs.wasNull() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(v);
                }
            }
        });
    }

    @Override
    public void close() {
        lock.lock();
        try {
            for (PreparedStatement p : lookupStatements.values()) p.close();
            lookupStatements.clear();
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Routing's view of the tables, inside the caller's transaction. Its statements are prepared once and kept
     * in {@link #lookupStatements} (used under {@link #lock}, like the connection): routing runs for every RCPT,
     * and parsing the SQL each time cost more than running it (RCPT was answered ~90 µs slower than other
     * commands).
     */
    private record SqlLookup(Connection c, Map<String, PreparedStatement> cache) implements Routing.Lookup {
        @Override
        public boolean isLocalDomain(String domain) {
            return sql(() -> {
                try (ResultSet rs = query("SELECT 1 FROM domain WHERE name = ?", domain)) {
                    return rs.next();
                }
            });
        }

        @Override
        public Optional<AccountId> account(String address) {
            return id("SELECT id FROM account WHERE address = ?", address);
        }

        @Override
        public List<String> aliasTargets(String source) {
            return sql(() -> {
                List<String> out = new ArrayList<>();
                try (ResultSet rs = query("SELECT target FROM alias_target WHERE source = ? ORDER BY id", source)) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            });
        }

        @Override
        public Optional<AccountId> sitePostmaster() {
            return id("SELECT id FROM account WHERE address LIKE 'postmaster@%' ORDER BY id LIMIT 1");
        }

        private Optional<AccountId> id(String sql, Object... args) {
            return sql(() -> {
                try (ResultSet rs = query(sql, args)) {
                    return rs.next() ? Optional.of(new AccountId(rs.getLong(1))) : Optional.<AccountId>empty();
                }
            });
        }

        private ResultSet query(String sql, Object... args) throws SQLException {
            PreparedStatement p = cache.get(sql);
            if (p == null) {
                p = c.prepareStatement(sql);
                cache.put(sql, p);
            }
            bind(p, args);
            return p.executeQuery();
        }

        private static <T> T sql(Work0<T> w) {
            try {
                return w.run();
            } catch (SQLException e) {
                throw failure("lookup", e);
            }
        }
    }

    // ---- transactions and small queries

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private interface Work0<T> {
        T run() throws SQLException;
    }

    private <T> T read(Work<T> work) {
        return transaction("BEGIN", "read", work);
    }

    private <T> T write(Work<T> work) {
        return transaction("BEGIN IMMEDIATE", "write", work);
    }

    private <T> T transaction(String begin, String what, Work<T> work) {
        lock.lock();
        try (Statement s = connection.createStatement()) {
            s.execute(begin);
            try {
                T result = work.run(connection);
                s.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    s.execute("ROLLBACK");
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure(what, e);
        } finally {
            lock.unlock();
        }
    }

    private static StoreException failure(String what, SQLException e) {
        if (e.getErrorCode() == SQLiteErrorCode.SQLITE_BUSY.code)
            return new StoreException("the directory database is busy: another process held its write lock for more "
                    + "than " + BUSY_TIMEOUT_MS / 1000 + " s; try again", e);
        return new StoreException("directory " + what + " failed: " + e.getMessage(), e);
    }

    private static boolean domainExists(Connection c, String domain) throws SQLException {
        return count(c, "SELECT count(*) FROM domain WHERE name = ?", domain) > 0;
    }

    private static void requireDomain(Connection c, String domain) throws SQLException {
        if (!domainExists(c, domain))
            throw new DirectoryException("unknown domain " + domain + ": add it with `postern domain add " + domain + "`");
    }

    private static Optional<AccountId> accountId(Connection c, String address) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM account WHERE address = ?")) {
            p.setString(1, address);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(new AccountId(rs.getLong(1))) : Optional.empty();
            }
        }
    }

    private static DirectoryException unknownAccount(String address) {
        return new DirectoryException("unknown account " + address);
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            return p.executeUpdate();
        }
    }

    private static void bind(PreparedStatement p, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) p.setObject(i + 1, args[i]);
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : noun.endsWith("s") ? "es" : "s");
    }

    private static String now() {
        return Instant.now().toString();
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing with the original error
        }
    }

    @Override
    public String toString() {
        return "SqliteDirectory[" + file + "]";
    }
}
