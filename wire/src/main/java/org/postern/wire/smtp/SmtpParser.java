package org.postern.wire.smtp;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.postern.wire.dsn.EnvelopeId;
import org.postern.wire.dsn.Notify;
import org.postern.wire.dsn.OriginalRecipient;
import org.postern.wire.dsn.Ret;
import org.postern.wire.address.AddressException;
import org.postern.wire.address.Path;

/**
 * Parses one command line (without its CRLF) into an {@link SmtpCommand}. Verbs are case-insensitive
 * (RFC 5321 §2.4). Bad input throws {@link SmtpSyntaxException} carrying the reply: 500 5.5.1 for an unknown
 * verb, 501 for bad arguments (5.1.7 / 5.1.3 for bad sender / recipient addresses, RFC 3463), 553 5.6.7 for a
 * non-ASCII address outside an SMTPUTF8 transaction (RFC 6531 §3.5), 555 5.5.4 for MAIL/RCPT parameters we do
 * not implement (RFC 5321 §4.1.1.11).
 *
 * <p>Leniencies, each because real clients need it: a space after {@code FROM:}/{@code TO:} is accepted, and
 * trailing spaces are ignored. Source routes are accepted and dropped (RFC 5321 §4.1.2).
 */
public final class SmtpParser {
    /** Runs of spaces; compiled once (String.split(" +") compiles the pattern on every call). */
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile(" +");
    /** sasl-mech = 1*20mech-char (RFC 4422 §3.1). */
    private static final int MAX_MECHANISM = 20;
    /** A domain is at most 255 octets (RFC 5321 §4.5.3.1.2); HELO/EHLO text past that is not a domain. */
    private static final int MAX_HELO = 255;
    /** BDAT chunk-size = 1*DIGIT; 18 digits always fit in a long. */
    private static final int MAX_BDAT_DIGITS = 18;

    private SmtpParser() {}

    /** Parses with UTF-8 addresses allowed only through MAIL's own SMTPUTF8 parameter. */
    public static SmtpCommand parse(String line) {
        return parse(line, false);
    }

