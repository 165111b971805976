package org.postern.wire.pop3;

import java.util.Optional;
import java.util.OptionalInt;
import org.postern.wire.Secret;

/** One POP3 command line, parsed. Message numbers are 1-based as on the wire (RFC 1939 §5). */
public sealed interface Pop3Command {
    /** The command keyword as the client should see it in replies and logs (never an argument). */
    default String verb() {
        return getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }

    /** RFC 1939 §7. */
    record User(String name) implements Pop3Command {}

    /** RFC 1939 §7: the whole rest of the line, spaces included (the note to PASS allows it). */
    record Pass(Secret password) implements Pop3Command {}

    /** RFC 5034 §4: AUTH without a mechanism lists them (a common extension); with one, starts SASL. */
    record Auth(Optional<String> mechanism, Optional<String> initialResponse) implements Pop3Command {}

    /** RFC 1939 §7: not offered, but recognised so the refusal can say why. */
    record Apop(String name) implements Pop3Command {}

    /** RFC 2595 §4. */
    record Stls() implements Pop3Command {}

    /** RFC 2449 §5. */
    record Capa() implements Pop3Command {}

    /** RFC 1939 §5. */
    record Stat() implements Pop3Command {}

    /** RFC 1939 §5: with a message number, one line; without, a listing. */
    record List(OptionalInt message) implements Pop3Command {}

    record Retr(int message) implements Pop3Command {}

    record Dele(int message) implements Pop3Command {}

    record Noop() implements Pop3Command {}

    record Rset() implements Pop3Command {}

    record Quit() implements Pop3Command {}

    /** RFC 1939 §7: the header, the blank line and the first {@code lines} lines of the body. */
    record Top(int message, int lines) implements Pop3Command {}

    /** RFC 1939 §7. */
    record Uidl(OptionalInt message) implements Pop3Command {}
}
