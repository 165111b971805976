package org.postern.server.imap;

import java.util.Optional;
import org.postern.wire.imap.ResponseCode;

/**
 * A command refused for an expected reason (a missing mailbox, a name that is taken): answered
 * {@code tag NO [CODE] text} without a stack trace, as mox does with its user errors. {@link #bad} makes the
 * same for a semantically invalid command (BAD, which counts towards the bad-command limit).
 */
final class ImapNo extends RuntimeException {
    private final Optional<ResponseCode> code;
    private final boolean bad;

    private ImapNo(Optional<ResponseCode> code, String text, boolean bad) {
        super(text, null, false, false);
        this.code = code;
        this.bad = bad;
    }

    static ImapNo no(ResponseCode code, String text) {
        return new ImapNo(Optional.of(code), text, false);
    }

    static ImapNo no(String text) {
        return new ImapNo(Optional.empty(), text, false);
    }

    static ImapNo bad(String text) {
        return new ImapNo(Optional.empty(), text, true);
    }

    Optional<ResponseCode> code() {
        return code;
    }

    boolean isBad() {
        return bad;
    }
}
