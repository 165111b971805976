package org.postern.server.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Appends messages to an mboxrd stream: each message is a separator line
 * {@code From <envelope-sender> <asctime date>}, the message with LF line ends and {@code ^>*From } lines
 * quoted with one more {@code >}, then one blank line. The classic format (RFC 4155 describes the family) that
 * mutt, Thunderbird's import and {@code formail} read.
 */
public final class MboxWriter implements AutoCloseable {
    /** The separator's sender when there is none (null reverse-path, no Return-Path): the traditional name. */
    public static final String NO_SENDER = "MAILER-DAEMON";
    /** asctime(3) as mbox separators use it, in UTC: {@code Thu Jan  1 00:00:00 1970}. */
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final OutputStream out;

    /** Writes to {@code out}, which {@link #close()} closes. */
    public MboxWriter(OutputStream out) {
        this.out = new BufferedOutputStream(out, 64 * 1024);
    }

    /** Appends one message read from {@code message} (not closed here). */
    public void append(String envelopeSender, Instant date, InputStream message) throws IOException {
        out.write(separator(envelopeSender, date).getBytes(StandardCharsets.UTF_8));
        LfOutputStream body = new LfOutputStream(out, true);
        message.transferTo(body);
        if (!body.finish()) out.write('\n');   // the separator must start a line of its own
        out.write('\n');                         // the blank line between messages
    }

    /** The separator line with its LF. A sender with white space (a quoted local part) would split the line
     *  where readers do not expect it: white space becomes '_'. */
    static String separator(String envelopeSender, Instant date) {
        String sender = envelopeSender.isBlank() ? NO_SENDER : envelopeSender.strip().replaceAll("[\\s\\p{Cntrl}]", "_");
        return "From " + sender + " " + ASCTIME.format(date) + "\n";
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
