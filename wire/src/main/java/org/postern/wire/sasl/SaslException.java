package org.postern.wire.sasl;

/** A SASL response that cannot be used; {@link #kind()} decides the protocol's answer. */
public final class SaslException extends RuntimeException {
    public enum Kind {
        /** Not base64 (SMTP: 501 5.5.2, RFC 4954 §4). */
        BAD_BASE64,
        /** Decodes, but not to what the mechanism defines (SMTP: 501 5.5.2). */
        MALFORMED,
        /** The client sent {@code *} (RFC 4954 §4; SMTP: 501 5.7.0). */
        CANCELLED,
        /** PLAIN with an authorization identity other than the user's own: we do not support acting as
         *  someone else, so this is an authentication failure (SMTP: 535 5.7.8). */
        AUTHZID_NOT_ALLOWED
    }

    private final Kind kind;

    public SaslException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
