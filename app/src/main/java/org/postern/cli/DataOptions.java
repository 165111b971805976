package org.postern.cli;

import java.nio.file.Path;
import java.util.Map;
import org.postern.server.config.Config;
import picocli.CommandLine.Option;

/**
 * Where the data lives: {@code --config FILE} (its {@code data_dir}, the same one {@code postern serve --config}
 * uses), else {@code --data DIR}, else {@code $POSTERN_DATA}, else {@code ./data}.
 */
public final class DataOptions {
    public static final String ENV = "POSTERN_DATA";
    public static final Path DEFAULT = Path.of("data");

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: $POSTERN_DATA, else ./data)")
    Path data;

    @Option(names = "--config", paramLabel = "FILE", description = "use the data directory of this configuration")
    Path config;

    public Path dataDir(Map<String, String> env) {
        if (config != null) {
            if (data != null) throw new CliException("--data and --config both name the data directory: give one of them");
            return Config.load(config).dataDir();
        }
        return data != null ? data : defaultDir(env);
    }

    /** Without --data or --config: {@code $POSTERN_DATA}, else {@code ./data}. */
    static Path defaultDir(Map<String, String> env) {
        String fromEnv = env.get(ENV);
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : DEFAULT;
    }
}
