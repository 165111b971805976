package org.postern.server.directory;

import java.util.List;

/**
 * An alias: mail for {@code source} goes to each target (local accounts or external addresses). A source of
 * the form {@code @domain} is that domain's catch-all: it receives mail for addresses that match nothing else.
 */
public record Alias(String source, List<String> targets) {
    public Alias {
        targets = List.copyOf(targets);
    }

    public boolean isCatchAll() {
        return source.startsWith("@");
    }
}
