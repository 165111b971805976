package org.postern.cli.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.postern.cli.CliException;
import org.postern.cli.Main;
import org.postern.client.account.AccountException;
import org.postern.client.net.ProtocolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code postern client ...}: the mail client. Accounts live in {@code accounts.toml} under the client home;
 * each account's offline copy in a directory beside it (docs/decisions/0005-mail-client.md). Everything but
 * {@code sync} and {@code send} works offline, on the local copy; changes made offline are replayed by the next
 * sync.
 */
@Command(name = "client", description = "The mail client: accounts, sync, reading, writing, offline changes.")
public final class ClientCommand {
    /** The client's commands, in the order {@code postern client --help} lists them (built as needed: Main). */
    public static final List<Class<?>> COMMANDS = List.of(
            AccountCommand.class,
            SyncCommand.class,
            FoldersCommand.class,
            ListCommand.class,
            ReadCommand.class,
            SearchCommand.class,
            SendCommand.class,
            ReplyCommand.class,
            ReplyCommand.All.class,
            ForwardCommand.class,
            FlagCommand.class,
            MoveCommand.class,
            DeleteCommand.class,
            OutboxCommand.class);

    @ParentCommand
    Main main;

    Context context() {
        return new Context(main.invocation());
    }

    /** What a client command does, allowed to fail with the client's own exceptions. */
    @FunctionalInterface
    interface Work {
        int run(Context ctx) throws IOException;
    }

    /**
     * Runs {@code work} and turns every failure meant for people into the one line {@link Main} prints: an
     * accounts file problem, a server's refusal, an I/O failure (with what was being done).
     */
    int run(Work work) {
        return run(context(), work);
    }

    /** As {@link #run(Work)}, in a context the caller has already (sync: one run per account, in one context). */
    static int run(Context ctx, Work work) {
        try {
            return work.run(ctx);
        } catch (AccountException e) {
            throw new CliException(e.getMessage().replace("\n", "; "));
        } catch (org.postern.client.net.AuthenticationException e) {
            throw new CliException("the server refused the login (" + oneLine(e.getMessage())
                    + "): check the account's user and its password source");
        } catch (ProtocolException e) {
            throw new CliException("server: " + oneLine(e.getMessage()));
        } catch (java.net.UnknownHostException e) {
            throw new CliException("unknown host " + e.getMessage());
        } catch (java.net.ConnectException | java.net.SocketTimeoutException e) {
            throw new CliException("cannot reach the server: " + oneLine(e.getMessage()));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CliException("no such file: " + e.getMessage());
        } catch (java.nio.file.AccessDeniedException e) {
            throw new CliException("permission denied: " + e.getMessage());
        } catch (IOException e) {
            throw new CliException(oneLine(String.valueOf(e.getMessage())));
        } catch (org.postern.client.store.LocalStoreException e) {
            throw new CliException("offline copy: " + oneLine(e.getMessage()));
        } catch (UncheckedIOException e) {
            throw new CliException(oneLine(String.valueOf(e.getCause().getMessage())));
        }
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
    }
}
