package org.postern.cli.client;

import java.io.IOException;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code postern client move ID FOLDER}: moves a message offline; the next sync moves it on the server. */
@Command(name = "move", description = "Move a message to another folder (on the server at the next sync).")
final class MoveCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;
    @Parameters(index = "1", paramLabel = "FOLDER")
    String folder;

    @Override
    void run(Context ctx, Account a, LocalStore store) throws IOException {
        LocalStore.LocalMessage m = ReadCommand.message(store, id);
        if (store.folder(folder).isEmpty())
            throw new CliException("no folder " + folder + " (see `postern client folders`)");
        if (m.folder().equals(folder)) throw new CliException("message " + id + " is in " + folder + " already");
        store.move(m.id(), folder);
        ctx.out().println("moved " + id + " from " + m.folder() + " to " + folder);
    }
}
