package org.postern.wire.dsn;

/**
 * RFC 3461 §4.4 ENVID= of MAIL FROM: the sender's identifier of the transaction, returned in notices as
 * {@code Original-Envelope-Id} (RFC 3464 §2.2.1). {@code value} is decoded.
 */
public record EnvelopeId(String value) {
    public EnvelopeId {
        if (value.isEmpty()) throw new IllegalArgumentException("empty ENVID");
        if (Xtext.encode(value).length() > DsnLimits.MAX_ENVID_CHARS) throw new IllegalArgumentException("ENVID too long");
    }

    /**
     * Parses the xtext parameter value.
     *
     * @throws IllegalArgumentException for bad xtext or a value longer than {@link DsnLimits#MAX_ENVID_CHARS}
     */
    public static EnvelopeId parse(String xtext) {
        if (xtext.length() > DsnLimits.MAX_ENVID_CHARS) throw new IllegalArgumentException("ENVID too long");
        return new EnvelopeId(Xtext.decode(xtext));
    }

    /** The parameter as an SMTP client passes it on: {@code ENVID=QQ314159}. */
    public String toParameter() {
        return "ENVID=" + Xtext.encode(value);
    }
}
