package org.postern.server.net;

import java.time.Duration;

/**
 * Deliberate slowness for clients that misbehave, passed in rather than kept in static fields so tests can
 * use {@link #NONE}.
 *
 * @param authFailure  after each failed login: makes password guessing slow (DESIGN.md security defaults)
 * @param badCommand   after each syntax error: slows down scanners and broken scripts (Postfix's
 *                     smtpd_error_sleep_time does the same)
 */
public record Delays(Duration authFailure, Duration badCommand) {
    public static final Delays NONE = new Delays(Duration.ZERO, Duration.ZERO);
    public static final Delays DEFAULT = new Delays(Duration.ofSeconds(2), Duration.ofSeconds(1));

    public Delays {
        if (authFailure.isNegative() || badCommand.isNegative()) throw new IllegalArgumentException("negative delay");
    }

    /** Sleeps for {@code d}; an interrupt (server shutdown) ends the sleep early. */
    public static void pause(Duration d) {
        if (d.isZero()) return;
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
