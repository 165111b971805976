package org.postern.wire.smtp;

/** A command line that cannot be parsed; carries the reply to send (500, 501, 553 or 555). */
public final class SmtpSyntaxException extends RuntimeException {
    private final SmtpReply reply;

    public SmtpSyntaxException(int code, String status, String text) {
        super(code + " " + status + " " + text, null, false, false);
        this.reply = SmtpReply.of(code, status, text);
    }

    public SmtpReply reply() {
        return reply;
    }

    /** The verb was not recognized at all (500 5.5.1), as opposed to a known verb with bad arguments. */
    public boolean unknownCommand() {
        return reply.code() == 500 && reply.status().map(s -> s.subject() == 5 && s.detail() == 1).orElse(false);
    }
}
