package org.postern.client.account;

import java.util.List;

/**
 * The accounts file or a password source is not usable. The message is for people: one line per problem,
 * {@code file:line: key: what is wrong} for the accounts file, with how to fix it when there is one fix.
 */
public final class AccountException extends RuntimeException {
    private final List<String> problems;

    public AccountException(String message) {
        this(List.of(message));
    }

    public AccountException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) throw new IllegalArgumentException("an AccountException needs a problem");
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
