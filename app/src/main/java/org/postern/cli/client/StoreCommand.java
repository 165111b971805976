package org.postern.cli.client;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * A client command on one account's offline copy: {@code --account NAME}, the account looked up and its store
 * opened for the run and closed after it, failures turned into one line by {@link ClientCommand#run}.
 */
abstract class StoreCommand implements Callable<Integer> {
    @ParentCommand
    ClientCommand client;
    @Mixin
    AccountOption account;

    /** Checks the arguments before the accounts file is read; throws a {@link org.postern.cli.CliException}. */
    void check() {}

    /** The command's work, on the account's open offline copy. */
    abstract void run(Context ctx, Account a, LocalStore store) throws IOException;

    @Override
    public final Integer call() {
        return client.run(ctx -> {
            check();
            Account a = ctx.account(account.name());
            try (LocalStore store = ctx.open(a)) {
                run(ctx, a, store);
            }
            return 0;
        });
    }
}
