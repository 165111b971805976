/**
 * The POP3 server (RFC 1939 with RFC 2449 CAPA and response codes, RFC 2595 STLS, RFC 5034 AUTH PLAIN, RFC 8314
 * implicit TLS on 995): {@link org.postern.server.pop3.Pop3Server} opens the listeners,
 * {@link org.postern.server.pop3.Pop3Session} runs one connection, {@link org.postern.server.pop3.Maildrop} is
 * the INBOX snapshot a session works on. The maildrop is the account's INBOX in the shared store, so IMAP
 * sessions see POP3 deletions as expunges.
 */
package org.postern.server.pop3;
