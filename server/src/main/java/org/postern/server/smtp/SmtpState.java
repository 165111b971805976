package org.postern.server.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.server.delivery.IncomingBody;
import org.postern.server.delivery.Recipient;
import org.postern.server.directory.Account;
import org.postern.wire.address.Path;
import org.postern.wire.io.MessageChecker;
import org.postern.wire.smtp.MailParams;

/**
 * Where an SMTP session is; each state holds only the data that exists there (Stalwart). The authenticated
 * user lives in the states after the greeting, so STARTTLS (back to {@link Connected}) forgets it as
 * RFC 3207 §4.2 requires, while RSET and a second EHLO keep it.
 */
sealed interface SmtpState {
    /** Before HELO/EHLO, and again right after STARTTLS. */
    record Connected() implements SmtpState {}

    /** Greeted; no transaction. */
    record Greeted(Hello hello, Optional<Account> user) implements SmtpState {}

    /** After MAIL FROM, collecting recipients. */
    record Mail(Hello hello, Optional<Account> user, Transaction tx) implements SmtpState {}

    /** A BDAT chunk without LAST was received: the body is partly in a pending blob (RFC 3030). */
    record Chunking(Hello hello, Optional<Account> user, Transaction tx, IncomingBody body, MessageChecker checker)
            implements SmtpState {}

    /** HELO or EHLO, and the domain the client gave. */
    record Hello(boolean extended, String domain) {}

    /** MAIL FROM and the recipients accepted so far. */
    record Transaction(Path from, MailParams params, List<Recipient> recipients) {
        public Transaction {
            recipients = List.copyOf(recipients);
        }

        Transaction with(Recipient r) {
            List<Recipient> l = new ArrayList<>(recipients.size() + 1);
            l.addAll(recipients);
            l.add(r);
            return new Transaction(from, params, l);
        }
    }
}
