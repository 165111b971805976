package org.postern.cli;

import org.postern.server.directory.Directory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code postern domain add|list|remove}: the domains we receive mail for. */
@Command(name = "domain", description = "Add, list and remove the mail domains of this server.")
final class DomainCommand {
    @ParentCommand
    Main main;

    @Command(name = "add", description = "Add a domain (an internationalized name is stored as its xn-- form).")
    int add(@Parameters(paramLabel = "DOMAIN") String domain, @Mixin DataOptions data) {
        try (Directory d = main.directory(data)) {
            main.out().println("added domain " + d.addDomain(domain));
        }
        return 0;
    }

    @Command(name = "list", description = "List the domains, one per line.")
    int list(@Mixin DataOptions data) {
        try (Directory d = main.directory(data)) {
            d.domains().forEach(main.out()::println);
        }
        return 0;
    }

    @Command(name = "remove", description = "Remove a domain that has no accounts or aliases left.")
    int remove(@Parameters(paramLabel = "DOMAIN") String domain, @Mixin DataOptions data) {
        try (Directory d = main.directory(data)) {
            d.removeDomain(domain);
            main.out().println("removed domain " + domain.strip().toLowerCase(java.util.Locale.ROOT));
        }
        return 0;
    }
}
