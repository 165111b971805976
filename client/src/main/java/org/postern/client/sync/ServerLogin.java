package org.postern.client.sync;

import java.util.Objects;
import java.util.function.Supplier;
import org.postern.client.net.Endpoint;

/**
 * How sync reaches one server of an account: where, as whom, and whether a password may cross a connection
 * without TLS. {@code password} is called once per connection (a prompt, a 0600 file, a command: the caller's
 * choice, which may cache) and must return a fresh array each time: sync wipes it after use. It is never part of
 * {@link #toString()}.
 */
public record ServerLogin(Endpoint endpoint, String user, Supplier<char[]> password, boolean allowPlaintext) {
    public ServerLogin {
        Objects.requireNonNull(endpoint);
        Objects.requireNonNull(user);
        Objects.requireNonNull(password);
    }

    @Override
    public String toString() {
        return user + "@" + endpoint.host() + ":" + endpoint.port() + " (" + endpoint.security() + ")";
    }
}