    /**
     * @param utf8Transaction the current transaction's MAIL had SMTPUTF8 (RFC 6531 §3.4), so RCPT addresses may
     *                        hold UTF-8
     */
    public static SmtpCommand parse(String line, boolean utf8Transaction) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7f) throw new SmtpSyntaxException(500, "5.5.2", "control character in command");
            if (c == '\uFFFD') throw new SmtpSyntaxException(500, "5.5.2", "command is not valid UTF-8");
        }
        String s = stripTrailingSpaces(line);
        int sp = s.indexOf(' ');
        String verb = (sp < 0 ? s : s.substring(0, sp)).toUpperCase(Locale.ROOT);
        String rest = sp < 0 ? "" : s.substring(sp + 1);
        return switch (verb) {
            case "HELO" -> new SmtpCommand.Helo(helloDomain("HELO", rest));
            case "EHLO" -> new SmtpCommand.Ehlo(helloDomain("EHLO", rest));
            case "MAIL" -> mail(rest);
            case "RCPT" -> rcpt(rest, utf8Transaction);
            case "DATA" -> noArgs(rest, new SmtpCommand.Data());
            case "BDAT" -> bdat(rest);
            case "RSET" -> noArgs(rest, new SmtpCommand.Rset());
            case "NOOP" -> new SmtpCommand.Noop();   // RFC 5321 §4.1.1.9: a parameter is allowed and ignored
            case "QUIT" -> noArgs(rest, new SmtpCommand.Quit());
            case "VRFY" -> new SmtpCommand.Vrfy(required("VRFY", rest));
            case "EXPN" -> new SmtpCommand.Expn(required("EXPN", rest));
            case "HELP" -> new SmtpCommand.Help(rest.isBlank() ? Optional.empty() : Optional.of(rest.strip()));
            case "STARTTLS" -> noArgs(rest, new SmtpCommand.StartTls());
            case "AUTH" -> auth(rest);
            default -> throw new SmtpSyntaxException(500, "5.5.1", "command not recognized");
        };
    }

    private static String stripTrailingSpaces(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') end--;
        return s.substring(0, end);
    }

    private static SmtpCommand noArgs(String rest, SmtpCommand c) {
        if (!rest.isEmpty()) throw new SmtpSyntaxException(501, "5.5.4", c.verb() + " takes no parameters");
        return c;
    }

    private static String required(String verb, String rest) {
        if (rest.isBlank()) throw new SmtpSyntaxException(501, "5.5.4", verb + " needs a parameter");
        return rest.strip();
    }

    /** HELO/EHLO take a domain or address literal; we accept any single printable ASCII token (many clients
     *  send their bare host name) because it only ends up, as a trace, in the Received field. */
    private static String helloDomain(String verb, String rest) {
        String d = rest.strip();
        if (d.isEmpty()) throw new SmtpSyntaxException(501, "5.5.4", verb + " needs your domain name");
        if (d.length() > MAX_HELO) throw new SmtpSyntaxException(501, "5.5.4", verb + " domain too long");
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (c <= 0x20 || c >= 0x7f) throw new SmtpSyntaxException(501, "5.5.4", verb + " takes a single domain name");
        }
        return d;
    }

    // --- MAIL / RCPT ---

    private static SmtpCommand mail(String rest) {
        String after = afterKeyword(rest, "FROM:", "MAIL FROM:<address>");
        int end = pathEnd(after, "5.1.7");
        String pathText = after.substring(0, end + 1);
        MailParams params = mailParams(paramsText(after, end));
        if (!params.smtpUtf8()) requireAscii(pathText);
        Path path;
        try {
            path = Path.parse(pathText, params.smtpUtf8());
        } catch (AddressException e) {
            throw new SmtpSyntaxException(501, "5.1.7", "bad sender address: " + e.getMessage());
        }
        if (path instanceof Path.Postmaster)
            throw new SmtpSyntaxException(501, "5.1.7", "bad sender address: missing domain");
        return new SmtpCommand.MailFrom(path, params);
    }

    private static SmtpCommand rcpt(String rest, boolean utf8) {
        String after = afterKeyword(rest, "TO:", "RCPT TO:<address>");
        int end = pathEnd(after, "5.1.3");
        String pathText = after.substring(0, end + 1);
        RcptParams params = rcptParams(paramsText(after, end));
        if (!utf8) requireAscii(pathText);
        Path path;
        try {
            path = Path.parse(pathText, utf8);
        } catch (AddressException e) {
            throw new SmtpSyntaxException(501, "5.1.3", "bad recipient address: " + e.getMessage());
        }
        if (path instanceof Path.Null) throw new SmtpSyntaxException(501, "5.1.3", "null recipient not allowed");
        return new SmtpCommand.RcptTo(path, params);
    }

    /**
     * RFC 6531 §3.5: a non-ASCII address without SMTPUTF8 on MAIL gets 553 with X.6.7, "non-ASCII addresses not
     * permitted for that sender/recipient" (RFC 5248), not a syntax error: the client may retry with SMTPUTF8.
     */
    private static void requireAscii(String path) {
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) > 0x7f) throw new SmtpSyntaxException(553, "5.6.7", "non-ASCII address needs SMTPUTF8");
        }
    }

    /** Matches {@code FROM:} case-insensitively and returns what follows, spaces after the colon dropped. */
    private static String afterKeyword(String rest, String keyword, String usage) {
        if (!rest.regionMatches(true, 0, keyword, 0, keyword.length()))
            throw new SmtpSyntaxException(501, "5.5.4", "syntax: " + usage);
        String after = rest.substring(keyword.length());
        int i = 0;
        while (i < after.length() && after.charAt(i) == ' ') i++;   // "MAIL FROM: <a@b>" is common
        return after.substring(i);
    }

    /** Index of the '>' that closes the path starting at 0, skipping quoted strings in the local part. */
    private static int pathEnd(String s, String status) {
        if (s.isEmpty() || s.charAt(0) != '<')
            throw new SmtpSyntaxException(501, status, "address must be enclosed in <>");
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        throw new SmtpSyntaxException(501, status, "address must be enclosed in <>");
    }

    private static String paramsText(String s, int pathEnd) {
        String tail = s.substring(pathEnd + 1);
        if (tail.isEmpty()) return "";
        if (tail.charAt(0) != ' ') throw new SmtpSyntaxException(501, "5.5.4", "space expected after address");
        return tail.strip();
    }

    private static MailParams mailParams(String text) {
        if (text.isEmpty()) return MailParams.NONE;
        OptionalLong size = OptionalLong.empty();
        MailParams.Body body = null;
        boolean utf8 = false;
        Optional<String> auth = Optional.empty();
        Optional<Ret> ret = Optional.empty();
        Optional<EnvelopeId> envid = Optional.empty();
        for (String p : SPACES.split(text)) {
            int eq = p.indexOf('=');
            String keyword = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : p.substring(eq + 1);
            if (!isKeyword(keyword) || (value != null && !isValue(value)))
                throw new SmtpSyntaxException(501, "5.5.4", "malformed MAIL parameter");
            switch (keyword) {
                case "SIZE" -> {
                    if (size.isPresent()) throw duplicate(keyword);
                    size = OptionalLong.of(sizeValue(value));
                }
                case "BODY" -> {
                    if (body != null) throw duplicate(keyword);
                    body = bodyValue(value);
                }
                case "SMTPUTF8" -> {
                    if (utf8) throw duplicate(keyword);
                    if (value != null) throw new SmtpSyntaxException(501, "5.5.4", "SMTPUTF8 takes no value");
                    utf8 = true;
                }
                case "AUTH" -> {
                    if (auth.isPresent()) throw duplicate(keyword);
                    if (value == null) throw new SmtpSyntaxException(501, "5.5.4", "AUTH= needs a value");
                    auth = Optional.of(xtextDecode(value));
                }
                case "RET" -> {   // RFC 3461 §4.3
                    if (ret.isPresent()) throw duplicate(keyword);
                    ret = Optional.of(dsnValue(keyword, value, Ret::parse));
                }
                case "ENVID" -> {   // RFC 3461 §4.4
                    if (envid.isPresent()) throw duplicate(keyword);
                    envid = Optional.of(dsnValue(keyword, value, EnvelopeId::parse));
                }
                default -> throw new SmtpSyntaxException(555, "5.5.4", "MAIL parameter " + keyword + " not supported");
            }
        }
        return new MailParams(size, body == null ? MailParams.Body.SEVEN_BIT : body, utf8, auth, ret, envid);
    }

    /** RFC 3461 §4: NOTIFY= and ORCPT= are the RCPT parameters we know. */
    private static RcptParams rcptParams(String text) {
        if (text.isEmpty()) return RcptParams.NONE;
        Optional<Notify> notify = Optional.empty();
        Optional<OriginalRecipient> orcpt = Optional.empty();
        for (String p : SPACES.split(text)) {
            int eq = p.indexOf('=');
            String keyword = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : p.substring(eq + 1);
            if (!isKeyword(keyword) || (value != null && !isValue(value)))
                throw new SmtpSyntaxException(501, "5.5.4", "malformed RCPT parameter");
            switch (keyword) {
                case "NOTIFY" -> {
                    if (notify.isPresent()) throw duplicate(keyword);
                    notify = Optional.of(dsnValue(keyword, value, Notify::parse));
                }
                case "ORCPT" -> {
                    if (orcpt.isPresent()) throw duplicate(keyword);
                    orcpt = Optional.of(dsnValue(keyword, value, OriginalRecipient::parse));
                }
                default -> throw new SmtpSyntaxException(555, "5.5.4", "RCPT parameter " + keyword + " not supported");
            }
        }
        return new RcptParams(notify, orcpt);
    }

    /** A DSN parameter's value, parsed; a bad one is a syntax error in parameters (RFC 3461 §4: 501). */
    private static <T> T dsnValue(String keyword, String value, java.util.function.Function<String, T> parse) {
        if (value == null) throw new SmtpSyntaxException(501, "5.5.4", keyword + "= needs a value");
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new SmtpSyntaxException(501, "5.5.4", "bad " + keyword + "=: " + e.getMessage());
        }
    }

    private static SmtpSyntaxException duplicate(String keyword) {
        return new SmtpSyntaxException(501, "5.5.4", "duplicate parameter " + keyword);
    }

    /** RFC 1870 §3: size-value = 1*20DIGIT. Values beyond a long are "too big" anyway. */
    private static long sizeValue(String v) {
        if (v == null || v.isEmpty() || v.length() > 20 || !v.chars().allMatch(c -> c >= '0' && c <= '9'))
            throw new SmtpSyntaxException(501, "5.5.4", "SIZE= needs a number");
        return v.length() > 18 ? Long.MAX_VALUE : Long.parseLong(v);
    }

    private static MailParams.Body bodyValue(String v) {
        if (v != null) {
            for (MailParams.Body b : MailParams.Body.values()) if (b.keyword().equalsIgnoreCase(v)) return b;
        }
        throw new SmtpSyntaxException(501, "5.5.4", "BODY= must be 7BIT, 8BITMIME or BINARYMIME");
    }

    /** RFC 3461 §4: xtext, "+" followed by two upper-case hex digits encodes one octet. */
    private static String xtextDecode(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '+') {
                sb.append(c);
                continue;
            }
            if (i + 2 >= v.length()) throw new SmtpSyntaxException(501, "5.5.4", "bad xtext in AUTH=");
            int hi = Character.digit(v.charAt(i + 1), 16), lo = Character.digit(v.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) throw new SmtpSyntaxException(501, "5.5.4", "bad xtext in AUTH=");
            sb.append((char) (hi * 16 + lo));
            i += 2;
        }
        return sb.toString();
    }

    /** esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"). */
    private static boolean isKeyword(String k) {
        if (k.isEmpty() || k.charAt(0) == '-') return false;
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
        }
        return true;
    }

    /** esmtp-value = 1*(%d33-60 / %d62-126), plus UTF-8 (RFC 6531 §3.3). */
    private static boolean isValue(String v) {
        if (v.isEmpty()) return false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '=' || c <= 0x20 || c == 0x7f) return false;
        }
        return true;
    }

    // --- BDAT / AUTH ---

    /** RFC 3030 §2: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ]; end-marker = "LAST". */
    private static SmtpCommand bdat(String rest) {
        String[] parts = SPACES.split(rest, -1);
        if (rest.isEmpty() || parts.length > 2) throw new SmtpSyntaxException(501, "5.5.4", "syntax: BDAT size [LAST]");
        String n = parts[0];
        if (n.isEmpty() || n.length() > MAX_BDAT_DIGITS || !n.chars().allMatch(c -> c >= '0' && c <= '9'))
            throw new SmtpSyntaxException(501, "5.5.4", "syntax: BDAT size [LAST]");
        boolean last = false;
        if (parts.length == 2) {
            if (!parts[1].equalsIgnoreCase("LAST")) throw new SmtpSyntaxException(501, "5.5.4", "syntax: BDAT size [LAST]");
            last = true;
        }
        return new SmtpCommand.Bdat(Long.parseLong(n), last);
    }

    /** RFC 4954 §4: "AUTH" SP sasl-mech [SP initial-response]. */
    private static SmtpCommand auth(String rest) {
        String[] parts = SPACES.split(rest, -1);
        if (rest.isEmpty() || parts.length > 2) throw new SmtpSyntaxException(501, "5.5.4", "syntax: AUTH mechanism [initial-response]");
        String mech = parts[0].toUpperCase(Locale.ROOT);
        if (mech.isEmpty() || mech.length() > MAX_MECHANISM || !mech.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            throw new SmtpSyntaxException(501, "5.5.4", "bad SASL mechanism name");
        return new SmtpCommand.Auth(mech, parts.length == 2 ? Optional.of(parts[1]) : Optional.empty());
    }
}
