package org.postern.wire.dsn;

import java.util.Locale;

/**
 * RFC 3461 §4.3 RET= of MAIL FROM: what a failure notice returns of the message. Absent, we return the whole
 * message up to {@link DsnLimits#MAX_RETURNED_MESSAGE_BYTES} (the RFC leaves the choice to the MTA).
 */
public enum Ret {
    /** The whole message. */
    FULL,
    /** Only its header. */
    HDRS;

    /** Parses the parameter value, case-insensitively (RFC 3461 §4.3: "FULL" / "HDRS"). */
    public static Ret parse(String value) {
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "FULL" -> FULL;
            case "HDRS" -> HDRS;
            default -> throw new IllegalArgumentException("RET must be FULL or HDRS");
        };
    }

    /** The parameter as an SMTP client sends it: {@code RET=HDRS}. */
    public String toParameter() {
        return "RET=" + name();
    }
}
