package org.postern.cli;

/**
 * The {@link Invocation} of a running {@link Main}, for command packages outside {@code org.postern.cli} (the
 * client commands in {@code org.postern.cli.client}), which picocli hands the {@code Main} as their parent.
 */
public final class Invocations {
    private Invocations() {}

    public static Invocation of(Main main) {
        return main.inv;
    }
}
