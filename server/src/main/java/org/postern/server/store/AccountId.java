package org.postern.server.store;

/** An account's stable numeric id, assigned by the {@link org.postern.server.directory.Directory}. */
public record AccountId(long value) {
    public AccountId {
        if (value <= 0) throw new IllegalArgumentException("account id must be positive: " + value);
    }

    @Override
    public String toString() {
        return "account#" + value;
    }
}
