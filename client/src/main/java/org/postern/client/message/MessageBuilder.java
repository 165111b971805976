package org.postern.client.message;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Writes a new RFC 5322 message (CRLF lines): Date, Message-ID (a random left part at the sender's domain),
 * From/To/Cc (never Bcc: Bcc recipients only go into the envelope), Subject with RFC 2047 encoded-words when not
 * ASCII, In-Reply-To/References for replies, a text/plain UTF-8 body (quoted-printable when needed), and
 * attachments as base64 parts with RFC 2231 file names, multipart/mixed when there are any. API contract
 * (docs/decisions/0005-mail-client.md); filled in by {@code client.message}.
 */
public final class MessageBuilder {
    private MessageBuilder() {}

    /** What a person wrote; {@code attachments} are files, {@code forwarded} an RFC 5322 file attached as message/rfc822. */
    public record Draft(String from, List<String> to, List<String> cc, List<String> bcc, String subject, String text,
                        List<Path> attachments, Optional<Path> forwarded, Optional<String> inReplyTo,
                        List<String> references) {}

    /** Writes {@code draft} to {@code out}; returns the Message-ID written (with angle brackets). */
    public static String write(Draft draft, ZonedDateTime date, Path out) throws IOException {
        throw new UnsupportedOperationException("client.message");
    }

    /**
     * A reply to {@code original}: To = Reply-To or From; with {@code all}, Cc = the original To and Cc minus
     * {@code self} and minus the new To; Subject "Re: " once; In-Reply-To and References (RFC 5322 §3.6.4); the text
     * quoted with "> " under an attribution line, below {@code text}.
     */
    public static Draft reply(MessageView original, String self, boolean all, String text) {
        throw new UnsupportedOperationException("client.message");
    }

    /** A forward: Subject "Fwd: " once, {@code text} as the body, the original file attached as message/rfc822. */
    public static Draft forward(MessageView original, Path originalFile, String self, List<String> to, String text) {
        throw new UnsupportedOperationException("client.message");
    }
}
