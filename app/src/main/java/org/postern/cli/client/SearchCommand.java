package org.postern.cli.client;

import java.util.Optional;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code postern client search QUERY}: full-text search of the offline copy (from, to, cc, subject, text). */
@Command(name = "search", description = "Search the offline copy: from, to, cc, subject and text; best matches first.")
final class SearchCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ClientCommand client;
    @Mixin
    AccountOption account;
    @Mixin
    JsonOption json;
    @Parameters(paramLabel = "QUERY", arity = "1..*", description = "words to find (all of them)")
    java.util.List<String> words;
    @Option(names = "--folder", paramLabel = "FOLDER", description = "only in this folder")
    String folder;
    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "" + ListCommand.DEFAULT_LIMIT)
    int limit;

    @Override
    public Integer call() {
        return client.run(ctx -> {
            if (limit < 1 || limit > ListCommand.MAX_LIMIT)
                throw new CliException("--limit must be between 1 and " + ListCommand.MAX_LIMIT);
            String query = String.join(" ", words).strip();
            if (query.isEmpty()) throw new CliException("nothing to search for");
            Account a = ctx.account(account.name());
            try (LocalStore store = ctx.open(a)) {
                ListCommand.print(ctx, json.json, store.search(query, Optional.ofNullable(folder), limit));
            }
            return 0;
        });
    }
}
