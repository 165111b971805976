/**
 * Configuration: one TOML file, {@code postern.toml}, read at start into the immutable {@link
 * org.postern.server.config.Config} record tree. Every key has a default in code (a named constant with its
 * reason); the file names only what differs. Loading is strict: a wrong type, an unknown key (usually a typo),
 * a malformed address, duration, size or network is an error naming file, line and key, and all problems are
 * reported at once.
 *
 * <p>{@link org.postern.server.config.FirstStart} prepares a data directory for a server started without a
 * config: a commented postern.toml generated from the same defaults (a test loads it back and compares), and a
 * self-signed certificate. Documentation of every key: docs/configuration.md.
 */
package org.postern.server.config;
