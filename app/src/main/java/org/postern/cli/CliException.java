package org.postern.cli;

/** A command that cannot be done as asked; the message is the one line the person sees. */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }
}
