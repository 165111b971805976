package org.postern.client.message;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.IDN;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.postern.wire.mime.Address;
import org.postern.wire.mime.QuotedPrintableEncoder;

/**
 * Writes a new RFC 5322 message (CRLF lines): Date, Message-ID (a random left part at the sender's domain),
 * From/To/Cc (never Bcc: Bcc recipients only go into the envelope), Subject with RFC 2047 encoded-words when not
 * ASCII, In-Reply-To/References for replies, a text/plain UTF-8 body (quoted-printable when needed), and
 * attachments as base64 parts with RFC 2231 file names, multipart/mixed when there are any. API contract
 * (docs/decisions/0005-mail-client.md).
 *
 * <p>Implementation notes: the text is in memory (a person wrote it); attachments and a forwarded message are
 * streamed from their files, never held whole. Every line written is at most {@link HeaderWriter#MAX_LINE}
 * characters: headers fold, the text goes quoted-printable when a line is longer or not ASCII, base64 lines are
 * 76 characters (RFC 2045 §6.8). The multipart boundary starts with "=_", which neither base64 nor
 * quoted-printable output can contain, plus 128 random bits; 7bit text and a forwarded message are checked for it.
 */
public final class MessageBuilder {
    private MessageBuilder() {}

    /** RFC 2045 §6.8: base64 lines of at most 76 characters. */
    static final int BASE64_LINE = 76;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern MEDIA_TYPE =
            Pattern.compile("[A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,64}");
    private static final DateTimeFormatter ATTRIBUTION =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy 'at' HH:mm", Locale.ENGLISH);
    private static final byte[] CRLF = {'\r', '\n'};

    /** What a person wrote; {@code attachments} are files, {@code forwarded} an RFC 5322 file attached as message/rfc822. */
    public record Draft(String from, List<String> to, List<String> cc, List<String> bcc, String subject, String text,
                        List<Path> attachments, Optional<Path> forwarded, Optional<String> inReplyTo,
                        List<String> references) {}

