package org.postern.wire.imap;

import java.util.Collection;
import java.util.Locale;

/**
 * A response code, the bracketed part of resp-text (RFC 9051 §7.1): an atom, optionally followed by a space and
 * arguments that the server composes, such as {@code UIDVALIDITY 3857529045} or
 * {@code PERMANENTFLAGS (\Deleted \Seen \*)}. {@code argument} is "" when there is none.
 *
 * <p>Arguments are server syntax, never client data: anything that could end the code or the line (CR, LF, NUL,
 * "]") is refused here rather than escaped, because resp-text-code has no escape.
 */
public record ResponseCode(String name, String argument) {

    // RFC 9051 §7.1 and RFC 5530; the ones a session needs without arguments
    public static final ResponseCode ALERT = of("ALERT");
    public static final ResponseCode PARSE = of("PARSE");
    public static final ResponseCode READ_ONLY = of("READ-ONLY");
    public static final ResponseCode READ_WRITE = of("READ-WRITE");
    public static final ResponseCode TRYCREATE = of("TRYCREATE");
    public static final ResponseCode UIDNOTSTICKY = of("UIDNOTSTICKY");
    public static final ResponseCode CLOSED = of("CLOSED");
    public static final ResponseCode NONEXISTENT = of("NONEXISTENT");
    public static final ResponseCode ALREADYEXISTS = of("ALREADYEXISTS");
    public static final ResponseCode HASCHILDREN = of("HASCHILDREN");
    public static final ResponseCode AUTHENTICATIONFAILED = of("AUTHENTICATIONFAILED");
    public static final ResponseCode AUTHORIZATIONFAILED = of("AUTHORIZATIONFAILED");
    public static final ResponseCode PRIVACYREQUIRED = of("PRIVACYREQUIRED");
    public static final ResponseCode UNAVAILABLE = of("UNAVAILABLE");
    public static final ResponseCode CANNOT = of("CANNOT");
    public static final ResponseCode LIMIT = of("LIMIT");
    public static final ResponseCode OVERQUOTA = of("OVERQUOTA");
    public static final ResponseCode INUSE = of("INUSE");
    public static final ResponseCode NOPERM = of("NOPERM");
    public static final ResponseCode EXPUNGEISSUED = of("EXPUNGEISSUED");
    public static final ResponseCode SERVERBUG = of("SERVERBUG");
    public static final ResponseCode TOOBIG = of("TOOBIG");
    public static final ResponseCode UNKNOWN_CTE = of("UNKNOWN-CTE");

    public ResponseCode {
        if (name.isEmpty()) throw new IllegalArgumentException("empty response code");
        for (int i = 0; i < name.length(); i++) {
            if (!ImapWriter.isAtomChar(name.charAt(i))) {
                throw new IllegalArgumentException("response code is not an atom: " + name);
            }
        }
        name = name.toUpperCase(Locale.ROOT);
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c == ']') {
                throw new IllegalArgumentException("response code argument with CR, LF, NUL or ']': " + name);
            }
        }
    }

    public static ResponseCode of(String name) {
        return new ResponseCode(name, "");
    }

    public static ResponseCode of(String name, String argument) {
        return new ResponseCode(name, argument);
    }

    /** {@code [CAPABILITY IMAP4rev2 ...]}, as in a greeting (RFC 9051 §7.1). */
    public static ResponseCode capability(Collection<String> capabilities) {
        return of("CAPABILITY", String.join(" ", capabilities));
    }

    /** {@code [PERMANENTFLAGS (\Deleted \Seen \*)]} (RFC 9051 §7.1). */
    public static ResponseCode permanentFlags(Collection<String> flags) {
        return of("PERMANENTFLAGS", "(" + String.join(" ", flags) + ")");
    }

    public static ResponseCode uidValidity(long uidValidity) {
        return of("UIDVALIDITY", Long.toString(uidValidity));
    }

    public static ResponseCode uidNext(long uidNext) {
        return of("UIDNEXT", Long.toString(uidNext));
    }

    /** RFC 4315 §3 (UIDPLUS), part of IMAP4rev2: the UID an APPEND assigned. */
    public static ResponseCode appendUid(long uidValidity, long uid) {
        return of("APPENDUID", uidValidity + " " + uid);
    }

    /** RFC 7162 §3.1.2.1 (CONDSTORE). */
    public static ResponseCode highestModSeq(long modSeq) {
        return of("HIGHESTMODSEQ", Long.toString(modSeq));
    }

    /** The wire form without brackets: {@code NAME} or {@code NAME argument}. */
    public String wire() {
        return argument.isEmpty() ? name : name + " " + argument;
    }
}
