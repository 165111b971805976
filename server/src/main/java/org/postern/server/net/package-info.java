/**
 * Protocol-neutral network plumbing shared by the SMTP, POP3 and IMAP servers:
 * {@link org.postern.server.net.Listener} (permit before accept, one thread per connection from {@link org.postern.server.net.ConnectionThreads}, one
 * try/finally, implicit TLS before the handler, human error messages when a port cannot be bound),
 * {@link org.postern.server.net.ConnectionLimiter} (total and per-address caps) and
 * {@link org.postern.server.net.Delays} (slowness for misbehaving clients, zero in tests).
 */
package org.postern.server.net;
