/**
 * The Postern server: listeners and protocol sessions, the store and its backends, the delivery agent,
 * the outbound queue, the account directory, configuration and TLS.
 */
package org.postern.server;
