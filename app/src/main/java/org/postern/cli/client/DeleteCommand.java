package org.postern.cli.client;

import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code postern client delete ID}: deletes a message offline; the next sync expunges it on the server. */
@Command(name = "delete", description = "Delete a message (expunged on the server at the next sync).")
final class DeleteCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ClientCommand client;
    @Mixin
    AccountOption account;
    @Parameters(paramLabel = "ID", arity = "1..*")
    java.util.List<Long> ids;

    @Override
    public Integer call() {
        return client.run(ctx -> {
            Account a = ctx.account(account.name());
            try (LocalStore store = ctx.open(a)) {
                for (long id : ids) ReadCommand.message(store, id);   // all exist before any is deleted
                for (long id : ids) {
                    store.delete(id);
                    ctx.out().println("deleted " + id);
                }
            }
            return 0;
        });
    }
}
