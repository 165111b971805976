package org.postern.cli;

import java.util.List;
import org.postern.server.directory.Alias;
import org.postern.server.directory.Directory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code postern alias add|list|remove}: aliases and catch-alls ({@code @domain}). */
@Command(name = "alias", description = "Add, list and remove aliases; @domain is the domain's catch-all.")
final class AliasCommand {
    @ParentCommand
    Main main;

    @Command(name = "add", description = "Add targets (local accounts or external addresses) to an alias, "
            + "creating it.")
    int add(@Parameters(index = "0", paramLabel = "SOURCE") String source,
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "TARGET") List<String> targets,
            @Mixin DataOptions data) {
        try (Directory d = main.directory(data)) {
            d.addAlias(source, targets);
            String stored = source.strip().toLowerCase(java.util.Locale.ROOT);
            d.aliases().stream().filter(a -> a.source().equals(stored)).findFirst()
                    .ifPresentOrElse(a -> main.out().println(line(a)), () -> main.out().println("added alias " + stored));
        }
        return 0;
    }

    @Command(name = "list", description = "List aliases, one per line: SOURCE -> TARGET, TARGET…")
    int list(@Mixin DataOptions data) {
        try (Directory d = main.directory(data)) {
            for (Alias a : d.aliases()) main.out().println(line(a));
        }
        return 0;
    }

    @Command(name = "remove", description = "Remove an alias with all its targets.")
    int remove(@Parameters(paramLabel = "SOURCE") String source, @Mixin DataOptions data) {
        try (Directory d = main.directory(data)) {
            d.removeAlias(source);
            main.out().println("removed alias " + source.strip().toLowerCase(java.util.Locale.ROOT));
        }
        return 0;
    }

    static String line(Alias a) {
        return a.source() + " -> " + String.join(", ", a.targets());
    }
}
