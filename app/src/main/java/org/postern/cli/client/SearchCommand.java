package org.postern.cli.client;

import java.util.Optional;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code postern client search QUERY}: full-text search of the offline copy (from, to, cc, subject, text). */
@Command(name = "search", description = "Search the offline copy: from, to, cc, subject and text; best matches first.")
final class SearchCommand extends StoreCommand {
    @Mixin
    JsonOption json;
    @Parameters(paramLabel = "QUERY", arity = "1..*", description = "words to find (all of them)")
    java.util.List<String> words;
    @Option(names = "--folder", paramLabel = "FOLDER", description = "only in this folder")
    String folder;
    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "" + ListCommand.DEFAULT_LIMIT)
    int limit;

    @Override
    void check() {
        ListCommand.checkLimit(limit);
        if (query().isEmpty()) throw new CliException("nothing to search for");
    }

    private String query() {
        return String.join(" ", words).strip();
    }

    @Override
    void run(Context ctx, Account a, LocalStore store) {
        ListCommand.print(ctx, json, store.search(query(), Optional.ofNullable(folder), limit));
    }
}
