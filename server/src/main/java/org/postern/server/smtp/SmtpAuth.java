package org.postern.server.smtp;

import java.io.IOException;
import java.util.Optional;
import org.postern.server.directory.Account;
import java.time.Duration;
import org.postern.server.net.Delays;
import org.postern.server.net.SessionIo;
import org.postern.server.smtp.SmtpState.Chunking;
import org.postern.server.smtp.SmtpState.Connected;
import org.postern.server.smtp.SmtpState.Greeted;
import org.postern.server.smtp.SmtpState.Mail;
import org.postern.wire.Secret;
import org.postern.wire.sasl.Credentials;
import org.postern.wire.sasl.SaslException;
import org.postern.wire.sasl.SaslLogin;
import org.postern.wire.sasl.SaslPlain;
import org.postern.wire.smtp.SmtpCommand;
import org.postern.wire.smtp.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH (RFC 4954) with PLAIN and LOGIN, offered only over TLS unless plaintext is allowed. Each failure is
 * answered after {@link org.postern.server.net.Delays#authFailure()}; one failure past
 * {@link SmtpSettings#maxAuthFailures()} gets 421 and the connection is closed. Across connections, the
 * server's {@link org.postern.server.net.AuthThrottle} refuses an address with too many recent failures (454)
 * and slows failures on an account under attack. Passwords are wiped after use and never logged.
 */
final class SmtpAuth {
    private static final Logger log = LoggerFactory.getLogger(SmtpAuth.class);

    private final SmtpSession s;
    private int failures;

    SmtpAuth(SmtpSession s) {
        this.s = s;
    }

    /** Returns false when the connection is to be closed. */
    boolean authenticate(SmtpCommand.Auth a) throws IOException {
        Greeted g = switch (s.state) {
            case Connected _ -> throw SmtpRefusal.error(503, "5.5.1", "send EHLO first");
            case Greeted gr -> gr;
            case Mail _ -> throw SmtpRefusal.error(503, "5.5.1", "AUTH not allowed during a mail transaction");
            case Chunking _ -> throw SmtpRefusal.error(503, "5.5.1", "AUTH not allowed during a mail transaction");
        };
        if (!g.hello().extended()) throw SmtpRefusal.error(503, "5.5.1", "send EHLO first");
        // RFC 4954 §4: AUTH after a successful AUTH is refused with 503
        if (g.user().isPresent()) throw SmtpRefusal.error(503, "5.5.1", "already authenticated");
        // RFC 4954 §6: 538 when the mechanism needs an encrypted connection (PLAIN and LOGIN do)
        if (!s.authOffered()) throw SmtpRefusal.error(538, "5.7.11", "encryption required for authentication: use STARTTLS first");

        Credentials creds;
        try {
            creds = switch (a.mechanism()) {
                case SaslPlain.NAME -> plain(a.initialResponse());
                case SaslLogin.NAME -> login(a.initialResponse());
                default -> throw SmtpRefusal.error(504, "5.5.4", "mechanism not supported; use PLAIN or LOGIN");
            };
        } catch (SaslException e) {
            return switch (e.kind()) {
                // RFC 4954 §4: a cancelled exchange gets 501
                case CANCELLED -> s.reply(SmtpReply.of(501, "5.7.0", "authentication cancelled"));
                case BAD_BASE64, MALFORMED -> s.error(SmtpReply.of(501, "5.5.2", "cannot decode response"));
                case AUTHZID_NOT_ALLOWED -> fail(a.mechanism(), "(authzid)");
            };
        }
        Optional<Account> account;
        if (s.server.services().authThrottle().refused(s.conn.remote().getAddress())) {
            creds.password().wipe();
            log.info("conn={} from {}: authentication refused, too many recent failures from this address", s.conn.id(),
                    s.conn.remote().getAddress().getHostAddress());
            // RFC 4954 §6: 454 4.7.0 temporary authentication failure; the password is not even checked
            return s.reply(SmtpReply.of(454, "4.7.0", "too many failed logins from your address, try again later"));
        }
        try {
            account = s.server.services().directory().authenticate(creds.username(), creds.password());
        } finally {
            creds.password().wipe();
        }
        if (account.isEmpty()) return fail(a.mechanism(), creds.username());
        s.state = new Greeted(g.hello(), account);
        log.info("conn={} authenticated {} with {}", s.conn.id(), account.get().address(), a.mechanism());
        return s.reply(SmtpReply.of(235, "2.7.0", "authentication successful"));
    }

    private boolean fail(String mechanism, String user) throws IOException {
        failures++;
        log.info("conn={} from {}: authentication failed for {} with {} ({} of {})", s.conn.id(),
                s.conn.remote().getAddress().getHostAddress(), SessionIo.printable(user), mechanism, failures, s.settings.maxAuthFailures());
        Duration penalty = s.server.services().authThrottle().failed(s.conn.remote().getAddress(), user);
        Delays.pause(s.settings.delays().authFailure());
        // an account under attack from many addresses: slower still (Delays.NONE, in tests, turns this off too)
        if (!s.settings.delays().authFailure().isZero()) Delays.pause(penalty);
        if (failures > s.settings.maxAuthFailures()) {
            s.reply(SmtpReply.of(421, "4.7.0", s.settings.hostname() + " too many failed authentication attempts, closing"));
            return false;
        }
        // RFC 4954 §6: 535 5.7.8 authentication credentials invalid
        return s.reply(SmtpReply.of(535, "5.7.8", "authentication credentials invalid"));
    }


    private Credentials plain(Optional<String> initial) throws IOException {
        if (initial.isPresent()) return SaslPlain.decode(initial.get(), true);
        // RFC 4954 §4: no initial response: an empty challenge
        return SaslPlain.decode(challenge(""), false);
    }

    private Credentials login(Optional<String> initial) throws IOException {
        String user = initial.isPresent()
                ? SaslLogin.username(initial.get(), true)
                : SaslLogin.username(challenge(SaslLogin.USERNAME_CHALLENGE), false);
        Secret password = SaslLogin.password(challenge(SaslLogin.PASSWORD_CHALLENGE));
        return new Credentials(user, password);
    }

    /** Sends a 334 challenge and reads the client's response line (bounded like a command line). */
    private String challenge(String base64) throws IOException {
        s.reply(SmtpReply.plain(334, base64));
        s.io.flush();
        s.io.timeout(s.settings.timeouts().command());   // the response is a record of its own
        return s.io.readLine();
    }
}
