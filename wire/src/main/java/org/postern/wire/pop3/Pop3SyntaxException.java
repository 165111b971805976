package org.postern.wire.pop3;

/** A command line that is not a valid POP3 command; the message is the text for {@code -ERR}. */
public final class Pop3SyntaxException extends RuntimeException {
    private final boolean unknownCommand;

    Pop3SyntaxException(String message, boolean unknownCommand) {
        super(message, null, false, false);
        this.unknownCommand = unknownCommand;
    }

    /** The keyword itself is not a POP3 command (as opposed to bad arguments to a known one). */
    public boolean unknownCommand() {
        return unknownCommand;
    }
}
