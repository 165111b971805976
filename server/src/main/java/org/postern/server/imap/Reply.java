package org.postern.server.imap;

import java.util.Optional;
import org.postern.wire.imap.ImapWriter.Condition;
import org.postern.wire.imap.ResponseCode;

/**
 * A command's tagged completion (RFC 9051 §7.1). Handlers return it instead of writing it, so the dispatcher can
 * send the untagged updates that must come before it (RFC 9051 §7: EXISTS, EXPUNGE, FETCH FLAGS).
 */
record Reply(Condition condition, Optional<ResponseCode> code, String text) {
    static Reply ok(String text) {
        return new Reply(Condition.OK, Optional.empty(), text);
    }

    static Reply ok(ResponseCode code, String text) {
        return new Reply(Condition.OK, Optional.of(code), text);
    }

    static Reply no(String text) {
        return new Reply(Condition.NO, Optional.empty(), text);
    }

    static Reply bad(String text) {
        return new Reply(Condition.BAD, Optional.empty(), text);
    }
}
