package org.postern.server.store;

/** A STORE-style flag change: replace, add or remove. */
public record FlagUpdate(Mode mode, Flags flags) {
    public enum Mode { REPLACE, ADD, REMOVE }

    public Flags apply(Flags current) {
        return switch (mode) {
            case REPLACE -> flags;
            case ADD -> current.plus(flags.names());
            case REMOVE -> current.minus(flags.names());
        };
    }
}
