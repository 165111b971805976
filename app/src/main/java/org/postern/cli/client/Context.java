package org.postern.cli.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.postern.cli.CliException;
import org.postern.cli.Invocation;
import org.postern.client.account.Account;
import org.postern.client.account.AccountsFile;
import org.postern.client.account.ClientHome;
import org.postern.client.account.Passwords;
import org.postern.client.store.LocalStore;
import org.postern.wire.Secret;

/** One run of a client command: the invocation, the client home and its accounts. */
final class Context {
    /** Terminal width when nothing says otherwise (the classic 80 columns). */
    static final int DEFAULT_WIDTH = 80;

    final Invocation inv;
    final ClientHome home;

    Context(Invocation inv) {
        this.inv = inv;
        this.home = ClientHome.fromEnvironment(inv.env());
    }

    PrintWriter out() {
        return inv.out();
    }

    PrintWriter err() {
        return inv.err();
    }

    List<Account> accounts() {
        return AccountsFile.load(home.accountsFile());
    }

    /** The account named, or the first one of the file (the default account) when none is named. */
    Account account(Optional<String> name) {
        List<Account> all = accounts();
        if (all.isEmpty())
            throw new CliException("no accounts yet: add one with `postern client account add NAME --address ... --host ...`");
        if (name.isEmpty()) return all.getFirst();
        return all.stream().filter(a -> a.name().equals(name.get())).findFirst()
                .orElseThrow(() -> new CliException("no account " + name.get() + " (accounts: "
                        + String.join(", ", all.stream().map(Account::name).toList()) + ")"));
    }

    /** The account's offline copy, created on first use. */
    LocalStore open(Account account) throws IOException {
        Path dir = home.accountDir(account.name());
        Files.createDirectories(dir);
        return LocalStore.open(dir);
    }

    Secret password(Account account) {
        return Passwords.obtain(account, inv.terminal().map(t -> t::readPassword));
    }

    /** Standard error is a terminal: a progress bar can be drawn there. */
    boolean interactive() {
        return inv.terminal().isPresent();
    }

    /**
     * Columns of the output: {@code $COLUMNS} when set (shells set it for their children when exported, and
     * scripts can set it), else the terminal's width from {@code stty size}, else {@link #DEFAULT_WIDTH}.
     */
    int width() {
        String columns = inv.env().get("COLUMNS");
        if (columns != null) {
            try {
                int w = Integer.parseInt(columns.strip());
                if (w > 0) return w;
            } catch (NumberFormatException ignored) {
                // not a number: fall through to the terminal
            }
        }
        if (inv.terminal().isPresent()) {
            try {
                Process p = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(false).start();
                String[] size = new String(p.getInputStream().readAllBytes()).strip().split("\\s+");
                if (p.waitFor() == 0 && size.length == 2) return Integer.parseInt(size[1]);
            } catch (IOException | NumberFormatException e) {
                // no stty or no tty: the default
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return DEFAULT_WIDTH;
    }
}
