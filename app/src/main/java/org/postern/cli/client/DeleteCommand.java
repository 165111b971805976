package org.postern.cli.client;

import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code postern client delete ID}: deletes a message offline; the next sync expunges it on the server. */
@Command(name = "delete", description = "Delete a message (expunged on the server at the next sync).")
final class DeleteCommand extends StoreCommand {
    @Parameters(paramLabel = "ID", arity = "1..*")
    java.util.List<Long> ids;

    @Override
    void run(Context ctx, Account a, LocalStore store) {
        for (long id : ids) ReadCommand.message(store, id);   // all exist before any is deleted
        for (long id : ids) {
            store.delete(id);
            ctx.out().println("deleted " + id);
        }
    }
}