    /**
     * Writes {@code draft} to {@code out} (created or replaced, fsync'd); returns the Message-ID written (with angle
     * brackets).
     *
     * @throws IllegalArgumentException when From is not one address with a domain, an address is unusable, or an
     *                                  attachment is not a readable file (a sentence saying which)
     */
    public static String write(Draft draft, ZonedDateTime date, Path out) throws IOException {
        List<Address.Mailbox> from = Addresses.mailboxes(draft.from());
        if (from.size() != 1 || from.getFirst().domain().isEmpty()) {
            throw new IllegalArgumentException("From must be one address with a domain, not \"" + draft.from() + "\"");
        }
        for (Path a : draft.attachments()) {
            if (!Files.isRegularFile(a) || !Files.isReadable(a)) {
                throw new IllegalArgumentException("cannot attach " + a + ": not a readable file");
            }
        }
        if (draft.forwarded().isPresent() && !Files.isReadable(draft.forwarded().get())) {
            throw new IllegalArgumentException("cannot forward " + draft.forwarded().get() + ": not a readable file");
        }
        String messageId = "<" + randomToken() + "@" + asciiDomain(from.getFirst().domain()) + ">";
        String text = canonicalText(draft.text());
        boolean multipart = !draft.attachments().isEmpty() || draft.forwarded().isPresent();
        String boundary = "=_" + randomToken();
        while (text.contains(boundary)) boundary = "=_" + randomToken();
        Optional<ForwardScan> forward = Optional.empty();
        if (draft.forwarded().isPresent()) {
            ForwardScan scan = ForwardScan.of(draft.forwarded().get(), boundary);
            while (scan.containsBoundary()) {
                boundary = "=_" + randomToken();
                scan = ForwardScan.of(draft.forwarded().get(), boundary);
            }
            forward = Optional.of(scan);
        }

        HeaderWriter h = new HeaderWriter();
        h.raw("Date", MailDates.format(date)); // RFC 5322 §3.6.1: Date and From are required
        h.addresses("From", from);
        List<Address.Mailbox> to = parseAll(draft.to());
        List<Address.Mailbox> cc = parseAll(draft.cc());
        parseAll(draft.bcc()); // RFC 5322 §3.6.3: Bcc goes into the envelope only; still checked here
        if (!to.isEmpty()) h.addresses("To", to);
        if (!cc.isEmpty()) h.addresses("Cc", cc);
        h.unstructured("Subject", draft.subject());
        h.ids("Message-ID", List.of(messageId));
        List<String> inReplyTo = draft.inReplyTo().map(MessageSummary::ids).orElse(List.of());
        if (!inReplyTo.isEmpty()) h.ids("In-Reply-To", inReplyTo); // RFC 5322 §3.6.4
        List<String> references = new ArrayList<>();
        for (String r : draft.references()) references.addAll(MessageSummary.ids(r));
        if (!references.isEmpty()) h.ids("References", List.copyOf(new LinkedHashSet<>(references)));
        h.raw("MIME-Version", "1.0");
        if (multipart) {
            h.withParams("Content-Type", "multipart/mixed", List.<String[]>of(new String[] {"boundary", boundary}));
        } else {
            textHeaders(h, text);
        }

        try {
            writeMessage(out, h, text, multipart, boundary, draft.attachments(), forward);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out); // never leave half a message where a whole one is expected
            throw e;
        }
        return messageId;
    }

    private static void writeMessage(Path out, HeaderWriter h, String text, boolean multipart, String boundary,
                                     List<Path> attachments, Optional<ForwardScan> forward) throws IOException {
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024)) {
            ascii(os, h.text());
            os.write(CRLF);
            if (!multipart) {
                textBody(os, text);
            } else {
                ascii(os, "This is a multipart message in MIME format.\r\n");
                ascii(os, "\r\n--" + boundary + "\r\n");
                HeaderWriter part = new HeaderWriter();
                textHeaders(part, text);
                ascii(os, part.text() + "\r\n");
                textBody(os, text);
                for (Path a : attachments) {
                    ascii(os, "\r\n--" + boundary + "\r\n");
                    attachment(os, a);
                }
                if (forward.isPresent()) {
                    ascii(os, "\r\n--" + boundary + "\r\n");
                    forwarded(os, forward.get());
                }
                ascii(os, "\r\n--" + boundary + "--\r\n"); // RFC 2046 §5.1.1 close delimiter
            }
            os.flush();
            ch.force(true);
        }
    }

    /**
     * A reply to {@code original}: To = Reply-To or From; with {@code all}, Cc = the original To and Cc minus
     * {@code self} and minus the new To; Subject "Re: " once; In-Reply-To and References (RFC 5322 §3.6.4); the text
     * quoted with "> " under an attribution line, below {@code text}. A reply to a message {@code self} wrote (one
     * from the Sent folder) goes to that message's To (without me) instead, as in mutt and Thunderbird: answering yourself is
     * never what is meant.
     */
    public static Draft reply(MessageView original, String self, boolean all, String text) {
        String me = Addresses.addressOf(self);
        List<String> to = original.replyTo().isEmpty() ? original.from() : original.replyTo();
        if (!to.isEmpty() && to.stream().allMatch(a -> Addresses.addressOf(a).equals(me))) {
            List<String> others = original.to().stream().filter(a -> !Addresses.addressOf(a).equals(me)).toList();
            if (!others.isEmpty()) to = others;   // else a note to myself: the answer stays with me
        }
        Set<String> seen = new LinkedHashSet<>();
        seen.add(me);
        to.forEach(a -> seen.add(Addresses.addressOf(a)));
        List<String> cc = new ArrayList<>();
        if (all) {
            List<String> others = new ArrayList<>(original.to());
            others.addAll(original.cc());
            for (String a : others) if (seen.add(Addresses.addressOf(a))) cc.add(a);
        }
        String subject = original.subject().regionMatches(true, 0, "re:", 0, 3)
                ? original.subject() : "Re: " + original.subject();
        // RFC 5322 §3.6.4: the parent's References (or In-Reply-To when it has none) followed by its Message-ID
        List<String> references = new ArrayList<>(original.references());
        if (references.isEmpty()) original.inReplyTo().ifPresent(references::add);
        original.messageId().ifPresent(references::add);
        StringBuilder body = new StringBuilder(text);
        if (!text.isEmpty() && !text.endsWith("\n")) body.append('\n');
        body.append('\n');
        String who = original.from().isEmpty() ? "someone" : original.from().getFirst();
        body.append(original.date().map(d -> "On " + ATTRIBUTION.format(d) + ", " + who + " wrote:")
                .orElse(who + " wrote:")).append('\n');
        for (String line : original.text().split("\n", -1)) {
            body.append(line.isEmpty() || line.startsWith(">") ? ">" : "> ").append(line).append('\n');
        }
        return new Draft(self, List.copyOf(to), List.copyOf(cc), List.of(), subject, body.toString(), List.of(),
                Optional.empty(), original.messageId(), List.copyOf(references));
    }

    /** A forward: Subject "Fwd: " once, {@code text} as the body, the original file attached as message/rfc822. */
    public static Draft forward(MessageView original, Path originalFile, String self, List<String> to, String text) {
        String s = original.subject();
        String subject = s.regionMatches(true, 0, "fwd:", 0, 4) || s.regionMatches(true, 0, "fw:", 0, 3)
                ? s : "Fwd: " + s;
        return new Draft(self, List.copyOf(to), List.of(), List.of(), subject, text, List.of(),
                Optional.of(originalFile), Optional.empty(), List.of());
    }

    // ---- body parts

    /** The text with CRLF line ends (any of CRLF, CR, LF in the input) and a final CRLF. */
    private static String canonicalText(String text) {
        String t = text.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
        return t.isEmpty() || t.endsWith("\r\n") ? t : t + "\r\n";
    }

    /** 7bit when the text is ASCII without control characters and every line fits, else quoted-printable. */
    private static boolean needsQuotedPrintable(String text) {
        int line = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                line = 0;
                i++;
                continue;
            }
            if (c >= 0x7F || (c < 0x20 && c != '\t')) return true;
            if (++line > HeaderWriter.MAX_LINE) return true; // RFC 5322 §2.1.1
        }
        return false;
    }

    private static void textHeaders(HeaderWriter h, String text) {
        h.withParams("Content-Type", "text/plain", List.<String[]>of(new String[] {"charset", "UTF-8"}));
        h.raw("Content-Transfer-Encoding", needsQuotedPrintable(text) ? "quoted-printable" : "7bit");
    }

    private static void textBody(OutputStream os, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (!needsQuotedPrintable(text)) {
            os.write(bytes);
            return;
        }
        QuotedPrintableEncoder qp = new QuotedPrintableEncoder(os);
        qp.write(bytes);
        qp.close(); // finishes; leaves os open
        if (!text.endsWith("\r\n") && !text.isEmpty()) os.write(CRLF);
    }

    /** One file as a base64 part with its guessed type and RFC 2231 file name, streamed. */
    private static void attachment(OutputStream os, Path file) throws IOException {
        String name = SafeFileNames.safe(String.valueOf(file.getFileName()), "attachment");
        HeaderWriter h = new HeaderWriter();
        h.withParams("Content-Type", contentType(file), List.<String[]>of(new String[] {"name", name}));
        h.raw("Content-Transfer-Encoding", "base64");
        h.withParams("Content-Disposition", "attachment", List.<String[]>of(new String[] {"filename", name}));
        ascii(os, h.text() + "\r\n");
        OutputStream b64 = Base64.getMimeEncoder(BASE64_LINE, CRLF).wrap(new Unclosable(os));
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            in.transferTo(b64);
        }
        b64.close(); // writes the final quantum; Unclosable keeps os open
        if (Files.size(file) > 0) os.write(CRLF);
    }

    /**
     * The type {@link Files#probeContentType} guesses, else application/octet-stream. A composite type
     * (message/*, multipart/*) becomes application/octet-stream too: RFC 2045 §6.4 forbids base64 for them.
     */
    static String contentType(Path file) {
        String t = null;
        try {
            t = Files.probeContentType(file);
        } catch (IOException e) {
            // no guess: the fallback below
        }
        if (t == null || !MEDIA_TYPE.matcher(t).matches()) return "application/octet-stream";
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("message/") || lower.startsWith("multipart/")) return "application/octet-stream";
        return lower;
    }

    /**
     * The forwarded message as message/rfc822 (RFC 2046 §5.2.1: 7bit or 8bit only, so it is copied with CRLF line
     * ends); when a line is longer than {@link HeaderWriter#MAX_LINE} it cannot go so and is attached as base64
     * application/octet-stream instead.
     */
    private static void forwarded(OutputStream os, ForwardScan scan) throws IOException {
        HeaderWriter h = new HeaderWriter();
        if (scan.longestLine() > HeaderWriter.MAX_LINE) {
            h.withParams("Content-Type", "application/octet-stream",
                    List.<String[]>of(new String[] {"name", "forwarded.eml"}));
            h.raw("Content-Transfer-Encoding", "base64");
            h.withParams("Content-Disposition", "attachment",
                    List.<String[]>of(new String[] {"filename", "forwarded.eml"}));
            ascii(os, h.text() + "\r\n");
            OutputStream b64 = Base64.getMimeEncoder(BASE64_LINE, CRLF).wrap(new Unclosable(os));
            try (InputStream in = new BufferedInputStream(Files.newInputStream(scan.file()), 64 * 1024)) {
                in.transferTo(b64);
            }
            b64.close();
            os.write(CRLF);
            return;
        }
        h.raw("Content-Type", "message/rfc822");
        h.raw("Content-Transfer-Encoding", scan.eightBit() ? "8bit" : "7bit");
        h.withParams("Content-Disposition", "attachment", List.<String[]>of(new String[] {"filename", "forwarded.eml"}));
        ascii(os, h.text() + "\r\n");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(scan.file()), 64 * 1024)) {
            boolean lastWasCr = false;
            boolean lineOpen = false;
            for (int b; (b = in.read()) >= 0; ) {
                if (b == '\n') {
                    if (!lastWasCr) os.write(CRLF);
                    lastWasCr = false;
                    lineOpen = false;
                } else if (b == '\r') {
                    os.write(CRLF);
                    lastWasCr = true;
                    lineOpen = false;
                } else {
                    os.write(b);
                    lastWasCr = false;
                    lineOpen = true;
                }
            }
            if (lineOpen) os.write(CRLF);
        }
    }

    /** One pass over a forwarded file: longest line, any 8-bit byte, and whether a line is our delimiter. */
    private record ForwardScan(Path file, long longestLine, boolean eightBit, boolean containsBoundary) {
        static ForwardScan of(Path file, String boundary) throws IOException {
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
            long longest = 0;
            long line = 0;
            boolean eightBit = false;
            boolean prefixMatches = true;
            boolean contains = false;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
                for (int b; (b = in.read()) >= 0; ) {
                    if (b == '\n' || b == '\r') {
                        if (prefixMatches && line >= delimiter.length) contains = true;
                        line = 0;
                        prefixMatches = true;
                        continue;
                    }
                    if (line < delimiter.length && b != delimiter[(int) line]) prefixMatches = false;
                    line++;
                    longest = Math.max(longest, line);
                    if (b >= 0x80) eightBit = true;
                }
            }
            if (prefixMatches && line >= delimiter.length) contains = true;
            return new ForwardScan(file, longest, eightBit, contains);
        }
    }

    // ---- helpers

    private static List<Address.Mailbox> parseAll(List<String> typed) {
        List<Address.Mailbox> out = new ArrayList<>();
        for (String t : typed) {
            if (t.isBlank()) continue;
            List<Address.Mailbox> m = Addresses.mailboxes(t);
            if (m.isEmpty()) throw new IllegalArgumentException("not an address: \"" + t + "\"");
            for (Address.Mailbox one : m) {
                if (one.domain().isEmpty()) throw new IllegalArgumentException("address without a domain: \"" + t + "\"");
            }
            out.addAll(m);
        }
        return out;
    }

    private static String asciiDomain(String domain) {
        try {
            return IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return "postern.invalid"; // RFC 2606: a name that is certainly nobody's
        }
    }

    /** 128 random bits in hex: the Message-ID left part and the boundary's unique part. */
    private static String randomToken() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void ascii(OutputStream os, String s) throws IOException {
        os.write(s.getBytes(StandardCharsets.UTF_8)); // headers are ASCII; an RFC 6532 UTF-8 address stays as typed
    }

    /** Lets an encoder be closed (to flush its last bytes) without closing the file under it. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
