package org.postern.cli.client;

import java.time.ZoneId;
import java.util.List;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code postern client list [FOLDER] [--limit N]}: the newest messages of a folder, from the offline copy. */
@Command(name = "list", description = "The newest messages of a folder (default INBOX): id, date, from, subject, "
        + "flags (N new, F flagged, A answered, D draft, T deleted, + keywords), size, @ for attachments.")
final class ListCommand extends StoreCommand {
    /** Default number of messages shown: a screenful and a bit. */
    static final int DEFAULT_LIMIT = 50;
    /** Most messages one listing returns; scripts wanting more page with --offset. */
    static final int MAX_LIMIT = 100_000;

    @Mixin
    JsonOption json;
    @Parameters(paramLabel = "FOLDER", arity = "0..1", defaultValue = "INBOX")
    String folder;
    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "" + DEFAULT_LIMIT,
            description = "at most N messages (default " + DEFAULT_LIMIT + ")")
    int limit;
    @Option(names = "--offset", paramLabel = "K", defaultValue = "0", description = "skip the K newest")
    int offset;

    @Override
    void check() {
        checkLimit(limit);
        if (offset < 0) throw new CliException("--offset must not be negative");
    }

    static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) throw new CliException("--limit must be between 1 and " + MAX_LIMIT);
    }

    @Override
    void run(Context ctx, Account a, LocalStore store) {
        if (store.folder(folder).isEmpty())
            throw new CliException("no folder " + folder + " in the offline copy of " + a.name()
                    + " (see `postern client folders`; new folders arrive with `postern client sync`)");
        print(ctx, json, store.list(folder, offset, limit));
    }

    static void print(Context ctx, JsonOption json, List<LocalStore.LocalMessage> messages) {
        if (json.printed(ctx, messages, Rows::json)) return;
        if (messages.isEmpty()) {
            ctx.out().println("no messages");
            return;
        }
        for (String line : Rows.table(messages, ctx.width(), ZoneId.systemDefault())) ctx.out().println(line);
    }
}
