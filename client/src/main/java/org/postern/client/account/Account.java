package org.postern.client.account;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One mail account: its name (also the name of its directory under the client home), the address it sends
 * from, the server it reads from and the one it sends through, where the password comes from, and for POP3
 * whether downloaded messages are removed from the server.
 *
 * @param deleteAfterDownload POP3 only: delete each message from the server once it is stored locally
 * @param deleteAfterDays     POP3 only: delete messages from the server this many days after they were downloaded
 */
public record Account(String name, String address, Protocol protocol, ServerSettings incoming, ServerSettings outgoing,
                      PasswordSource password, boolean deleteAfterDownload, OptionalInt deleteAfterDays) {
    /** Longest account name: it becomes a directory name and a column in listings. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Letters, digits, dot, dash, underscore; not starting with a dot (no hidden or parent directories). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    /** Longest POP3 retention; a larger number is almost certainly a typo (ten years). */
    public static final int MAX_DELETE_AFTER_DAYS = 3650;

    public Account {
        Objects.requireNonNull(address);
        Objects.requireNonNull(protocol);
        Objects.requireNonNull(incoming);
        Objects.requireNonNull(outgoing);
        Objects.requireNonNull(password);
        Objects.requireNonNull(deleteAfterDays);
        nameProblem(name).ifPresent(p -> { throw new IllegalArgumentException(p); });
        if (protocol != Protocol.POP3 && (deleteAfterDownload || deleteAfterDays.isPresent()))
            throw new IllegalArgumentException("delete_after_download and delete_after_days are for POP3 accounts");
    }

    /** What is wrong with {@code name} as an account name, if anything. */
    public static java.util.Optional<String> nameProblem(String name) {
        if (name == null || name.isEmpty()) return java.util.Optional.of("an account name must not be empty");
        if (name.length() > MAX_NAME_LENGTH)
            return java.util.Optional.of("account name longer than " + MAX_NAME_LENGTH + " characters");
        if (!NAME.matcher(name).matches())
            return java.util.Optional.of("account name '" + name + "' may hold only letters, digits, '.', '-' and '_', "
                    + "and may not start with '.'");
        return java.util.Optional.empty();
    }
}
