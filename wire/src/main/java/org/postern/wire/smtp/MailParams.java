package org.postern.wire.smtp;

import java.util.Optional;
import java.util.OptionalLong;
import org.postern.wire.dsn.EnvelopeId;
import org.postern.wire.dsn.Ret;

/**
 * The MAIL FROM parameters we know (RFC 5321 §4.1.2 Mail-parameters). Any other keyword is refused by the
 * parser with 555 (RFC 5321 §4.1.1.11). Whether a known one is acceptable in this session (e.g. BINARYMIME,
 * or any parameter after HELO) is the session's decision.
 *
 * @param size    RFC 1870 SIZE=, the client's estimate of the message size
 * @param body    RFC 6152 / RFC 3030 BODY=, {@link Body#SEVEN_BIT} when absent
 * @param smtpUtf8 RFC 6531 SMTPUTF8: the envelope and header may hold UTF-8
 * @param auth    RFC 4954 §5 AUTH=, xtext-decoded: a mailbox or {@code "<>"}
 * @param ret     RFC 3461 §4.3 RET=: how much of the message a failure notice returns
 * @param envelopeId RFC 3461 §4.4 ENVID=, decoded
 */
public record MailParams(OptionalLong size, Body body, boolean smtpUtf8, Optional<String> auth, Optional<Ret> ret,
                         Optional<EnvelopeId> envelopeId) {
    public static final MailParams NONE = new MailParams(OptionalLong.empty(), Body.SEVEN_BIT, false, Optional.empty());

    /** Without DSN parameters. */
    public MailParams(OptionalLong size, Body body, boolean smtpUtf8, Optional<String> auth) {
        this(size, body, smtpUtf8, auth, Optional.empty(), Optional.empty());
    }

    public enum Body {
        SEVEN_BIT("7BIT"), EIGHT_BIT_MIME("8BITMIME"), BINARY_MIME("BINARYMIME");

        private final String keyword;

        Body(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /** Whether a parameter other than an explicit {@code BODY=7BIT} was given (after HELO none is allowed). */
    public boolean any() {
        return !this.equals(NONE);
    }
}
