package org.postern.client.account;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an account's password comes from. Never the accounts file itself: a password in a file that is also
 * copied into backups and dotfile repositories would leak with them.
 */
public sealed interface PasswordSource {
    /** A file holding the password on its first line, readable by its owner only (mode 0600 or 0400). */
    record File(Path path) implements PasswordSource {
        public File {
            Objects.requireNonNull(path);
        }
    }

    /** A command run with {@code sh -c} whose first line of output is the password (a keyring, {@code pass}, gpg). */
    record Command(String command) implements PasswordSource {
        public Command {
            if (command.isBlank()) throw new IllegalArgumentException("empty password command");
        }
    }

    /** Asked on the terminal each time it is needed. */
    record Prompt() implements PasswordSource {}
}
