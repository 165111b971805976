package org.postern.server.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.server.directory.Account;
import org.postern.server.imap.ImapSession.Extension;
import org.postern.server.imap.ImapState.NotAuthenticated;
import org.postern.server.net.Delays;
import org.postern.server.net.SessionIo;
import org.postern.server.store.MailboxName;
import org.postern.wire.Secret;
import org.postern.wire.imap.ImapCommand;
import org.postern.wire.imap.ResponseCode;
import org.postern.wire.sasl.Credentials;
import org.postern.wire.sasl.SaslException;
import org.postern.wire.sasl.SaslPlain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CAPABILITY, LOGIN, AUTHENTICATE, ENABLE, ID and NAMESPACE (RFC 9051 §6.1-§6.3, RFC 4959 SASL-IR, RFC 5161,
 * RFC 2971, RFC 2342).
 *
 * <p>Login follows the POP3 server: the same {@code NO [AUTHENTICATIONFAILED]} whether the user exists or not,
 * after {@link Delays#authFailure()} and the shared {@link org.postern.server.net.AuthThrottle}'s penalty; one
 * failure past {@code maxAuthFailures} ends the connection. Before TLS, LOGIN and AUTHENTICATE are refused with
 * {@code NO [PRIVACYREQUIRED]} and CAPABILITY says LOGINDISABLED (RFC 9051 §6.2.3, §7.2.2), unless plaintext
 * login is allowed.
 */
final class AuthCommands {
    private static final Logger log = LoggerFactory.getLogger(AuthCommands.class);

    private final ImapSession s;

    AuthCommands(ImapSession s) {
        this.s = s;
    }

    /**
     * The capabilities for the current state (RFC 9051 §7.2.2). Before login only what a client needs to log
     * in; afterwards every extension this server implements.
     */
    List<String> capabilities() {
        List<String> caps = new ArrayList<>(List.of("IMAP4rev1", "IMAP4rev2", "LITERAL+", "SASL-IR", "ID", "ENABLE", "IDLE"));
        if (s.state instanceof NotAuthenticated) {
            if (s.server.services().tls().isPresent() && !s.io.isTls()) caps.add("STARTTLS");
            caps.add(s.loginAllowed() ? "AUTH=" + SaslPlain.NAME : "LOGINDISABLED");
            return caps;
        }
        caps.addAll(List.of("NAMESPACE", "UIDPLUS", "MOVE", "UNSELECT", "CHILDREN", "LIST-EXTENDED", "LIST-STATUS",
                "SPECIAL-USE", "CREATE-SPECIAL-USE", "ESEARCH", "SEARCHRES", "CONDSTORE", "QRESYNC", "BINARY",
                "APPENDLIMIT=" + s.settings.maxMessageSize(), "STATUS=SIZE", "UTF8=ACCEPT", "QUOTA", "QUOTA=RES-STORAGE"));
        return caps;
    }

    Reply capability() throws IOException {
        List<String> caps = capabilities();
        s.out.untagged(r -> {
            r.atom("CAPABILITY");
            for (String c : caps) r.token(c);
        });
        return Reply.ok("CAPABILITY completed");
    }

    /** RFC 2971: who we are; the client's fields go to the debug log only. */
    Reply id(ImapCommand.Id id) throws IOException {
        if (log.isDebugEnabled() && !id.fields().isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (ImapCommand.IdField f : id.fields()) b.append(' ').append(f.name()).append('=').append(f.value().orElse("NIL"));
            log.debug("conn={} client ID{}", s.conn.id(), SessionIo.printable(b.toString()));
        }
        s.out.untagged(r -> r.atom("ID").open().string("name").string("Postern").string("vendor").string("Postern").close());
        return Reply.ok("ID completed");
    }

    /** RFC 2342 / RFC 9051 §6.3.10: one personal namespace, no prefix, delimiter "/". */
    Reply namespace() throws IOException {
        s.out.untagged(r -> r.atom("NAMESPACE").open().open().string("").string("/").close().close().nil().nil());
        return Reply.ok("NAMESPACE completed");
    }

    /**
     * RFC 5161: IMAP4rev2 and UTF8=ACCEPT (RFC 6855) switch the writer to UTF-8, QRESYNC implies CONDSTORE
     * (RFC 7162 §3.2.3). The ENABLED response lists what this command newly enabled; unknown names are ignored.
     */
    Reply enable(ImapCommand.Enable e) throws IOException {
        List<String> now = new ArrayList<>();
        for (String c : e.capabilities()) {
            Optional<Extension> x = switch (c) {
                case "IMAP4REV2" -> Optional.of(Extension.IMAP4REV2);
                case "UTF8=ACCEPT" -> Optional.of(Extension.UTF8_ACCEPT);
                case "CONDSTORE" -> Optional.of(Extension.CONDSTORE);
                case "QRESYNC" -> Optional.of(Extension.QRESYNC);
                default -> Optional.empty();
            };
            if (x.isEmpty() || !s.enabled.add(x.get())) continue;
            now.add(switch (x.get()) {
                case IMAP4REV2 -> "IMAP4rev2";
                case UTF8_ACCEPT -> "UTF8=ACCEPT";
                case CONDSTORE -> "CONDSTORE";
                case QRESYNC -> "QRESYNC";
            });
            if (x.get() == Extension.IMAP4REV2 || x.get() == Extension.UTF8_ACCEPT) s.out.enableUtf8();
            if (x.get() == Extension.QRESYNC) s.enabled.add(Extension.CONDSTORE);
        }
        s.out.untagged(r -> {
            r.atom("ENABLED");
            for (String c : now) r.token(c);
        });
        return Reply.ok("ENABLE completed");
    }

    Reply login(ImapCommand.Login l) {
        if (!s.loginAllowed()) {
            l.password().wipe();
            return plaintextRefused();
        }
        return attempt(l.user(), l.password(), "LOGIN");
    }

    /** RFC 9051 §6.2.2 with RFC 4959: PLAIN, the response in the command or after an empty challenge. */
    Reply authenticate(ImapCommand.Authenticate a) throws IOException {
        if (!a.mechanism().equals(SaslPlain.NAME)) return Reply.no("unsupported mechanism: use PLAIN");
        if (!s.loginAllowed()) return plaintextRefused();
        Credentials creds;
        try {
            if (a.initialResponse().isPresent()) {
                creds = SaslPlain.decode(a.initialResponse().get(), true);   // RFC 4959 §3: "=" is an empty response
            } else {
                s.out.challenge(new byte[0]);   // "+ "
                s.io.timeout(s.settings.loginTimeout());
                creds = SaslPlain.decode(new String(s.in.readLine(), US_ASCII), false);
            }
        } catch (SaslException e) {
            return switch (e.kind()) {
                // RFC 9051 §6.2.2: "*" cancels, and the server answers BAD; so does a response it cannot decode
                case CANCELLED -> Reply.bad("authentication cancelled");
                case BAD_BASE64, MALFORMED -> Reply.bad("cannot decode the SASL response");
                case AUTHZID_NOT_ALLOWED -> failed("(authzid)");
            };
        }
        return attempt(creds.username(), creds.password(), "AUTHENTICATE PLAIN");
    }

    private Reply plaintextRefused() {
        // RFC 9051 §6.2.3 / RFC 8314: passwords only over TLS; say what to do
        return new Reply(org.postern.wire.imap.ImapWriter.Condition.NO, Optional.of(ResponseCode.PRIVACYREQUIRED),
                "plaintext login is disabled: use STARTTLS (or port 993) first");
    }

    private Reply attempt(String user, Secret password, String how) {
        Optional<Account> account;
        try {
            if (s.server.services().authThrottle().refused(s.conn.remote().getAddress())) {
                log.info("conn={} from {}: login refused, too many recent failures from this address", s.conn.id(),
                        s.conn.remote().getAddress().getHostAddress());
                return new Reply(org.postern.wire.imap.ImapWriter.Condition.NO, Optional.of(ResponseCode.UNAVAILABLE),
                        "too many failed logins from your address, try again later");
            }
            account = s.server.services().directory().authenticate(user, password);
        } finally {
            password.wipe();
        }
        if (account.isEmpty()) return failed(user);
        Account acc = account.get();
        if (s.store().read(acc.id(), tx -> tx.mailbox(MailboxName.INBOX)).isEmpty()) s.store().ensureAccount(acc.id());
        s.loggedIn(acc);
        log.info("conn={} {} logged in with {}", s.conn.id(), acc.address(), how);
        return Reply.ok(ResponseCode.capability(capabilities()), how + " completed");
    }

    private Reply failed(String user) {
        s.authFailures++;
        log.info("conn={} from {}: login failed for {} ({} of {})", s.conn.id(), s.conn.remote().getAddress().getHostAddress(),
                SessionIo.printable(user), s.authFailures, s.settings.maxAuthFailures());
        Duration penalty = s.server.services().authThrottle().failed(s.conn.remote().getAddress(), user);
        Delays.pause(s.settings.delays().authFailure());
        if (!s.settings.delays().authFailure().isZero()) Delays.pause(penalty);
        // RFC 5530 §3: AUTHENTICATIONFAILED, the same for an unknown user and a wrong password
        return new Reply(org.postern.wire.imap.ImapWriter.Condition.NO, Optional.of(ResponseCode.AUTHENTICATIONFAILED),
                "invalid user name or password");
    }
}
