package org.postern.cli.client;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.postern.client.account.Account;
import org.postern.client.account.Protocol;
import org.postern.client.account.ServerSettings;
import org.postern.client.store.LocalStore;
import org.postern.client.sync.ImapSync;
import org.postern.client.sync.OutboxSender;
import org.postern.client.sync.Pop3Sync;
import org.postern.client.sync.ServerLogin;
import org.postern.client.sync.SyncProgress;
import org.postern.client.sync.SyncReport;
import org.postern.wire.Secret;

/**
 * The commands' way to the servers of an account: builds the {@link ServerLogin}s from the accounts file (the
 * password obtained once per run, however many connections need it) and runs the sync classes.
 */
final class Remote {
    private final Account account;
    private final Supplier<char[]> password;

    Remote(Context ctx, Account account) {
        this.account = account;
        Secret[] once = new Secret[1];
        this.password = () -> {
            if (once[0] == null) once[0] = ctx.password(account);
            return once[0].chars();
        };
    }

    private ServerLogin login(ServerSettings s) {
        return new ServerLogin(s.endpoint(), s.user(), password, s.allowPlaintext());
    }

    /** Incoming mail and offline changes, with the outbox sent first (so Sent is filed before it is synced). */
    SyncReport sync(LocalStore store, SyncProgress progress) throws IOException {
        OutboxSender outbox = new OutboxSender(login(account.outgoing()), store, Clock.systemUTC());
        if (account.protocol() == Protocol.IMAP)
            return new ImapSync(login(account.incoming()), store, Optional.of(outbox)).sync(progress);
        Pop3Sync.Report r = new Pop3Sync(login(account.incoming()), store,
                new Pop3Sync.Options(account.deleteAfterDownload(), account.deleteAfterDays()), Clock.systemUTC())
                .sync(progress);
        OutboxSender.Report sent = outbox.send(Optional.empty(), progress);
        return new SyncReport(java.util.List.of(new SyncReport.Folder("INBOX", r.downloaded(), 0, 0, 0, r.warnings())),
                Optional.of(sent), java.util.List.of());
    }

    /** The outbox only: submitted, then filed in the server's Sent folder (IMAP) or the local one (POP3). */
    OutboxSender.Report sendOutbox(LocalStore store, SyncProgress progress) throws IOException {
        OutboxSender outbox = new OutboxSender(login(account.outgoing()), store, Clock.systemUTC());
        if (account.protocol() == Protocol.IMAP) return outbox.send(login(account.incoming()), progress);
        return outbox.send(Optional.empty(), progress);
    }
}
