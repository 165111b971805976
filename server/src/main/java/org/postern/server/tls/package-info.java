/**
 * TLS for every listener: {@link org.postern.server.tls.TlsFiles} turns a PEM certificate chain and key into an
 * {@link javax.net.ssl.SSLContext} restricted to TLS 1.2 and 1.3 (RFC 8996 retires 1.0 and 1.1; RFC 8997,
 * updating RFC 8314 §4.1 for mail, asks for 1.2 or later), and {@link org.postern.server.tls.SelfSigned} makes
 * the pair a first start uses until the operator installs one from a certificate authority.
 *
 * <p>PEM parsing is Bouncy Castle's (PKCS#8, PKCS#1 RSA and SEC1 EC keys); no provider is registered: keys,
 * signatures and the TLS engine are the JDK's. The policy (STARTTLS where, implicit TLS where, no password before
 * TLS) is in docs/decisions/0002-tls-policy.md.
 */
package org.postern.server.tls;
