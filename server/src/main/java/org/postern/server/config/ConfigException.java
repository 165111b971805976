package org.postern.server.config;

import java.util.List;

/**
 * The configuration cannot be used. The message is for the person who wrote the file: one problem per line, each
 * as {@code file:line: key: what was expected, what was found}.
 */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) throw new IllegalArgumentException("a ConfigException needs a problem");
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    /** Every problem found, in file order; the message joins them with newlines. */
    public List<String> problems() {
        return problems;
    }
}
