package org.postern.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link Main#commandLine}: only the commands a run names are built, and help, typos and the full listings still
 * see every command.
 */
class CommandTreeTest {
    @TempDir
    Path dir;

    static final List<String> TOP = List.of("serve", "domain", "user", "alias", "export", "queue", "client");
    static final List<String> CLIENT = List.of("account", "sync", "folders", "list", "read", "search", "send", "compose", "reply",
            "reply-all", "forward", "flag", "move", "delete", "outbox");

    CliRunner cli() {
        return new CliRunner(dir, StoreOpener.DEFAULT);
    }

    static CommandLine tree(String... args) {
        return Main.commandLine(Invocation.system(), args);
    }

    /** Each case: the arguments, the top-level commands built, and the client commands built under "client". */
    @Test
    void onlyTheNamedBranchIsBuilt() {
        record Case(List<String> args, List<String> top, List<String> client) {}
        for (Case c : List.of(
                new Case(List.of("client", "sync", "work"), List.of("client"), List.of("sync")),
                new Case(List.of("client", "reply-all", "42"), List.of("client"), List.of("reply-all")),
                new Case(List.of("client", "compose", "--to", "a@b.c"), List.of("client"), List.of("send", "compose")),
                new Case(List.of("client", "-h"), List.of("client"), CLIENT),
                new Case(List.of("client", "frobnicate"), List.of("client"), CLIENT),
                new Case(List.of("user", "add", "a@b.c", "--data", "/x"), List.of("user"), List.of()),
                new Case(List.of("--help"), TOP, CLIENT),
                new Case(List.of(), TOP, CLIENT),
                new Case(List.of("frobnicate"), TOP, CLIENT))) {
            CommandLine root = tree(c.args().toArray(String[]::new));
            assertThat(root.getSubcommands().keySet()).as(c.args().toString()).containsExactlyElementsOf(c.top());
            CommandLine client = root.getSubcommands().get("client");
            assertThat(client == null ? List.of() : List.copyOf(client.getSubcommands().keySet()))
                    .as(c.args() + " client").containsExactlyElementsOf(c.client());
        }
    }

    @Test
    void helpListsEveryCommandAndAnUnknownOneIsNamed() {
        CliRunner.Result top = cli().runExactly("", "--help");
        assertThat(top.exit()).isZero();
        for (String name : TOP) assertThat(top.out()).contains("  " + name + " ");
        CliRunner.Result client = cli().runExactly("", "client", "--help");
        assertThat(client.exit()).isZero();
        for (String name : CLIENT) assertThat(client.out()).containsPattern("\\n  (\\S+, )?" + name + "[ ,]");
        CliRunner.Result sync = cli().runExactly("", "client", "sync", "--help");
        assertThat(sync.out()).startsWith("Usage: postern client sync");
        CliRunner.Result typo = cli().runExactly("", "client", "snyc");
        assertThat(typo.exit()).isEqualTo(Main.FAILED);
        assertThat(typo.err()).isEqualTo("postern client: unknown command 'snyc' (see `postern client --help`)\n");
    }
}
