package org.postern.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of {@code postern} is given: standard streams, environment, the terminal (when there is one)
 * and how to open the mail store. {@link #system()} for the real thing; tests build their own.
 */
public record Invocation(InputStream stdin, PrintWriter out, PrintWriter err, Map<String, String> env,
                         Optional<Terminal> terminal, StoreOpener stores) {
    public Invocation {
        env = Map.copyOf(env);
    }

    /** A terminal that can ask for a password without echoing it. */
    @FunctionalInterface
    public interface Terminal {
        /** The characters typed, or empty at end of input. */
        Optional<char[]> readPassword(String prompt);
    }

    public static Invocation system() {
        return new Invocation(System.in, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.getenv(), systemTerminal(),
                StoreOpener.DEFAULT);
    }

    /** The console when standard input really is a terminal (JDK 22+ has a Console even when redirected). */
    private static Optional<Terminal> systemTerminal() {
        Console console = System.console();
        if (console == null || !console.isTerminal()) return Optional.empty();
        return Optional.of(prompt -> Optional.ofNullable(console.readPassword("%s", prompt)));
    }
}
