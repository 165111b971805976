package org.postern.server.net;

import java.io.IOException;

/** The protocol side of a {@link Listener}: serves one connection on the calling (virtual) thread. */
public interface ConnectionHandler {
    /** Short name for thread names and logs, e.g. {@code smtp-submission}. */
    String name();

    /**
     * Runs the whole session. The listener closes the socket afterwards; I/O errors are logged at DEBUG (peers
     * vanish), runtime exceptions at WARNING.
     */
    void serve(Connection connection) throws IOException;

    /**
     * The protocol's "too busy" line, CRLF included, sent to a client over its per-address connection cap
     * before the socket is closed: e.g. {@code 421 4.7.0 too many connections\r\n} or
     * {@code * BYE too many connections\r\n}.
     */
    String tooBusy();

    /** Runs one session (the body of {@link #serve}). */
    @FunctionalInterface
    interface Session {
        void run(Connection connection) throws IOException;
    }

    /** A handler from its parts: what a protocol server hands each of its listeners. */
    static ConnectionHandler of(String name, String tooBusy, Session session) {
        return new ConnectionHandler() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void serve(Connection connection) throws IOException {
                session.run(connection);
            }

            @Override
            public String tooBusy() {
                return tooBusy;
            }
        };
    }
}
