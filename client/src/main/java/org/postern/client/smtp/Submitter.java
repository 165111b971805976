package org.postern.client.smtp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.postern.client.net.Endpoint;

/**
 * Message submission (RFC 6409) through wire's SMTP client: STARTTLS (port 587) or implicit TLS (port 465,
 * RFC 8314), AUTH PLAIN/LOGIN (RFC 4954), then one transaction. API contract
 * (docs/decisions/0005-mail-client.md); filled in by the {@code client.smtp} work.
 */
public final class Submitter {
    private Submitter() {}

    /**
     * Sends {@code message} (an RFC 5322 file) from {@code sender} to {@code recipients}. Returns normally only
     * when the server accepted the message for every recipient; otherwise throws
     * {@link org.postern.client.net.ProtocolException} saying which recipients were refused and why, and whether
     * the failure is permanent ({@link SubmissionException#permanent()}).
     */
    public static void send(Endpoint endpoint, String user, char[] password, boolean allowPlaintext, Duration timeout,
                            String sender, List<String> recipients, Path message) throws IOException {
        throw new UnsupportedOperationException("client.smtp");
    }
}
