/**
 * Bringing the local copy and the server together: IMAP and POP3 sync, the outbox sent exactly once.
 */
package org.postern.client.sync;
