package org.postern.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs {@link Main} in-process on a data directory, with standard input fed and output captured. */
final class CliRunner {
    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    final Path data;
    StoreOpener stores;
    Optional<Invocation.Terminal> terminal = Optional.empty();
    Map<String, String> env = Map.of();

    CliRunner(Path data, StoreOpener stores) {
        this.data = data;
        this.stores = stores;
    }

    /** Runs with {@code --data} appended. */
    Result run(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data");
        all.add(data.toString());
        return runExactly(stdin, all.toArray(String[]::new));
    }

    Result runExactly(String stdin, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        Invocation inv = new Invocation(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), env, terminal, stores);
        int exit = Main.run(inv, args);
        return new Result(exit, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
    }
}
