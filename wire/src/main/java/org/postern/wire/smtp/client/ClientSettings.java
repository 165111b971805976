package org.postern.wire.smtp.client;

import java.time.Duration;
import java.util.Objects;
import org.postern.wire.address.EmailAddress;

/**
 * What every outbound connection of this host shares: the name we give in EHLO/HELO and the timeouts.
 *
 * @param heloName our host name, sent in EHLO/HELO (RFC 5321 §4.1.1.1: the fully-qualified domain name of
 *                 the client, or an address literal when it has none)
 */
public record ClientSettings(String heloName, Timeouts timeouts) {
    public ClientSettings {
        Objects.requireNonNull(timeouts);
        if (!EmailAddress.isDomainOrLiteral(heloName, false))
            throw new IllegalArgumentException("EHLO name must be a domain or address literal: " + heloName);
    }

    /** The RFC timeouts. */
    public static ClientSettings of(String heloName) {
        return new ClientSettings(heloName, Timeouts.RFC_5321);
    }

    /**
     * How long we wait at each stage. RFC 5321 §4.5.3.2 gives the client's minimum per command; a server
     * slower than these is taken as gone (a temporary failure). Tests set them short with {@link #all}.
     *
     * @param connect         the TCP connect (not in the RFC; a host that does not answer SYN within this
     *                        is treated as down, and the caller tries the next MX)
     * @param greeting        §4.5.3.2.1 initial 220 message: 5 minutes
     * @param command         EHLO, HELO, STARTTLS (and its handshake), AUTH, RSET, NOOP: the RFC names no
     *                        value; the server's own idle timeout is 5 minutes (§4.5.3.2.7), so we use that
     * @param mail            §4.5.3.2.2 MAIL: 5 minutes
     * @param rcpt            §4.5.3.2.3 RCPT: 5 minutes
     * @param dataInitiation  §4.5.3.2.4 DATA initiation (the 354): 2 minutes
     * @param dataBlock       §4.5.3.2.5 data block: 3 minutes for each write of the message to complete
     * @param dataTermination §4.5.3.2.6 DATA termination (the reply to the final dot): 10 minutes
     */
    public record Timeouts(Duration connect, Duration greeting, Duration command, Duration mail, Duration rcpt,
                           Duration dataInitiation, Duration dataBlock, Duration dataTermination) {
        public static final Duration CONNECT = Duration.ofSeconds(30);
        public static final Duration GREETING = Duration.ofMinutes(5);
        public static final Duration COMMAND = Duration.ofMinutes(5);
        public static final Duration MAIL = Duration.ofMinutes(5);
        public static final Duration RCPT = Duration.ofMinutes(5);
        public static final Duration DATA_INITIATION = Duration.ofMinutes(2);
        public static final Duration DATA_BLOCK = Duration.ofMinutes(3);
        public static final Duration DATA_TERMINATION = Duration.ofMinutes(10);

        public static final Timeouts RFC_5321 = new Timeouts(CONNECT, GREETING, COMMAND, MAIL, RCPT,
                DATA_INITIATION, DATA_BLOCK, DATA_TERMINATION);

        public Timeouts {
            for (Duration d : new Duration[] {connect, greeting, command, mail, rcpt, dataInitiation, dataBlock, dataTermination}) {
                if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive");
                // Socket timeouts are int milliseconds; zero would mean "forever".
                if (d.toMillis() > Integer.MAX_VALUE) throw new IllegalArgumentException("timeout too long: " + d);
            }
        }

        /** The same timeout everywhere, for tests. */
        public static Timeouts all(Duration d) {
            return new Timeouts(d, d, d, d, d, d, d, d);
        }
    }
}
