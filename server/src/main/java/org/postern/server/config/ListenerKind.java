package org.postern.server.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of listening socket Postern opens, with the port each has by standard and the unprivileged port a
 * first start as a normal user picks instead (ports below 1024 need root or CAP_NET_BIND_SERVICE).
 */
public enum ListenerKind {
    /** RFC 5321 MX service; STARTTLS offered (RFC 3207). */
    SMTP("smtp", Protocol.SMTP, false, 25, 2525),
    /** RFC 6409 message submission; STARTTLS offered. */
    SUBMISSION("submission", Protocol.SMTP, false, 587, 2587),
    /** RFC 8314 §3.3 submission over implicit TLS. */
    SUBMISSIONS("submissions", Protocol.SMTP, true, 465, 2465),
    /** RFC 1939 POP3; STLS offered (RFC 2595). */
    POP3("pop3", Protocol.POP3, false, 110, 2110),
    /** RFC 8314 §3.2 POP3 over implicit TLS. */
    POP3S("pop3s", Protocol.POP3, true, 995, 2995),
    /** RFC 9051 IMAP; STARTTLS offered. */
    IMAP("imap", Protocol.IMAP, false, 143, 2143),
    /** RFC 8314 §3.2 IMAP over implicit TLS. */
    IMAPS("imaps", Protocol.IMAP, true, 993, 2993);

    /** The protocol spoken on a listener, whatever its TLS mode. */
    public enum Protocol { SMTP, POP3, IMAP }

    private final String key;
    private final Protocol protocol;
    private final boolean implicitTls;
    private final int standardPort;
    private final int unprivilegedPort;

    ListenerKind(String key, Protocol protocol, boolean implicitTls, int standardPort, int unprivilegedPort) {
        this.key = key;
        this.protocol = protocol;
        this.implicitTls = implicitTls;
        this.standardPort = standardPort;
        this.unprivilegedPort = unprivilegedPort;
    }

    /** The key under {@code [listeners]} in postern.toml, e.g. {@code "submissions"}. */
    public String key() {
        return key;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** True when TLS starts right after the TCP connect (RFC 8314), false when the client asks with STARTTLS/STLS. */
    public boolean implicitTls() {
        return implicitTls;
    }

    /** The IANA port: 25, 587, 465, 110, 995, 143 or 993. */
    public int standardPort() {
        return standardPort;
    }

    /** The port a first start without root privileges uses: 2000 + a mnemonic of the standard port. */
    public int unprivilegedPort() {
        return unprivilegedPort;
    }

    public static Optional<ListenerKind> ofKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }
}
