package org.postern.server.store;

/** A live subscription to an account's changes; close it to stop. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
