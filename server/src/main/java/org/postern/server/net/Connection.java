package org.postern.server.net;

import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/**
 * One accepted connection, as handed to a {@link ConnectionHandler}. On an implicit-TLS listener
 * {@code socket} is already an {@link SSLSocket} whose handshake has completed.
 *
 * @param id a process-wide connection number, for logs
 */
public record Connection(long id, Socket socket, InetSocketAddress remote, InetSocketAddress local) {
    public boolean isTls() {
        return socket instanceof SSLSocket;
    }
}
