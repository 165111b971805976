package org.postern.wire.smtp;

import java.util.Optional;
import org.postern.wire.address.Path;

/** The SMTP commands a server understands, as parsed by {@link SmtpParser}. */
public sealed interface SmtpCommand {
    /** RFC 5321 §4.1.1.1; no extensions follow. */
    record Helo(String domain) implements SmtpCommand {}

    /** RFC 5321 §4.1.1.1; the reply lists the extensions. */
    record Ehlo(String domain) implements SmtpCommand {}

    /** RFC 5321 §4.1.1.2: {@code path} is {@link Path.Null} or {@link Path.Mailbox}. */
    record MailFrom(Path path, MailParams params) implements SmtpCommand {}

    /** RFC 5321 §4.1.1.3: {@code path} is {@link Path.Postmaster} or {@link Path.Mailbox}. */
    record RcptTo(Path path, RcptParams params) implements SmtpCommand {}

    record Data() implements SmtpCommand {}

    /** RFC 3030 §2: {@code size} octets follow the command line at once. */
    record Bdat(long size, boolean last) implements SmtpCommand {}

    record Rset() implements SmtpCommand {}

    record Noop() implements SmtpCommand {}

    record Quit() implements SmtpCommand {}

    record Vrfy(String argument) implements SmtpCommand {}

    record Expn(String argument) implements SmtpCommand {}

    record Help(Optional<String> topic) implements SmtpCommand {}

    /** RFC 3207. */
    record StartTls() implements SmtpCommand {}

    /** RFC 4954 §4: {@code initialResponse} is the base64 text, or {@code "="} for an empty one. */
    record Auth(String mechanism, Optional<String> initialResponse) implements SmtpCommand {
        @Override
        public String toString() {
            return "Auth[" + mechanism + (initialResponse.isPresent() ? ", ***]" : "]");   // never log credentials
        }
    }

    /** The verb, upper-case, for logs and replies. */
    default String verb() {
        return switch (this) {
            case Helo _ -> "HELO";
            case Ehlo _ -> "EHLO";
            case MailFrom _ -> "MAIL";
            case RcptTo _ -> "RCPT";
            case Data _ -> "DATA";
            case Bdat _ -> "BDAT";
            case Rset _ -> "RSET";
            case Noop _ -> "NOOP";
            case Quit _ -> "QUIT";
            case Vrfy _ -> "VRFY";
            case Expn _ -> "EXPN";
            case Help _ -> "HELP";
            case StartTls _ -> "STARTTLS";
            case Auth _ -> "AUTH";
        };
    }
}
