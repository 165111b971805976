/**
 * Who gets mail here: local domains, accounts (with Argon2id password hashes), aliases, per-domain
 * catch-alls and plus-addressing. The directory routes each RCPT TO address (RFC 5321 §3.3: the server
 * decides at RCPT whether it accepts a recipient) and authenticates users. It is read on every lookup, so
 * admin commands run while the server is running take effect at once.
 */
package org.postern.server.directory;
