package org.postern.wire.imap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.postern.wire.io.LineTooLongException;

/**
 * The tokens of RFC 9051 §9 over one command: the current line, and across literals the lines that follow.
 * Reading a literal ({@code {n}}, {@code {n+}}, RFC 7888) charges it to the command's budget, reads it through
 * the {@link ImapSource} and continues on the next line. Strings are UTF-8 (RFC 9051 §4.3 allows it in quoted
 * strings; mailbox names in modified UTF-7 are ASCII anyway); invalid UTF-8 is a syntax error.
 */
final class ImapLexer {
    /** A literal announced at the end of a line: {@code {n}}, {@code {n+}}, {@code ~{n}} ... */
    record LiteralHeader(long size, boolean synchronizing, boolean literal8) {}

    private final ImapSource source;
    private final boolean authenticated;
    private byte[] line;
    private int pos;
    private int literals;
    private long literalBytes;

    ImapLexer(byte[] line, ImapSource source, boolean authenticated) throws LineTooLongException {
        this.source = source;
        this.authenticated = authenticated;
        setLine(line);
    }

    private void setLine(byte[] next) throws LineTooLongException {
        int max = authenticated ? ImapLimits.MAX_LINE_BYTES : ImapLimits.MAX_LINE_BYTES_UNAUTHENTICATED;
        if (next.length > max) throw new LineTooLongException(max);
        line = next;
        pos = 0;
    }

    static ImapSyntaxException bad(String message) {
        return new ImapSyntaxException(message);
    }

    boolean atEnd() {
        return pos >= line.length;
    }

    int peek() {
        return pos < line.length ? line[pos] & 0xff : -1;
    }

    /** The next {@code n} bytes start with {@code s}, ASCII case-insensitive (not consumed). */
    boolean peekWord(String s) {
        if (line.length - pos < s.length()) return false;
        for (int i = 0; i < s.length(); i++) if (upper(line[pos + i]) != s.charAt(i)) return false;
        return true;
    }

    /** The next bytes are "." and a digit. */
    boolean peekDigitAfterDot() {
        return pos + 1 < line.length && line[pos] == '.' && line[pos + 1] >= '0' && line[pos + 1] <= '9';
    }

    boolean tryChar(char c) {
        if (peek() != c) return false;
        pos++;
        return true;
    }

    void expect(char c, String what) {
        if (!tryChar(c)) throw bad("expected " + what);
    }

    void sp() {
        expect(' ', "a space");
    }

    boolean trySp() {
        return tryChar(' ');
    }

    /** The end of the command. Trailing spaces are tolerated (some Outlook versions send them). */
    void end() {
        while (tryChar(' ')) { }
        if (!atEnd()) throw bad("unexpected characters at the end of the command");
    }

    /** RFC 9051 §9 ATOM-CHAR: any CHAR except ( ) { SP CTL % * " \ ]. */
    static boolean atomChar(int b) {
        return b > 0x20 && b < 0x7f && b != '(' && b != ')' && b != '{' && b != '%' && b != '*' && b != '"'
                && b != '\\' && b != ']';
    }

    /** ASTRING-CHAR (ATOM-CHAR and "]"), plus UTF-8 bytes, which Dovecot and mox also accept unquoted. */
    private static boolean astringChar(int b) {
        return atomChar(b) || b == ']' || b >= 0x80;
    }

    /** list-char: ASTRING-CHAR and the wildcards % and * (RFC 9051 §9). */
    private static boolean listChar(int b) {
        return astringChar(b) || b == '%' || b == '*';
    }

    /** RFC 9051 §9 tag: ASTRING-CHAR except "+", ASCII only. */
    String tag() {
        int start = pos;
        while (pos < line.length && (atomChar(peek()) || peek() == ']') && peek() != '+') pos++;
        if (pos == start) throw bad(atEnd() || peek() == ' ' ? "missing tag" : "invalid tag");
        if (!atEnd() && peek() != ' ') throw bad("invalid character in tag");
        return ascii(start, pos);
    }

    /** 1*ATOM-CHAR, as sent. */
    String atom() {
        int start = pos;
        while (pos < line.length && atomChar(peek())) pos++;
        if (pos == start) throw bad("expected an atom");
        return ascii(start, pos);
    }

    /** An atom in upper case (keywords; ASCII only, so no locale surprises). */
    String keyword() {
        return atom().toUpperCase(java.util.Locale.ROOT);
    }

