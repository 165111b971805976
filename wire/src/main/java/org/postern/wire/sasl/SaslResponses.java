package org.postern.wire.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Decoding of the base64 client responses of RFC 4954 §4 (the same rules serve IMAP AUTHENTICATE). */
public final class SaslResponses {
    private SaslResponses() {}

    /**
     * Decodes one client response line. {@code *} cancels the exchange. {@code =} stands for an empty
     * initial response (RFC 4954 §4); later responses are simply empty lines when empty.
     */
    public static byte[] decode(String line, boolean initial) {
        if (line.equals("*")) throw new SaslException(SaslException.Kind.CANCELLED, "authentication cancelled");
        if (initial && line.equals("=")) return new byte[0];
        try {
            return Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            throw new SaslException(SaslException.Kind.BAD_BASE64, "response is not base64");
        }
    }

    /** Strict UTF-8 (RFC 4616 §2: the fields are UTF-8). */
    static String utf8(byte[] b, int off, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            throw new SaslException(SaslException.Kind.MALFORMED, "response is not UTF-8");
        }
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
