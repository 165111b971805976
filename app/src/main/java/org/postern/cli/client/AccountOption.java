package org.postern.cli.client;

import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --account NAME} (default: the first account of accounts.toml). */
final class AccountOption {
    @Option(names = {"-a", "--account"}, paramLabel = "NAME", description = "the account (default: the first in accounts.toml)")
    String name;

    Optional<String> name() {
        return Optional.ofNullable(name);
    }
}
