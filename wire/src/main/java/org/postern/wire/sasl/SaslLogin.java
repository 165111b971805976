package org.postern.wire.sasl;

import java.util.Arrays;
import org.postern.wire.Secret;

/**
 * The LOGIN mechanism (draft-murchison-sasl-login): the server asks for the user name, then the password,
 * each a base64 line. Obsolete but still the default of many clients, so submission offers it over TLS.
 */
public final class SaslLogin {
    public static final String NAME = "LOGIN";
    /** base64("Username:"), the customary first challenge. */
    public static final String USERNAME_CHALLENGE = "VXNlcm5hbWU6";
    /** base64("Password:"). */
    public static final String PASSWORD_CHALLENGE = "UGFzc3dvcmQ6";
    /** Same bound as PLAIN's fields (RFC 4616 §2). */
    public static final int MAX_FIELD = SaslPlain.MAX_FIELD;

    private SaslLogin() {}

    /** Decodes the user name response (an initial response to {@code AUTH LOGIN} is the user name too). */
    public static String username(String line, boolean initial) {
        byte[] b = SaslResponses.decode(line, initial);
        if (b.length == 0 || b.length > MAX_FIELD)
            throw new SaslException(SaslException.Kind.MALFORMED, "LOGIN user name must be 1 to " + MAX_FIELD + " octets");
        return SaslResponses.utf8(b, 0, b.length);
    }

    public static Secret password(String line) {
        byte[] b = SaslResponses.decode(line, false);
        try {
            if (b.length == 0 || b.length > MAX_FIELD)
                throw new SaslException(SaslException.Kind.MALFORMED, "LOGIN password must be 1 to " + MAX_FIELD + " octets");
            return Secret.of(SaslResponses.utf8(b, 0, b.length));
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }
}
