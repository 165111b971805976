package org.postern.server.smtp;

import org.postern.wire.smtp.SmtpReply;

/**
 * An expected refusal: the session sends {@link #reply()} and carries on. Thrown by command handlers, caught
 * in one place ({@code SmtpSession.execute}). No stack trace: it is not an error of ours.
 *
 * @see SmtpSession
 */
final class SmtpRefusal extends RuntimeException {
    private final SmtpReply reply;
    private final boolean countsAsError;

    private SmtpRefusal(SmtpReply reply, boolean countsAsError) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
        this.countsAsError = countsAsError;
    }

    /** A refusal that counts towards {@link SmtpSettings#maxBadCommands()}: the client did something wrong. */
    static SmtpRefusal error(int code, String status, String text) {
        return new SmtpRefusal(SmtpReply.of(code, status, text), true);
    }

    /** A refusal that is nobody's fault (a size or recipient limit, a temporary problem). */
    static SmtpRefusal plain(int code, String status, String text) {
        return new SmtpRefusal(SmtpReply.of(code, status, text), false);
    }

    SmtpReply reply() {
        return reply;
    }

    boolean countsAsError() {
        return countsAsError;
    }
}
