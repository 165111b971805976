package org.postern.cli.client;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.postern.client.account.Account;
import org.postern.client.account.PasswordSource;
import org.postern.client.account.Protocol;
import org.postern.client.account.ServerSettings;
import org.postern.client.net.AuthenticationException;
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
    /**
     * How many times a password typed at the prompt is asked for before the run gives up, as sudo and ssh do: a
     * typo costs a retype, not a new run. A password from a file or a command is never asked again (the same one
     * would be refused again).
     */
    static final int PROMPT_ATTEMPTS = 3;

    private final Context ctx;
    private final Account account;
    /** The password, obtained once per run from the account's source (again after a typed one was refused). */
    private Secret secret;
    private final Supplier<char[]> password;

    Remote(Context ctx, Account account) {
        this.ctx = ctx;
        this.account = account;
        this.password = () -> {
            if (secret == null) secret = ctx.password(account);
            return secret.chars();
        };
    }

    @FunctionalInterface
    private interface Run<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code run}; when the server refuses a password that was typed, says so and runs it again with a newly
     * typed one, up to {@link #PROMPT_ATTEMPTS} passwords. Running again is safe: a refused login comes before any
     * change (the outbox's entries are recorded before and after each submission, OutboxSender).
     */
    private <T> T retyping(Run<T> run) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return run.run();
            } catch (AuthenticationException refused) {
                if (!(account.password() instanceof PasswordSource.Prompt) || !ctx.interactive()
                        || attempt == PROMPT_ATTEMPTS) throw refused;
                ctx.err().println("the server refused the login (" + ClientCommand.oneLine(refused.getMessage())
                        + "); try again (" + (attempt + 1) + " of " + PROMPT_ATTEMPTS + ")");
                if (secret != null) secret.wipe();
                secret = null;
            }
        }
    }

    /** The run's logins, built once: an endpoint with a certificate file reads it and the JDK's authorities. */
    private ServerLogin incoming, outgoing;

    private ServerLogin incoming() {
        if (incoming == null) incoming = login(account.incoming());
        return incoming;
    }

    private ServerLogin outgoing() {
        if (outgoing == null) outgoing = login(account.outgoing());
        return outgoing;
    }

    private ServerLogin login(ServerSettings s) {
        return new ServerLogin(s.endpoint(), s.user(), password, s.allowPlaintext());
    }

    /** Incoming mail and offline changes, with the outbox sent first (so Sent is filed before it is synced). */
    SyncReport sync(LocalStore store, SyncProgress progress) throws IOException {
        return retyping(() -> syncOnce(store, progress));
    }

    private SyncReport syncOnce(LocalStore store, SyncProgress progress) throws IOException {
        OutboxSender outbox = new OutboxSender(outgoing(), store, Clock.systemUTC());
        if (account.protocol() == Protocol.IMAP)
            return new ImapSync(incoming(), store, Optional.of(outbox)).sync(progress);
        Pop3Sync.Report r = new Pop3Sync(incoming(), store,
                new Pop3Sync.Options(account.deleteAfterDownload(), account.deleteAfterDays()), Clock.systemUTC())
                .sync(progress);
        OutboxSender.Report sent = outbox.send(Optional.empty(), progress);
        return new SyncReport(java.util.List.of(new SyncReport.Folder("INBOX", r.downloaded(), 0, 0, 0, r.warnings())),
                Optional.of(sent), java.util.List.of());
    }

    /** The outbox only: submitted, then filed in the server's Sent folder (IMAP) or the local one (POP3). */
    OutboxSender.Report sendOutbox(LocalStore store, SyncProgress progress) throws IOException {
        return retyping(() -> sendOutboxOnce(store, progress));
    }

    private OutboxSender.Report sendOutboxOnce(LocalStore store, SyncProgress progress) throws IOException {
        OutboxSender outbox = new OutboxSender(outgoing(), store, Clock.systemUTC());
        if (account.protocol() == Protocol.IMAP) return outbox.send(incoming(), progress);
        return outbox.send(Optional.empty(), progress);
    }
}
