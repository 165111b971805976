/**
 * Where the client connects and how (TLS, STARTTLS, plaintext for tests), and the protocol failure type.
 */
package org.postern.client.net;
