package org.postern.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.directory.sqlite.SqliteDirectory;
import org.postern.wire.Secret;

class AdminCommandsTest {
    @TempDir
    Path dir;
    RecordingStore store;
    CliRunner cli;

    @BeforeEach
    void setUp() {
        store = new RecordingStore();
        cli = new CliRunner(dir.resolve("data"), dataDir -> store);
    }

    private CliRunner.Result ok(String stdin, String... args) {
        CliRunner.Result r = cli.run(stdin, args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r;
    }

    /** A failure: exit 1, exactly one line on standard error, nothing on standard output. */
    private String fails(String stdin, String... args) {
        CliRunner.Result r = cli.run(stdin, args);
        assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(Main.FAILED);
        assertThat(r.err()).as(String.join(" ", args)).endsWith("\n");
        assertThat(r.err().strip()).as(String.join(" ", args)).doesNotContain("\n");
        assertThat(r.out()).isEmpty();
        return r.err().strip();
    }

    private Optional<?> authenticate(String address, String password) {
        try (SqliteDirectory d = SqliteDirectory.open(cli.data)) {
            return d.authenticate(address, Secret.of(password));
        }
    }

    @Test
    void domainsAreAddedListedInOrderAndRemoved() {
        assertThat(ok("", "domain", "add", "Example.ORG").out()).isEqualTo("added domain example.org\n");
        assertThat(ok("", "domain", "add", "b\u00fccher.example").out()).isEqualTo("added domain xn--bcher-kva.example\n");
        ok("", "domain", "add", "example.net");
        assertThat(ok("", "domain", "list").outLines()).containsExactly("example.net", "example.org", "xn--bcher-kva.example");
        assertThat(ok("", "domain", "remove", "example.net").out()).isEqualTo("removed domain example.net\n");
        assertThat(ok("", "domain", "list").outLines()).containsExactly("example.org", "xn--bcher-kva.example");
        assertThat(fails("", "domain", "add", "example.org")).isEqualTo("postern: domain example.org exists already");
        assertThat(fails("", "domain", "add", "bad_domain")).startsWith("postern: invalid domain name bad_domain: ");
        assertThat(fails("", "domain", "remove", "example.com")).isEqualTo("postern: unknown domain example.com");
    }

    @Test
    void aDomainWithAccountsOrAliasesIsNotRemoved() {
        ok("", "domain", "add", "example.org");
        ok("pw-a\n", "user", "add", "a@example.org");
        ok("pw-b\n", "user", "add", "b@example.org");
        ok("", "alias", "add", "info@example.org", "a@example.org");
        assertThat(fails("", "domain", "remove", "example.org"))
                .isEqualTo("postern: domain example.org still has 2 accounts and 1 alias: remove them first");
    }

    @Test
    void userAddReadsThePasswordFromStdinCreatesTheFoldersAndPrintsNothingSecret() {
        ok("", "domain", "add", "example.org");
        CliRunner.Result r = ok("correct horse\n", "user", "add", "Alice@Example.org");
        assertThat(r.out()).isEqualTo("added alice@example.org\n");
        assertThat(store.calls).containsExactly("ensure 1", "close");
        assertThat(authenticate("alice@example.org", "correct horse")).isPresent();
        assertThat(authenticate("alice@example.org", "correct horse\n")).isEmpty();
    }

    @Test
    void onlyTheFirstLineOfStdinIsThePasswordAndCrLfIsNotPartOfIt() {
        ok("", "domain", "add", "example.org");
        ok("first\r\nsecond\n", "user", "add", "alice@example.org");
        assertThat(authenticate("alice@example.org", "first")).isPresent();
        ok("no newline at end", "user", "add", "bob@example.org");
        assertThat(authenticate("bob@example.org", "no newline at end")).isPresent();
    }

    @Test
    void userAddIsRefusedWithASentenceThatSaysWhatToDo() {
        assertThat(fails("pw\n", "user", "add", "alice@example.net"))
                .isEqualTo("postern: unknown domain example.net: add it with `postern domain add example.net`");
        ok("", "domain", "add", "example.net");
        assertThat(fails("", "user", "add", "alice@example.net"))
                .isEqualTo("postern: no password: type it at a terminal, or give it as the first line of standard input");
        assertThat(fails("\n", "user", "add", "alice@example.net"))
                .isEqualTo("postern: empty password refused: choose a password");
        assertThat(fails("pw\n", "user", "add", "al ice@example.net"))
                .isEqualTo("postern: invalid address al ice@example.net: character ' ' not allowed in a local part");
        ok("pw\n", "user", "add", "alice@example.net");
        assertThat(fails("pw\n", "user", "add", "ALICE@example.net"))
                .isEqualTo("postern: account alice@example.net exists already");
        assertThat(store.calls).containsExactly("ensure 1", "close");
    }

    @Test
    void aPasswordIsNeverTakenFromTheCommandLine() {
        ok("", "domain", "add", "example.org");
        for (String[] args : List.of(
                new String[] {"user", "add", "alice@example.org", "--password", "s3cret"},
                new String[] {"user", "add", "alice@example.org", "--password=s3cret"},
                new String[] {"user", "add", "--password", "s3cret", "alice@example.org"})) {
            assertThat(fails("", args)).isEqualTo("postern user add: unknown option --password "
                    + "(see `postern user add --help`)");
        }
        assertThat(fails("", "user", "add", "alice@example.org", "s3cret")).isEqualTo("postern user add: unexpected "
                + "argument (1 more than the command takes) (see `postern user add --help`)");
        assertThat(ok("", "user", "list").out()).isEmpty();
    }

    @Test
    void aTerminalIsAskedTwiceAndBothMustMatch() {
        ok("", "domain", "add", "example.org");
        List<String> prompts = new ArrayList<>();
        List<String> answers = new ArrayList<>(List.of("one", "two", "same", "same"));
        cli.terminal = Optional.of(prompt -> {
            prompts.add(prompt);
            return Optional.of(answers.removeFirst().toCharArray());
        });
        assertThat(fails("ignored\n", "user", "add", "alice@example.org"))
                .isEqualTo("postern: the passwords do not match: nothing changed");
        ok("ignored\n", "user", "add", "alice@example.org");
        assertThat(prompts).containsExactly("Password for alice@example.org: ", "Repeat the password: ",
                "Password for alice@example.org: ", "Repeat the password: ");
        assertThat(authenticate("alice@example.org", "same")).isPresent();
    }

    @Test
    void whenTheStoreCannotCreateTheFoldersTheAccountIsNotLeftBehind() {
        ok("", "domain", "add", "example.org");
        store.failEnsure = true;
        assertThat(fails("pw\n", "user", "add", "alice@example.org")).isEqualTo("postern: store failure: disk full");
        assertThat(ok("", "user", "list").out()).isEmpty();
    }

    @Test
    void passwdChangesThePassword() {
        ok("", "domain", "add", "example.org");
        ok("old\n", "user", "add", "alice@example.org");
        assertThat(ok("new\n", "user", "passwd", "ALICE@example.org").out())
                .isEqualTo("changed the password of alice@example.org\n");
        assertThat(authenticate("alice@example.org", "old")).isEmpty();
        assertThat(authenticate("alice@example.org", "new")).isPresent();
        assertThat(fails("x\n", "user", "passwd", "bob@example.org"))
                .isEqualTo("postern: unknown account bob@example.org: see `postern user list`");
    }

    @Test
    void quotaIsSetInTheDirectoryAndRemovedWithNone() {
        ok("", "domain", "add", "example.org");
        ok("pw\n", "user", "add", "alice@example.org");
        assertThat(ok("", "user", "quota", "alice@example.org", "2GiB").out()).isEqualTo("set the quota of alice@example.org to 2GiB\n");
        assertThat(quota("alice@example.org")).hasValue(2L << 30);
        assertThat(ok("", "user", "quota", "alice@example.org", "none").out()).isEqualTo("removed the quota of alice@example.org\n");
        assertThat(quota("alice@example.org")).isEmpty();
        assertThat(fails("", "user", "quota", "alice@example.org", "lots")).startsWith("postern: 'lots' is not a size");
        assertThat(fails("", "user", "quota", "bob@example.org", "1MB"))
                .isEqualTo("postern: unknown account bob@example.org: see `postern user list`");
    }

    private java.util.OptionalLong quota(String address) {
        try (SqliteDirectory d = SqliteDirectory.open(cli.data)) {
            return d.quota(d.account(address).orElseThrow().id());
        }
    }

    @Test
    void usersAreListedOnePerLineAllOrOfOneDomain() {
        ok("", "domain", "add", "example.org");
        ok("", "domain", "add", "example.net");
        for (String a : List.of("zed@example.org", "amy@example.org", "max@example.net")) ok("pw\n", "user", "add", a);
        assertThat(ok("", "user", "list").outLines()).containsExactly("amy@example.org", "max@example.net", "zed@example.org");
        assertThat(ok("", "user", "list", "example.org").outLines()).containsExactly("amy@example.org", "zed@example.org");
        assertThat(fails("", "user", "list", "example.com")).startsWith("postern: unknown domain example.com");
    }

    @Test
    void userRemoveDeletesTheMailThenTheAccount() {
        ok("", "domain", "add", "example.org");
        ok("pw\n", "user", "add", "alice@example.org");
        store.calls.clear();
        List<Boolean> accountExistedWhileMailWasDeleted = new ArrayList<>();
        store.onDelete = () -> accountExistedWhileMailWasDeleted.add(authenticate("alice@example.org", "pw").isPresent());
        assertThat(ok("", "user", "remove", "alice@example.org").out()).isEqualTo("removed alice@example.org and its mail\n");
        assertThat(store.calls).containsExactly("delete 1", "close");
        assertThat(accountExistedWhileMailWasDeleted).containsExactly(true);
        assertThat(ok("", "user", "list").out()).isEmpty();
        assertThat(fails("", "user", "remove", "alice@example.org"))
                .isEqualTo("postern: unknown account alice@example.org: see `postern user list`");
    }

    @Test
    void aliasesAreAddedListedAndRemoved() {
        ok("", "domain", "add", "example.org");
        ok("pw\n", "user", "add", "alice@example.org");
        assertThat(ok("", "alias", "add", "Info@example.org", "alice@example.org", "Bob@Elsewhere.NET").out())
                .isEqualTo("info@example.org -> alice@example.org, Bob@elsewhere.net\n");
        assertThat(ok("", "alias", "add", "info@example.org", "carol@elsewhere.net").out())
                .isEqualTo("info@example.org -> alice@example.org, Bob@elsewhere.net, carol@elsewhere.net\n");
        ok("", "alias", "add", "@example.org", "alice@example.org");
        assertThat(ok("", "alias", "list").outLines()).containsExactly(
                "@example.org -> alice@example.org",
                "info@example.org -> alice@example.org, Bob@elsewhere.net, carol@elsewhere.net");
        assertThat(ok("", "alias", "remove", "info@example.org").out()).isEqualTo("removed alias info@example.org\n");
        assertThat(ok("", "alias", "list").outLines()).containsExactly("@example.org -> alice@example.org");
        assertThat(fails("", "alias", "add", "x@example.org")).startsWith("postern alias add: Missing required parameter");
        assertThat(fails("", "alias", "add", "x@example.org", "nobody@example.org")).isEqualTo("postern: unknown local "
                + "address nobody@example.org: add the account (`postern user add nobody@example.org`) or alias first");
        assertThat(fails("", "alias", "remove", "x@example.org")).isEqualTo("postern: unknown alias x@example.org");
    }

    @Test
    void theDataDirectoryComesFromTheOptionElseTheEnvironmentElseDotData() {
        Path fromEnv = dir.resolve("env-data");
        cli.env = Map.of("POSTERN_DATA", fromEnv.toString());
        CliRunner.Result r = cli.runExactly("", "domain", "add", "example.org");
        assertThat(r.exit()).isZero();
        assertThat(Files.exists(fromEnv.resolve(SqliteDirectory.FILE_NAME))).isTrue();
        ok("", "domain", "add", "example.net");   // --data wins over the environment
        assertThat(ok("", "domain", "list").outLines()).containsExactly("example.net");
        assertThat(new DataOptions().dataDir(Map.of())).isEqualTo(Path.of("data"));
    }

    @Test
    void withConfigTheDataDirectoryIsTheConfigurationsDataDir() throws Exception {
        Path config = Files.writeString(dir.resolve("postern.toml"), """
                hostname = "mx.example.org"
                data_dir = "from-config"

                [listeners]
                smtp = ["127.0.0.1:2525"]
                """);
        CliRunner.Result r = cli.runExactly("", "domain", "add", "example.org", "--config", config.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.exists(dir.resolve("from-config").resolve(SqliteDirectory.FILE_NAME))).isTrue();
        r = cli.runExactly("", "domain", "list", "--config", config.toString(), "--data", dir.toString());
        assertThat(r.exit()).isEqualTo(Main.FAILED);
        assertThat(r.err()).isEqualTo("postern: --data and --config both name the data directory: give one of them\n");
        r = cli.runExactly("", "domain", "list", "--config", dir.resolve("missing.toml").toString());
        assertThat(r.err()).isEqualTo("postern: " + dir.resolve("missing.toml") + ": config file does not exist\n");
    }

    @Test
    void usageErrorsAreOneLineWithExitOne() {
        assertThat(fails("", "frobnicate")).isEqualTo("postern: unknown command 'frobnicate' (see `postern --help`)");
        CliRunner.Result group = cli.runExactly("", "domain");
        assertThat(group.exit()).isEqualTo(Main.FAILED);
        assertThat(group.err()).startsWith("postern domain: Missing required subcommand").hasLineCount(1);
        assertThat(fails("", "domain", "add")).startsWith("postern domain add: Missing required parameter: 'DOMAIN'");
        CliRunner.Result none = cli.runExactly("");
        assertThat(none.exit()).isEqualTo(Main.FAILED);
        assertThat(none.err()).contains("Usage: postern").contains("domain").contains("user").contains("export");
        CliRunner.Result help = cli.runExactly("", "user", "add", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: postern user add").contains("--data=DIR");
    }

    @Test
    void exportNeedsAKnownAccountAndExactlyOneTarget() {
        ok("", "domain", "add", "example.org");
        assertThat(fails("", "export", "bob@example.org", "--mbox", dir.resolve("x").toString()))
                .isEqualTo("postern: unknown account bob@example.org: see `postern user list`");
        assertThat(fails("", "export", "bob@example.org")).startsWith("postern export: Error: Missing required argument (specify one of these)");
        assertThat(fails("", "export", "bob@example.org", "--mbox", "a", "--maildir", "b"))
                .startsWith("postern export: Error: --mbox=FILE, --maildir=DIR are mutually exclusive");
    }
}
