/**
 * {@code postern client ...}: the mail client's commands (docs/client.md). {@link org.postern.cli.client.ClientCommand}
 * holds them; each command opens the accounts file ({@code client.account}) and the account's offline copy
 * ({@code client.store}) per run and caches nothing. Only {@code sync} and {@code send} touch the network, through
 * {@link org.postern.cli.client.Remote} (the one place that calls {@code client.sync}). Every failure meant for people
 * leaves as one line ({@link org.postern.cli.CliException}), mapped in {@code ClientCommand.run}. {@code --json}
 * output has stable field names, documented in docs/client.md; {@link org.postern.cli.client.Json} writes it.
 */
package org.postern.cli.client;
