package org.postern.cli.client;

import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code postern client move ID FOLDER}: moves a message offline; the next sync moves it on the server. */
@Command(name = "move", description = "Move a message to another folder (on the server at the next sync).")
final class MoveCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ClientCommand client;
    @Mixin
    AccountOption account;
    @Parameters(index = "0", paramLabel = "ID")
    long id;
    @Parameters(index = "1", paramLabel = "FOLDER")
    String folder;

    @Override
    public Integer call() {
        return client.run(ctx -> {
            Account a = ctx.account(account.name());
            try (LocalStore store = ctx.open(a)) {
                LocalStore.LocalMessage m = ReadCommand.message(store, id);
                if (store.folder(folder).isEmpty())
                    throw new CliException("no folder " + folder + " (see `postern client folders`)");
                if (m.folder().equals(folder)) throw new CliException("message " + id + " is in " + folder + " already");
                store.move(m.id(), folder);
                ctx.out().println("moved " + id + " from " + m.folder() + " to " + folder);
            }
            return 0;
        });
    }
}
