package org.postern.wire.dsn;

/**
 * RFC 3464 §2.3.6 Diagnostic-Code: the text a recipient's outcome comes with, and its type: {@code smtp}
 * for a remote server's reply ({@code 550 5.1.1 no such user}), {@code X-Postern} for our own words (no MX,
 * connection refused). The text is anything a remote server sent: it is sanitized where it is written.
 */
public record Diagnostic(String type, String text) {
    public Diagnostic {
        if (type.isEmpty() || !type.chars().allMatch(c -> c > ' ' && c < 0x7F && c != ';'))
            throw new IllegalArgumentException("bad diagnostic type");
    }

    /** A remote SMTP server's reply, code included; a multi-line reply with its lines joined. */
    public static Diagnostic smtp(String reply) {
        return new Diagnostic("smtp", reply);
    }

    /** Our own explanation, when no remote server said anything. */
    public static Diagnostic local(String text) {
        return new Diagnostic("X-Postern", text);
    }
}
