package org.postern.server.directory.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.directory.Account;
import org.postern.server.directory.Alias;
import org.postern.server.directory.DirectoryException;
import org.postern.server.directory.Route;
import org.postern.wire.Secret;

class SqliteDirectoryTest {
    @TempDir
    Path dir;
    SqliteDirectory directory;

    @BeforeEach
    void open() {
        directory = SqliteDirectory.open(dir);
    }

    @AfterEach
    void close() {
        directory.close();
    }

    private static Secret pw(String s) {
        return Secret.of(s);
    }

    @Test
    void domainsAreStoredLowerCaseAndListedInOrder() {
        directory.addDomain("Example.ORG");
        directory.addDomain("b\u00fccher.example");
        directory.addDomain("example.net");
        assertThat(directory.domains()).containsExactly("example.net", "example.org", "xn--bcher-kva.example");
        assertThat(directory.isLocalDomain("EXAMPLE.org")).isTrue();
        assertThat(directory.isLocalDomain("B\u00fccher.example")).isTrue();
        assertThat(directory.isLocalDomain("example.com")).isFalse();
        assertThat(directory.isLocalDomain("not a domain")).isFalse();
    }

    @Test
    void addingADomainTwiceOrAnInvalidOneIsRefused() {
        directory.addDomain("example.org");
        assertThatThrownBy(() -> directory.addDomain("EXAMPLE.org"))
                .isInstanceOf(DirectoryException.class).hasMessage("domain example.org exists already");
        assertThatThrownBy(() -> directory.addDomain("exa_mple.org"))
                .isInstanceOf(DirectoryException.class).hasMessageStartingWith("invalid domain name exa_mple.org: ");
    }

    @Test
    void removingADomainIsRefusedWhileAccountsOrAliasesRemain() {
        directory.addDomain("example.org");
        for (String a : List.of("a@example.org", "b@example.org", "c@example.org")) directory.addAccount(a, pw("pw"));
        directory.addAlias("info@example.org", List.of("a@example.org"));
        directory.addAlias("more@example.org", List.of("a@example.org", "b@example.org"));
        assertThatThrownBy(() -> directory.removeDomain("example.org")).isInstanceOf(DirectoryException.class)
                .hasMessage("domain example.org still has 3 accounts and 2 aliases: remove them first");
        directory.removeAlias("more@example.org");
        assertThatThrownBy(() -> directory.removeDomain("example.org"))
                .hasMessage("domain example.org still has 3 accounts and 1 alias: remove them first");
        for (String a : List.of("a@example.org", "b@example.org", "c@example.org")) directory.removeAccount(a);
        assertThatThrownBy(() -> directory.removeDomain("example.org"))
                .hasMessage("domain example.org still has 1 alias: remove it first");
        directory.removeAlias("info@example.org");
        directory.removeDomain("example.org");
        assertThat(directory.domains()).isEmpty();
        assertThatThrownBy(() -> directory.removeDomain("example.org")).hasMessage("unknown domain example.org");
    }

    @Test
    void accountsNeedAKnownDomainAndAFreeAddress() {
        assertThatThrownBy(() -> directory.addAccount("alice@example.net", pw("pw")))
                .isInstanceOf(DirectoryException.class)
                .hasMessage("unknown domain example.net: add it with `postern domain add example.net`");
        directory.addDomain("example.net");
        Account alice = directory.addAccount("Alice@Example.NET", pw("pw"));
        assertThat(alice.address()).isEqualTo("alice@example.net");
        assertThatThrownBy(() -> directory.addAccount("ALICE@example.net", pw("other")))
                .isInstanceOf(DirectoryException.class).hasMessage("account alice@example.net exists already");
        assertThatThrownBy(() -> directory.addAccount("bob@example.net", pw("")))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("empty password");
        assertThat(directory.accounts(Optional.empty())).containsExactly(alice);
    }

    @Test
    void accountsAreListedByAddressAllOrPerDomain() {
        directory.addDomain("example.org");
        directory.addDomain("example.net");
        Account z = directory.addAccount("z@example.org", pw("pw"));
        Account a = directory.addAccount("a@example.org", pw("pw"));
        Account m = directory.addAccount("m@example.net", pw("pw"));
        assertThat(directory.accounts(Optional.empty())).containsExactly(a, m, z);
        assertThat(directory.accounts(Optional.of("Example.org"))).containsExactly(a, z);
        assertThatThrownBy(() -> directory.accounts(Optional.of("example.com")))
                .hasMessageStartingWith("unknown domain example.com");
        assertThat(directory.account("A@EXAMPLE.ORG")).contains(a);
        assertThat(directory.account("nobody@example.org")).isEmpty();
        assertThat(directory.account("garbage")).isEmpty();
    }

