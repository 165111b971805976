/**
 * Message submission (RFC 6409) over wire's SMTP client, STARTTLS or implicit TLS, AUTH.
 */
package org.postern.client.smtp;
