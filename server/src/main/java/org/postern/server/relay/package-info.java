/**
 * Relaying mail to other domains: the worker that empties the outbound queue, and its view of DNS.
 *
 * <p>{@link org.postern.server.relay.Relay} claims due queue entries with a lease, groups their recipients by
 * destination and hands each destination to a {@code DestinationRun}, which finds the hosts (MX, address
 * literal or the smarthost of {@link org.postern.server.relay.RelaySettings}), tries them in order with the
 * SMTP client of {@code org.postern.wire.smtp.client}, reusing a connection for several messages, and records
 * each recipient's outcome as soon as its transaction ends. {@code Notices} writes the RFC 3464 notices
 * (delay, failure, success for NOTIFY=SUCCESS) and delivers them through the delivery agent, never to the null
 * sender. {@code QueuedBody} is a queue entry as the client reads it (with the 7-bit conversion for servers
 * without 8BITMIME), {@code LoopCheck} the Received-field count of RFC 5321 §6.3.
 *
 * <p>{@link org.postern.server.relay.MxResolver} applies RFC 5321 §5.1 (MX preference order with random order
 * among equals, the implicit MX, loop detection against {@link org.postern.server.relay.OwnHosts}) and RFC 7505
 * (null MX), and sorts failures into permanent (bounce now) and temporary (retry later) for the queue. It
 * queries the resolvers of {@link org.postern.server.relay.DnsSettings} through dnsjava and caches answers for
 * their TTL against an injected clock. Internationalized domains are looked up in A-label form.
 *
 * <p>Tests use {@code TestDnsServer} (server test sources), a small authoritative-and-recursive stand-in on
 * 127.0.0.1 that answers from records the test adds and counts the questions it gets, {@code FakeSmtpServer} (wire test
 * jar) as the remote MX, and {@code RelayHarness}, a store, directory and relay on a clock the test moves.
 */
package org.postern.server.relay;
