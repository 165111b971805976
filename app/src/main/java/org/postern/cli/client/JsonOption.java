package org.postern.cli.client;

import picocli.CommandLine.Option;

/** {@code --json}: machine-readable output with the field names of docs/client.md. */
final class JsonOption {
    @Option(names = "--json", description = "print JSON for scripts (fields in docs/client.md)")
    boolean json;
}
