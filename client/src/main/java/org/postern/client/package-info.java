/**
 * The Postern mail client: accounts, an offline cache of folders and messages, an outbox, and sync on
 * reconnect. Depends on {@code wire} only, never on the server. (Built in its own issue.)
 */
package org.postern.client;
