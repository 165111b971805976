package org.postern.wire.sasl;

import java.util.Arrays;
import org.postern.wire.Secret;

/** RFC 4616 PLAIN: {@code [authzid] NUL authcid NUL passwd}, one response. */
public final class SaslPlain {
    public static final String NAME = "PLAIN";
    /** RFC 4616 §2: each field is 255 octets at most. */
    public static final int MAX_FIELD = 255;

    private SaslPlain() {}

    /** Decodes the base64 response (see {@link SaslResponses#decode}). */
    public static Credentials decode(String line, boolean initial) {
        byte[] msg = SaslResponses.decode(line, initial);
        try {
            return decode(msg);
        } finally {
            Arrays.fill(msg, (byte) 0);
        }
    }

    /**
     * Decodes the raw message. The authorization identity must be empty or the user's own name: we never let
     * one user act as another (RFC 4616 §2 leaves that to the server).
     */
    public static Credentials decode(byte[] msg) {
        int first = indexOf(msg, 0), second = first < 0 ? -1 : indexOf(msg, first + 1);
        if (first < 0 || second < 0 || indexOf(msg, second + 1) >= 0)
            throw new SaslException(SaslException.Kind.MALFORMED, "PLAIN needs authzid NUL authcid NUL password");
        int authcidLen = second - first - 1, passwordLen = msg.length - second - 1;
        if (first > MAX_FIELD || authcidLen > MAX_FIELD || passwordLen > MAX_FIELD)
            throw new SaslException(SaslException.Kind.MALFORMED, "PLAIN field longer than " + MAX_FIELD + " octets");
        if (authcidLen == 0 || passwordLen == 0)
            throw new SaslException(SaslException.Kind.MALFORMED, "PLAIN needs a user name and a password");
        String authzid = SaslResponses.utf8(msg, 0, first);
        String authcid = SaslResponses.utf8(msg, first + 1, authcidLen);
        String password = SaslResponses.utf8(msg, second + 1, passwordLen);
        if (!authzid.isEmpty() && !authzid.equals(authcid))
            throw new SaslException(SaslException.Kind.AUTHZID_NOT_ALLOWED, "authorization identity differs from user");
        return new Credentials(authcid, Secret.of(password));
    }

    /** The client side: the base64 initial response for {@code user}/{@code password}. */
    public static String encode(String user, Secret password) {
        return SaslResponses.base64("\0" + user + "\0" + password.reveal());
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == 0) return i;
        return -1;
    }
}
