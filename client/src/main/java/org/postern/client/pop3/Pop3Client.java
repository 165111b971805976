package org.postern.client.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.postern.client.net.Endpoint;

/**
 * A POP3 client (RFC 1939, CAPA of RFC 2449, STLS of RFC 2595, AUTH PLAIN of RFC 5034). -ERR answers throw
 * {@link org.postern.client.net.ProtocolException} with the server's text. API contract
 * (docs/decisions/0005-mail-client.md); bodies filled in by the {@code client.pop3} work.
 */
public final class Pop3Client implements AutoCloseable {
    private Pop3Client() {}

    public static Pop3Client connect(Endpoint endpoint, Duration timeout) throws IOException {
        throw new UnsupportedOperationException("client.pop3");
    }

    /** CAPA's answer, upper-cased first words (empty when the server has no CAPA). */
    public Set<String> capabilities() { throw new UnsupportedOperationException("client.pop3"); }

    /** AUTH PLAIN when SASL PLAIN is offered, else USER/PASS; refuses without TLS unless {@code allowPlaintext}. */
    public void login(String user, char[] password, boolean allowPlaintext) throws IOException {
        throw new UnsupportedOperationException("client.pop3");
    }

    /** UIDL and LIST together: every message's number, unique id and size. */
    public List<Listing> listing() throws IOException { throw new UnsupportedOperationException("client.pop3"); }

    /** RETR n, the message dot-unstuffed and streamed (never held whole in memory). */
    public void retrieve(int number, BodyConsumer consumer) throws IOException {
        throw new UnsupportedOperationException("client.pop3");
    }

    public void delete(int number) throws IOException { throw new UnsupportedOperationException("client.pop3"); }

    /** QUIT: the server commits the deletions (UPDATE state) only now. */
    public void quit() throws IOException { throw new UnsupportedOperationException("client.pop3"); }

    @Override
    public void close() { throw new UnsupportedOperationException("client.pop3"); }

    public record Listing(int number, String uid, long size) {}

    @FunctionalInterface
    public interface BodyConsumer {
        void accept(InputStream body) throws IOException;
    }
}