    @Test
    void accountIdsAreNeverReused() {
        directory.addDomain("example.org");
        Account first = directory.addAccount("a@example.org", pw("pw"));
        directory.removeAccount("a@example.org");
        Account second = directory.addAccount("a@example.org", pw("pw"));
        assertThat(second.id().value()).isGreaterThan(first.id().value());
    }

    @Test
    void aPasswordChangedByTheAdminCommandEndsTheOldPasswordsRememberedLoginAtOnce() {
        directory.addDomain("example.org");
        Account alice = directory.addAccount("alice@example.org", pw("s3cret"));
        assertThat(directory.authenticate("alice@example.org", pw("s3cret"))).contains(alice);   // now remembered
        assertThat(directory.authenticate("alice@example.org", pw("s3cret"))).contains(alice);
        try (SqliteDirectory cli = SqliteDirectory.open(dir)) {   // another process: postern user passwd
            cli.setPassword("alice@example.org", pw("changed"));
        }
        assertThat(directory.authenticate("alice@example.org", pw("s3cret"))).isEmpty();
        assertThat(directory.authenticate("alice@example.org", pw("changed"))).contains(alice);
    }

    @Test
    void authenticateChecksThePasswordCaseInsensitiveAddress() {
        directory.addDomain("example.org");
        Account alice = directory.addAccount("alice@example.org", pw("s3cret"));
        assertThat(directory.authenticate("Alice@Example.org", pw("s3cret"))).contains(alice);
        assertThat(directory.authenticate("alice@example.org", pw("S3cret"))).isEmpty();
        assertThat(directory.authenticate("alice@example.org", pw(""))).isEmpty();
        assertThat(directory.authenticate("bob@example.org", pw("s3cret"))).isEmpty();
        assertThat(directory.authenticate("not an address", pw("s3cret"))).isEmpty();
        directory.setPassword("alice@example.org", pw("new one"));
        assertThat(directory.authenticate("alice@example.org", pw("s3cret"))).isEmpty();
        assertThat(directory.authenticate("alice@example.org", pw("new one"))).contains(alice);
        assertThatThrownBy(() -> directory.setPassword("bob@example.org", pw("x")))
                .hasMessage("unknown account bob@example.org");
        assertThatThrownBy(() -> directory.removeAccount("bob@example.org"))
                .hasMessage("unknown account bob@example.org");
    }

