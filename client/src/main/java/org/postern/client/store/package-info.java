/**
 * The offline copy of one account: Maildir tree plus state.db (folders, messages, pending changes, outbox, index).
 */
package org.postern.client.store;
