package org.postern.client.store;

import java.io.IOException;

/** Another process (or another open store in this one) holds the account's writer lock. */
public final class StoreLockedException extends IOException {
    public StoreLockedException(String message) {
        super(message);
    }
}
