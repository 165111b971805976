package org.postern.cli.client;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code postern client list [FOLDER] [--limit N]}: the newest messages of a folder, from the offline copy. */
@Command(name = "list", description = "The newest messages of a folder (default INBOX): id, date, from, subject, "
        + "flags (N new, F flagged, A answered, D draft, T deleted, + keywords), size, @ for attachments.")
final class ListCommand implements java.util.concurrent.Callable<Integer> {
    /** Default number of messages shown: a screenful and a bit. */
    static final int DEFAULT_LIMIT = 50;
    /** Most messages one listing returns; scripts wanting more page with --offset. */
    static final int MAX_LIMIT = 100_000;

    @ParentCommand
    ClientCommand client;
    @Mixin
    AccountOption account;
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
    public Integer call() {
        return client.run(ctx -> {
            if (limit < 1 || limit > MAX_LIMIT) throw new CliException("--limit must be between 1 and " + MAX_LIMIT);
            if (offset < 0) throw new CliException("--offset must not be negative");
            Account a = ctx.account(account.name());
            try (LocalStore store = ctx.open(a)) {
                if (store.folder(folder).isEmpty())
                    throw new CliException("no folder " + folder + " in the offline copy of " + a.name()
                            + " (see `postern client folders`; new folders arrive with `postern client sync`)");
                List<LocalStore.LocalMessage> messages = store.list(folder, offset, limit);
                print(ctx, json.json, messages);
            }
            return 0;
        });
    }

    static void print(Context ctx, boolean json, List<LocalStore.LocalMessage> messages) {
        if (json) {
            List<Object> out = new ArrayList<>();
            for (LocalStore.LocalMessage m : messages) out.add(Rows.json(m));
            ctx.out().print(Json.write(out));
            return;
        }
        if (messages.isEmpty()) {
            ctx.out().println("no messages");
            return;
        }
        for (String line : Rows.table(messages, ctx.width(), ZoneId.systemDefault())) ctx.out().println(line);
    }
}
