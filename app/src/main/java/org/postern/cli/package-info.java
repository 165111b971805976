/**
 * The {@code postern} executable (picocli): {@code serve}, the admin commands ({@code domain}, {@code user},
 * {@code alias}, {@code export}, {@code queue}) and the mail client ({@code client}, in {@code org.postern.cli.client}). {@link org.postern.cli.Main#run} runs one
 * command line against an {@link org.postern.cli.Invocation} (streams, environment, terminal, store opener), so
 * tests drive the real commands in-process. Admin commands open the directory and store per run and cache
 * nothing: they work beside a running server. Passwords never come from arguments.
 */
package org.postern.cli;
