package org.postern.client.account;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the client keeps its accounts file and each account's offline copy (docs/decisions/0005-mail-client.md):
 * {@code $POSTERN_CLIENT_HOME}, else {@code $XDG_DATA_HOME/postern-mail}, else {@code ~/.local/share/postern-mail}
 * (the XDG Base Directory specification's default for {@code XDG_DATA_HOME}).
 */
public record ClientHome(Path dir) {
    public static ClientHome fromEnvironment(Map<String, String> env) {
        String own = env.get("POSTERN_CLIENT_HOME");
        if (own != null && !own.isBlank()) return new ClientHome(Path.of(own));
        // XDG spec: "If $XDG_DATA_HOME is either not set or empty, a default equal to $HOME/.local/share should be used"
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return new ClientHome(Path.of(xdg, "postern-mail"));
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return new ClientHome(Path.of(home, ".local", "share", "postern-mail"));
    }

    public Path accountsFile() {
        return dir.resolve(AccountsFile.NAME);
    }

    /** The directory of one account's offline copy (state.db, mail/, outbox/). */
    public Path accountDir(String account) {
        return dir.resolve(account);
    }
}
