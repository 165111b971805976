/**
 * Our POP3 client (RFC 1939, 2449, 2595, 5034).
 */
package org.postern.client.pop3;
