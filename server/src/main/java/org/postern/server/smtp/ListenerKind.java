package org.postern.server.smtp;

import java.util.Optional;

/** What an SMTP port is for; the rules that differ between them are in {@link SmtpSession}. */
public enum ListenerKind {
    /**
     * Port 25, mail from other servers (RFC 5321): recipients only in our domains unless the client is in a
     * relay network or authenticated; STARTTLS offered; AUTH offered once TLS is up.
     */
    MX("listeners.smtp"),
    /** Port 587 (RFC 6409): STARTTLS, then AUTH is required before MAIL; users may send anywhere as themselves. */
    SUBMISSION("listeners.submission"),
    /** Port 465 (RFC 8314): implicit TLS, otherwise as {@link #SUBMISSION}. */
    SUBMISSIONS("listeners.submissions");

    private final String configKey;

    ListenerKind(String configKey) {
        this.configKey = configKey;
    }

    /** The postern.toml key named in "port in use" messages. */
    public String configKey() {
        return configKey;
    }

    public boolean isSubmission() {
        return this != MX;
    }

    /** The SMTP kind of a postern.toml listener; empty for POP3 and IMAP listeners. */
    public static Optional<ListenerKind> of(org.postern.server.config.ListenerKind kind) {
        return switch (kind) {
            case SMTP -> Optional.of(MX);
            case SUBMISSION -> Optional.of(SUBMISSION);
            case SUBMISSIONS -> Optional.of(SUBMISSIONS);
            case POP3, POP3S, IMAP, IMAPS -> Optional.empty();
        };
    }
}
