package org.postern.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the data lives: {@code --data DIR}, else {@code $POSTERN_DATA}, else {@code ./data}. */
public final class DataOptions {
    public static final String ENV = "POSTERN_DATA";
    public static final Path DEFAULT = Path.of("data");

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: $POSTERN_DATA, else ./data)")
    Path data;

    // todo: --config FILE: the data directory from Config.load(file).dataDir(), once the config branch is on main

    public Path dataDir(Map<String, String> env) {
        if (data != null) return data;
        String fromEnv = env.get(ENV);
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : DEFAULT;
    }
}
