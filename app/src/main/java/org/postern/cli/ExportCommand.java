package org.postern.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.postern.server.directory.Account;
import org.postern.server.directory.Directory;
import org.postern.server.export.Export;
import org.postern.server.store.MailStore;
import org.postern.server.store.MailboxName;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code postern export ADDRESS [--folder F] (--mbox FILE | --maildir DIR)}: one folder out of the store. */
@Command(name = "export", description = "Export one folder of an account as an mbox file or into a Maildir.")
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(paramLabel = "ADDRESS", description = "the account")
    String address;

    @Option(names = "--folder", paramLabel = "FOLDER", defaultValue = "INBOX", description = "folder (default: INBOX)")
    String folder;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--mbox", paramLabel = "FILE", required = true, description = "write a new mboxrd file")
        Path mbox;

        @Option(names = "--maildir", paramLabel = "DIR", required = true,
                description = "add the messages to this Maildir (created if missing)")
        Path maildir;
    }

    @Mixin
    DataOptions data;

    @Override
    public Integer call() {
        MailboxName name;
        try {
            name = MailboxName.of(folder);
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid folder name '" + folder + "': " + e.getMessage());
        }
        try (Directory d = main.directory(data)) {
            Account account = UserCommand.existing(d, address);
            try (MailStore store = main.store(data)) {
                Export.Result r = target.mbox != null ? Export.toMbox(store, account, name, target.mbox)
                        : Export.toMaildir(store, account, name, target.maildir);
                main.out().println("exported " + r.messages() + (r.messages() == 1 ? " message" : " messages")
                        + " from " + account.address() + " " + name.value() + " to " + r.where());
            }
        }
        return 0;
    }
}
