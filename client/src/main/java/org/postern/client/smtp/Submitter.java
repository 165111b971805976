package org.postern.client.smtp;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.client.net.AuthenticationException;
import org.postern.client.net.Endpoint;
import org.postern.wire.Secret;
import org.postern.wire.address.AddressException;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.sasl.Credentials;
import org.postern.wire.smtp.client.ClientSettings;
import org.postern.wire.smtp.client.Destination;
import org.postern.wire.smtp.client.Envelope;
import org.postern.wire.smtp.client.OutboundMessage;
import org.postern.wire.smtp.client.RecipientOutcome;
import org.postern.wire.smtp.client.RecipientResult;
import org.postern.wire.smtp.client.SessionFailure;
import org.postern.wire.smtp.client.SmtpClient;
import org.postern.wire.smtp.client.TlsPolicy;

/**
 * Message submission (RFC 6409) through wire's SMTP client: STARTTLS (port 587) or implicit TLS (port 465,
 * RFC 8314), AUTH PLAIN/LOGIN (RFC 4954), then one transaction. The certificate is verified against the
 * endpoint's trust (else the JDK's) and must name the host; there is no plaintext fallback.
 */
public final class Submitter {
    private Submitter() {}

    /**
     * Sends {@code message} (an RFC 5322 file) from {@code sender} to {@code recipients}. Returns normally only
     * when the server accepted the message for every recipient; otherwise throws
     * {@link org.postern.client.net.ProtocolException} saying which recipients were refused and why, and whether
     * the failure is permanent ({@link SubmissionException#permanent()}). A refused login is an
     * {@link AuthenticationException} instead; a connection or TLS failure is a (temporary) SubmissionException.
     */
    public static void send(Endpoint endpoint, String user, char[] password, boolean allowPlaintext, Duration timeout,
                            String sender, List<String> recipients, Path message) throws IOException {
        if (recipients.isEmpty()) throw new SubmissionException("the message has no recipients", true);
        if (endpoint.security() == Endpoint.Security.PLAINTEXT && !allowPlaintext)
            throw new SubmissionException("not sending the password to " + endpoint.where() + " without TLS "
                    + "(the account does not allow plaintext)", true);
        EmailAddress from;
        List<EmailAddress> to = new ArrayList<>();
        try {
            from = EmailAddress.parse(sender);
            for (String r : recipients) to.add(EmailAddress.parse(r));
        } catch (AddressException e) {
            throw new SubmissionException("not an email address: " + e.getMessage(), true);
        }

        TlsPolicy tls = switch (endpoint.security()) {
            case IMPLICIT_TLS -> new TlsPolicy.ImplicitVerified(endpoint.trustOrDefault());
            case STARTTLS -> new TlsPolicy.RequiredVerified(endpoint.trustOrDefault());
            case PLAINTEXT -> TlsPolicy.OPPORTUNISTIC;     // tests and trusted networks only (checked above)
        };
        InetSocketAddress address = new InetSocketAddress(endpoint.host(), endpoint.port());
        if (address.isUnresolved()) throw new UnknownHostException("cannot resolve " + endpoint.host());
        Secret secret = new Secret(password.clone());
        Destination destination = new Destination(endpoint.host(), address, tls,
                Optional.of(new Destination.Login(new Credentials(user, secret), allowPlaintext)));
        ClientSettings settings = new ClientSettings(heloName(), ClientSettings.Timeouts.all(timeout));
        FileMessage body = FileMessage.of(message);
        List<RecipientResult> results;
        try (SmtpClient client = SmtpClient.connect(destination, settings)) {
            results = client.send(Envelope.of(new org.postern.wire.address.Path.Mailbox(from), to), body);
        } catch (SessionFailure e) {
            // RFC 4954 §6: 535 5.7.8 (the client reports it as x.7.8) is a wrong user name or password
            if (e.failure().diagnosis().status().subject() == 7 && e.failure().diagnosis().status().detail() == 8)
                throw new AuthenticationException("submission to " + endpoint.where() + " failed: "
                        + e.failure().diagnosis().text());
            throw new SubmissionException("submission to " + endpoint.where() + " failed: " + e.failure().diagnosis().text(),
                    e.permanent());
        } finally {
            secret.wipe();
        }
        List<String> accepted = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        boolean allPermanent = true;
        for (RecipientResult r : results) {
            switch (r.outcome()) {
                case RecipientOutcome.Delivered d -> accepted.add(r.recipient().toString());
                case RecipientOutcome.Failure f -> {
                    refused.put(r.recipient().toString(), f.diagnosis().text());
                    if (!(f instanceof RecipientOutcome.PermanentFailure)) allPermanent = false;
                }
            }
        }
        if (refused.isEmpty()) return;
        StringBuilder m = new StringBuilder(endpoint.where()).append(accepted.isEmpty() ? " refused the message: "
                : " accepted the message for " + String.join(", ", accepted) + " but refused ");
        int i = 0;
        for (var e : refused.entrySet()) m.append(i++ > 0 ? "; " : "").append(e.getKey()).append(" (").append(e.getValue()).append(')');
        throw new SubmissionException(m.toString(), allPermanent, accepted, refused);
    }

    /**
     * RFC 5321 §4.1.1.1: our fully-qualified name, else "localhost" (submission servers accept any). Looked up once:
     * the lookup may wait on DNS.
     */
    static String heloName() {
        return HeloName.NAME;
    }

    private static final class HeloName {
        static final String NAME = lookUp();
    }

    private static String lookUp() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            if (name.contains(".") && EmailAddress.isDomainOrLiteral(name, false) && !Character.isDigit(name.charAt(name.length() - 1)))
                return name;
        } catch (UnknownHostException | RuntimeException e) {
            // no usable name: fall through
        }
        return "localhost";
    }

    /**
     * The message file as the SMTP client reads it: streamed from disk each time. Whether it has 8-bit octets (and
     * UTF-8 in its header) is found by one streamed pass; the 7-bit form for a server without 8BITMIME
     * (RFC 6152 §3) goes through a temporary file, as the relay's does.
     */
    record FileMessage(Path file, long size, boolean eightBit, boolean needsSmtpUtf8) implements OutboundMessage {
        static FileMessage of(Path file) throws IOException {
            boolean eight = false, headerEight = false, inHeader = true;
            int last = -1, beforeLast = -1;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                for (int b; (b = in.read()) >= 0; ) {
                    if (b >= 0x80) {
                        eight = true;
                        if (inHeader) headerEight = true;
                    }
                    if (inHeader && b == '\n' && (last == '\n' || last == '\r' && beforeLast == '\n')) inHeader = false;
                    beforeLast = last;
                    last = b;
                }
            }
            return new FileMessage(file, Files.size(file), eight, headerEight);
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }
    }
}
