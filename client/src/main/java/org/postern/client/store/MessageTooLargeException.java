package org.postern.client.store;

import java.io.IOException;

/** A message longer than the store takes ({@link LocalStore#MAX_MESSAGE_BYTES}); nothing of it was kept. */
public final class MessageTooLargeException extends IOException {
    public MessageTooLargeException(long maxBytes) {
        super("message larger than " + maxBytes + " bytes; not stored");
    }
}