    /** RFC 9051 §9 flag: "\" atom or a keyword (atom). */
    String flag() {
        int start = pos;
        tryChar('\\');
        while (pos < line.length && atomChar(peek())) pos++;
        if (pos == start || (pos == start + 1 && line[start] == '\\')) throw bad("expected a flag");
        return ascii(start, pos);
    }

    /** {@code "(" [flag *(SP flag)] ")"}. */
    List<String> flagList() {
        expect('(', "a flag list");
        List<String> flags = new ArrayList<>();
        if (tryChar(')')) return flags;
        do {
            if (flags.size() == ImapLimits.MAX_LIST_ELEMENTS) throw bad("too many flags");
            flags.add(flag());
        } while (trySp());
        expect(')', "')' after the flags");
        return flags;
    }

    String astring() throws IOException {
        int b = peek();
        if (b == '"' || b == '{') return string();
        int start = pos;
        while (pos < line.length && astringChar(peek())) pos++;
        if (pos == start) throw bad("expected a string");
        return utf8(line, start, pos);
    }

    /** RFC 9051 §9 mailbox: astring, with INBOX in any case meaning INBOX (§5.1). */
    String mailbox() throws IOException {
        String m = astring();
        return m.equalsIgnoreCase("INBOX") ? "INBOX" : m;
    }

    /** RFC 9051 §9 list-mailbox: 1*list-char or a string. */
    String listMailbox() throws IOException {
        int b = peek();
        if (b == '"' || b == '{') return string();
        int start = pos;
        while (pos < line.length && listChar(peek())) pos++;
        if (pos == start) throw bad("expected a mailbox pattern");
        return utf8(line, start, pos);
    }

    /** A quoted string or a literal. */
    String string() throws IOException {
        if (peek() == '"') return quoted();
        if (peek() == '{') {
            byte[] bytes = literal();
            for (byte x : bytes) if (x == 0) throw bad("NUL in a literal");   // RFC 9051 §9: CHAR8 excludes NUL
            return utf8(bytes, 0, bytes.length);
        }
        throw bad("expected a string");
    }

