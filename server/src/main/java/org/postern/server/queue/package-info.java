/**
 * The outbound queue: mail for other domains waits here, durably, until it is relayed, retried or bounced.
 * Entries are written by the delivery agent in the same transaction as local deliveries
 * ({@link org.postern.server.store.MailStore#deliver}); the relay worker ({@link org.postern.server.relay.Relay}) claims due entries
 * with a lease so that two workers, or two nodes, never send the same entry at once.
 */
package org.postern.server.queue;
