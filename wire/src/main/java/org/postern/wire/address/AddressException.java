package org.postern.wire.address;

/** Text that is not a valid address or path; the message says what is wrong, for a 501 reply or a log. */
public final class AddressException extends IllegalArgumentException {
    public AddressException(String message) {
        super(message);
    }
}