    /** {@code NIL} or a string. */
    java.util.Optional<String> nstring() throws IOException {
        if (peekWord("NIL") && (line.length == pos + 3 || !atomChar(line[pos + 3] & 0xff))) {
            pos += 3;
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(string());
    }

    private String quoted() {
        pos++;
        var out = new java.io.ByteArrayOutputStream();
        while (true) {
            if (atEnd()) throw bad("unterminated quoted string");
            int b = line[pos++] & 0xff;
            if (b == '"') break;
            if (b == '\\') {
                // RFC 9051 §9 QUOTED-CHAR: only " and \ may be escaped
                int e = atEnd() ? -1 : line[pos++] & 0xff;
                if (e != '"' && e != '\\') throw bad("invalid escape in quoted string");
                b = e;
            } else if (b == 0 || b == '\r' || b == '\n') {
                throw bad("invalid character in quoted string");
            }
            out.write(b);
        }
        byte[] bytes = out.toByteArray();
        return utf8(bytes, 0, bytes.length);
    }

    /** Reads a literal's header at the end of the line, checks the limits, reads it, moves to the next line. */
    private byte[] literal() throws IOException {
        LiteralHeader h = literalHeader();
        if (h.literal8()) throw bad("literal8 is allowed only in APPEND");
        long max = authenticated ? ImapLimits.MAX_LITERAL : ImapLimits.MAX_LITERAL_UNAUTHENTICATED;
        if (h.size() > max) throw ImapSyntaxException.tooBig("literal larger than " + max + " bytes", !h.synchronizing());
        if (literals + 1 > ImapLimits.MAX_LITERALS_PER_COMMAND)
            throw ImapSyntaxException.tooBig("too many literals in one command", !h.synchronizing());
        if (literalBytes + h.size() > ImapLimits.MAX_LITERALS_TOTAL)
            throw ImapSyntaxException.tooBig("literals of this command larger than " + ImapLimits.MAX_LITERALS_TOTAL
                    + " bytes together", !h.synchronizing());
        literals++;
        literalBytes += h.size();
        byte[] bytes = source.readLiteral(h.size(), h.synchronizing());
        if (bytes.length != h.size()) throw new IOException("literal source returned the wrong size");
        setLine(source.readLine());
        return bytes;
    }

    /** {@code [~]{n[+]}} and then the end of the line (RFC 9051 §9 literal, RFC 7888, RFC 3516 literal8). */
    LiteralHeader literalHeader() {
        boolean eight = tryChar('~');
        expect('{', "a literal");
        int start = pos;
        long n = 0;
        while (pos < line.length && peek() >= '0' && peek() <= '9') {
            n = n * 10 + (peek() - '0');
            if (n > Long.MAX_VALUE / 10) throw bad("literal size too large");
            pos++;
        }
        if (pos == start) throw bad("literal without a size");
        boolean sync = !tryChar('+');
        expect('}', "'}' after the literal size");
        if (!atEnd()) throw bad("a literal's announcement must end the line");
        return new LiteralHeader(n, sync, eight);
    }

    /** RFC 9051 §9 number: 32-bit unsigned. */
    long number() {
        return digits(SequenceSet.MAX_NUMBER, "a number");
    }

    /** RFC 9051 §9 number64: 63-bit. */
    long number64() {
        return digits(Long.MAX_VALUE, "a number");
    }

    long nzNumber64() {
        long n = number64();
        if (n == 0) throw bad("expected a non-zero number");
        return n;
    }

    private long digits(long max, String what) {
        int start = pos;
        long n = 0;
        while (pos < line.length && peek() >= '0' && peek() <= '9') {
            int d = peek() - '0';
            if (n > (max - d) / 10) throw bad("number too large");
            n = n * 10 + d;
            pos++;
        }
        if (pos == start) throw bad("expected " + what);
        return n;
    }

    /** RFC 9051 §9 sequence-set, or {@code $} (RFC 5182). {@code allowStar} false for QRESYNC's known-uids. */
    SequenceSet sequenceSet(boolean uid, boolean allowStar) {
        if (tryChar('$')) return SequenceSet.saved(uid);
        List<SequenceSet.Range> ranges = new ArrayList<>();
        do {
            if (ranges.size() == ImapLimits.MAX_SEQUENCE_RANGES) throw bad("too many ranges in a sequence set");
            long a = seqNumber(allowStar);
            long b = tryChar(':') ? seqNumber(allowStar) : a;
            ranges.add(new SequenceSet.Range(a, b));
        } while (tryChar(','));
        return new SequenceSet(ranges, false, uid);
    }

    private long seqNumber(boolean allowStar) {
        if (allowStar && tryChar('*')) return SequenceSet.STAR;
        if (peek() < '0' || peek() > '9') throw bad("invalid sequence set");
        long n = number();
        if (n == 0) throw bad("invalid sequence set: 0 is not a message number");
        return n;
    }

    /** The raw bytes up to (not including) the next byte in {@code stops}, or the end of the line. */
    String until(String stops) {
        int start = pos;
        while (pos < line.length && stops.indexOf(line[pos]) < 0) pos++;
        return ascii(start, pos);
    }

    /**
     * After a syntax error: reads and discards the non-synchronizing literals the client is sending anyway,
     * so the next command starts at a line boundary. Returns true if that cannot be done (a literal over the
     * limit), and the session must close. A synchronizing literal needs nothing: the client waits for "+".
     */
    boolean drain() throws IOException {
        while (true) {
            LiteralHeader h = trailingLiteral(line);
            if (h == null || h.synchronizing()) return false;
            long max = authenticated ? ImapLimits.MAX_LITERAL : ImapLimits.MAX_LITERAL_UNAUTHENTICATED;
            if (h.size() > max || ++literals > ImapLimits.MAX_LITERALS_PER_COMMAND) return true;
            source.readLiteral(h.size(), false);
            setLine(source.readLine());
        }
    }

    /** The literal announced at the end of {@code l}, if any. */
    static LiteralHeader trailingLiteral(byte[] l) {
        int end = l.length;
        if (end < 3 || l[end - 1] != '}') return null;
        int i = end - 2;
        boolean sync = l[i] != '+';
        if (!sync) i--;
        long n = 0, scale = 1;
        int digitsEnd = i;
        while (i >= 0 && l[i] >= '0' && l[i] <= '9' && digitsEnd - i < 18) {
            n += (l[i] - '0') * scale;
            scale *= 10;
            i--;
        }
        if (i == digitsEnd || i < 0 || l[i] != '{') return null;
        return new LiteralHeader(n, sync, i > 0 && l[i - 1] == '~');
    }

    private String ascii(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.US_ASCII);
    }

    private static String utf8(byte[] b, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw bad("invalid UTF-8 in a string");
        }
    }

    private static int upper(byte b) {
        return b >= 'a' && b <= 'z' ? b - ('a' - 'A') : b;
    }
}
