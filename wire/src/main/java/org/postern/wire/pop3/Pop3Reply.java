package org.postern.wire.pop3;

import java.util.Optional;

/**
 * A one-line POP3 reply: {@code +OK text} or {@code -ERR [CODE] text} (RFC 1939 §3, RFC 2449 §8 response
 * codes). {@link #encode()} is the only place reply text is put on the wire; CR and LF in the text are replaced,
 * so no reply can become two.
 */
public record Pop3Reply(boolean ok, Optional<String> code, String text) {
    /** RFC 2449 §8.1.1: the maildrop is locked by another session. */
    public static final String IN_USE = "IN-USE";
    /** RFC 2449 §8.1.2: the client may not log in so soon again. */
    public static final String LOGIN_DELAY = "LOGIN-DELAY";
    /** RFC 3206 §4: the failure is about the credentials (the user may retype them). */
    public static final String AUTH = "AUTH";
    /** RFC 3206 §5: a temporary system problem (try again later). */
    public static final String SYS_TEMP = "SYS/TEMP";
    /** RFC 3206 §5: a permanent system problem. */
    public static final String SYS_PERM = "SYS/PERM";

    public static Pop3Reply ok(String text) {
        return new Pop3Reply(true, Optional.empty(), text);
    }

    public static Pop3Reply err(String text) {
        return new Pop3Reply(false, Optional.empty(), text);
    }

    public static Pop3Reply err(String code, String text) {
        return new Pop3Reply(false, Optional.of(code), text);
    }

    public String encode() {
        StringBuilder b = new StringBuilder(ok ? "+OK" : "-ERR");
        code.ifPresent(c -> b.append(" [").append(c).append(']'));
        if (!text.isEmpty()) b.append(' ').append(text.replace('\r', ' ').replace('\n', ' '));
        return b.append("\r\n").toString();
    }
}
