/**
 * Accounts: the accounts file and where passwords come from (prompt, 0600 file, command); never in clear.
 */
package org.postern.client.account;