    @Test
    void aHashWithWeakerParametersIsUpgradedAtTheNextSuccessfulLogin() throws Exception {
        directory.addDomain("example.org");
        Account alice = directory.addAccount("alice@example.org", pw("pw"));
        byte[] salt = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        var g = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        g.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id).withVersion(0x13)
                .withMemoryAsKB(64).withIterations(1).withParallelism(1).withSalt(salt).build());
        byte[] out = new byte[32];
        g.generateBytes("old".toCharArray(), out);
        var b64 = java.util.Base64.getEncoder().withoutPadding();
        String weak = "$argon2id$v=19$m=64,t=1,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(out);
        Path file = dir.resolve(SqliteDirectory.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             var p = c.prepareStatement("UPDATE account SET password_hash = ? WHERE id = ?")) {
            p.setString(1, weak);
            p.setLong(2, alice.id().value());
            assertThat(p.executeUpdate()).isEqualTo(1);
        }
        assertThat(directory.authenticate("alice@example.org", pw("old"))).contains(alice);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT password_hash FROM account")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        }
        assertThat(directory.authenticate("alice@example.org", pw("old"))).contains(alice);
    }

    @Test
    void anUnknownUserStillCostsAPasswordHash() {
        directory.addDomain("example.org");
        directory.authenticate("nobody@example.org", pw("warm up"));
        long start = System.nanoTime();
        directory.authenticate("nobody@example.org", pw("guess"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        // an Argon2id hash with m=19 MiB cannot be done in under 10 ms here; a bare lookup takes well under 1 ms
        assertThat(millis).isGreaterThanOrEqualTo(10);
    }

    @Test
    void aliasesAppendTargetsAndAreListedBySource() {
        directory.addDomain("example.org");
        directory.addAccount("alice@example.org", pw("pw"));
        directory.addAccount("bob@example.org", pw("pw"));
        directory.addAlias("Info@Example.org", List.of("alice@example.org"));
        directory.addAlias("info@example.org", List.of("Bob@Example.org", "alice@example.org", "Ext@Other.EXAMPLE"));
        directory.addAlias("@example.org", List.of("alice@example.org"));
        assertThat(directory.aliases()).containsExactly(
                new Alias("@example.org", List.of("alice@example.org")),
                new Alias("info@example.org", List.of("alice@example.org", "bob@example.org", "Ext@other.example")));
        assertThat(directory.aliases().getFirst().isCatchAll()).isTrue();
        directory.removeAlias("INFO@example.org");
        assertThat(directory.aliases()).containsExactly(new Alias("@example.org", List.of("alice@example.org")));
        assertThatThrownBy(() -> directory.removeAlias("info@example.org")).hasMessage("unknown alias info@example.org");
    }

    @Test
    void aliasesAreRefusedWhenTheyCouldNotWork() {
        directory.addDomain("example.org");
        directory.addAccount("alice@example.org", pw("pw"));
        record Case(String source, List<String> targets, String message) {}
        for (Case c : List.of(
                new Case("x@example.net", List.of("alice@example.org"),
                        "unknown domain example.net: add it with `postern domain add example.net`"),
                new Case("alice@example.org", List.of("alice@example.org"),
                        "alice@example.org is an account: an alias with its address would never be used"),
                new Case("x@example.org", List.of(), "an alias needs at least one target address"),
                new Case("x@example.org", List.of("x@example.org"), "alias x@example.org cannot point at itself"),
                new Case("x@example.org", List.of("bobby@example.org"), "unknown local address bobby@example.org: "
                        + "add the account (`postern user add bobby@example.org`) or alias first"),
                new Case("x@example.org", List.of("@example.org"),
                        "alias target @example.org is not an address: targets are local-part@domain"),
                new Case("x@example.org", List.of("no at sign"),
                        "invalid address no at sign: expected local-part@domain"))) {
            assertThatThrownBy(() -> directory.addAlias(c.source(), c.targets())).as(c.source() + " " + c.targets())
                    .isInstanceOf(DirectoryException.class).hasMessage(c.message());
        }
        assertThat(directory.aliases()).isEmpty();
        directory.addAlias("x@example.org", List.of("alice+tag@example.org"));   // plus-address of an account is fine
        assertThatThrownBy(() -> directory.addAccount("x@example.org", pw("pw"))).hasMessage(
                "x@example.org is an alias: remove it first (`postern alias remove x@example.org`) or choose another address");
    }

    @Test
    void changesByAnotherOpenerAreSeenAtOnce() {
        try (SqliteDirectory cli = SqliteDirectory.open(dir)) {
            cli.addDomain("example.org");
            Account a = cli.addAccount("alice@example.org", pw("pw"));
            assertThat(directory.route("alice@example.org")).isEqualTo(new Route.Local(List.of(a.id()), List.of()));
            cli.removeAccount("alice@example.org");
        }
        assertThat(directory.route("alice@example.org")).isEqualTo(new Route.Unknown());
    }

    @Test
    void aWriterWaitsForAnotherProcesssWriteLockInsteadOfFailing() throws Exception {
        Path file = dir.resolve(SqliteDirectory.FILE_NAME);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            s.execute("INSERT INTO domain VALUES ('example.net', '2025-01-01T00:00:00Z')");
            Thread committer = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(300);
                    s.execute("COMMIT");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long start = System.nanoTime();
            directory.addDomain("example.org");   // blocks on the write lock until the other commits
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(200);
            committer.join();
        }
        assertThat(directory.domains()).containsExactly("example.net", "example.org");
    }

    @Test
    void theDatabaseIsWalRecordsItsSchemaVersionAndIsPrivate() throws Exception {
        Path file = dir.resolve(SqliteDirectory.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = s.executeQuery("SELECT version, script FROM schema_version")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("V1__init.sql");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.getString(2)).isEqualTo("V2__quota.sql");
                assertThat(rs.next()).isFalse();
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        directory.addDomain("example.org");
        directory.close();
        directory = SqliteDirectory.open(dir);   // reopening migrates nothing and keeps the data
        assertThat(directory.domains()).containsExactly("example.org");
    }

    @Test
    void aDatabaseFromANewerPosternIsRefused() throws Exception {
        directory.close();
        Path file = dir.resolve(SqliteDirectory.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES (3, 'V3__future.sql', '2030-01-01T00:00:00Z')");
        }
        assertThatThrownBy(() -> SqliteDirectory.open(dir)).isInstanceOf(DirectoryException.class)
                .hasMessage(file + " has schema version 3 but this postern knows versions up to 2: run the newer "
                        + "postern that wrote it, or restore a backup made by this one");
        directory = SqliteDirectory.open(dir.resolve("other"));   // for @AfterEach
    }

    @Test
    void migrationScriptsSplitIntoStatements() {
        assertThat(Schema.statements("-- comment\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (\n  y INT\n);\n"))
                .containsExactly("CREATE TABLE a (x INT);", "CREATE TABLE b (\n  y INT\n);");
        assertThatThrownBy(() -> Schema.statements("CREATE TABLE a (x INT)")).isInstanceOf(IllegalStateException.class);
    }
}
