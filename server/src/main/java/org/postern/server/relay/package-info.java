/**
 * Outbound delivery's view of DNS: for a destination domain, which hosts to connect to, in which order.
 *
 * <p>{@link org.postern.server.relay.MxResolver} applies RFC 5321 §5.1 (MX preference order with random order
 * among equals, the implicit MX, loop detection against {@link org.postern.server.relay.OwnHosts}) and RFC 7505
 * (null MX), and sorts failures into permanent (bounce now) and temporary (retry later) for the queue. It
 * queries the resolvers of {@link org.postern.server.relay.DnsSettings} through dnsjava and caches answers for
 * their TTL against an injected clock. Internationalized domains are looked up in A-label form.
 *
 * <p>Tests use {@code TestDnsServer} (server test sources), a small authoritative-and-recursive stand-in on
 * 127.0.0.1 that answers from records the test adds and counts the questions it gets.
 */
package org.postern.server.relay;
