package org.postern.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import org.postern.client.sync.SyncProgress;
import org.postern.client.sync.SyncReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code postern client sync [ACCOUNT]}: sends the outbox, replays the offline changes and fetches what is new,
 * for one account or every account. One summary line per account; warnings (a local change dropped by a conflict
 * rule) on standard error.
 */
@Command(name = "sync", description = "Bring the offline copy and the server together: send the outbox, push offline "
        + "changes, fetch new mail (every account, or only ACCOUNT).")
final class SyncCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ClientCommand client;
    @Parameters(paramLabel = "ACCOUNT", arity = "0..1")
    String only;

    @Override
    public Integer call() {
        return client.run(ctx -> {
            List<Account> accounts = only == null ? ctx.accounts() : List.of(ctx.account(Optional.of(only)));
            if (accounts.isEmpty())
                throw new CliException("no accounts yet: add one with `postern client account add NAME --address ... --host ...`");
            List<String> failed = new ArrayList<>();
            for (Account a : accounts) {
                try {
                    sync(ctx, a);
                } catch (CliException e) {
                    if (accounts.size() == 1) throw e;
                    ctx.err().println("postern: " + a.name() + ": " + e.getMessage());
                    failed.add(a.name());
                }
            }
            return failed.isEmpty() ? 0 : 1;
        });
    }

    private static void sync(Context ctx, Account a) {
        ClientCommand.run(ctx, c -> {
            SyncProgress progress = Progress.forContext(ctx);
            SyncReport r;
            try (LocalStore store = ctx.open(a)) {
                r = new Remote(ctx, a).sync(store, progress);
            } finally {
                Progress.finish(progress);
            }
            ctx.out().println(summary(a.name(), r));
            for (String w : r.allWarnings()) ctx.err().println("warning: " + a.name() + ": " + w);
            return 0;
        });
    }

    static String summary(String account, SyncReport r) {
        int flags = 0, removed = 0, pushed = 0;
        for (SyncReport.Folder f : r.folders()) {
            flags += f.flagsUpdated();
            removed += f.expungedLocally();
            pushed += f.pushed();
        }
        StringBuilder b = new StringBuilder(account + ": " + r.folders().size() + " folder" + (r.folders().size() == 1 ? "" : "s")
                + ", " + r.downloaded() + " new, " + flags + " flag change" + (flags == 1 ? "" : "s") + ", " + removed
                + " removed, " + pushed + " local change" + (pushed == 1 ? "" : "s") + " pushed");
        r.outbox().ifPresent(o -> {
            if (o.sent() + o.filed() + o.failed() > 0)
                b.append(", outbox: ").append(o.sent()).append(" sent").append(o.failed() > 0 ? ", " + o.failed() + " left" : "");
        });
        return b.toString();
    }
}
