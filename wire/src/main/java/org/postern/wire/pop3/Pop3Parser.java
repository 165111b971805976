package org.postern.wire.pop3;

import java.util.Optional;
import java.util.OptionalInt;
import org.postern.wire.Secret;
import org.postern.wire.pop3.Pop3Command.*;

/**
 * Parses one POP3 command line (without its CRLF).
 *
 * <p>RFC 1939 §3: a case-insensitive keyword of three or four characters, arguments separated by a single
 * space, printable ASCII. We also accept several spaces and trailing spaces (some clients send them) and, for
 * USER and PASS, UTF-8 (RFC 6856 §3 lets clients send UTF-8 names once UTF8 is on; many send them anyway).
 * Message numbers (RFC 1939 §5: "1*DIGIT") too large for an int are parsed as {@link Integer#MAX_VALUE}, which
 * no maildrop reaches, so the session answers "no such message" rather than a syntax error.
 */
public final class Pop3Parser {
    private Pop3Parser() {}

    public static Pop3Command parse(String line) {
        if (hasControl(line)) throw new Pop3SyntaxException("control characters in command", false);
        int sp = line.indexOf(' ');
        String keyword = asciiUpper(sp < 0 ? line : line.substring(0, sp));
        String rest = sp < 0 ? "" : line.substring(sp + 1);
        // RFC 1939 §7 note to PASS: the argument is everything after the single space, spaces included
        if (keyword.equals("PASS")) {
            if (rest.isEmpty()) throw new Pop3SyntaxException("PASS needs a password", false);
            return new Pass(Secret.of(rest));
        }
        String[] args = words(rest);
        return switch (keyword) {
            case "USER" -> new User(exactly(args, 1, "USER needs a user name")[0]);
            case "APOP" -> new Apop(exactly(args, 2, "APOP needs a name and a digest")[0]);
            case "AUTH" -> switch (args.length) {
                case 0 -> new Auth(Optional.empty(), Optional.empty());
                case 1 -> new Auth(Optional.of(asciiUpper(args[0])), Optional.empty());
                case 2 -> new Auth(Optional.of(asciiUpper(args[0])), Optional.of(args[1]));
                default -> throw new Pop3SyntaxException("AUTH takes a mechanism and an optional initial response", false);
            };
            case "STLS" -> none(args, new Stls());
            case "CAPA" -> none(args, new Capa());
            case "STAT" -> none(args, new Stat());
            case "NOOP" -> none(args, new Noop());
            case "RSET" -> none(args, new Rset());
            case "QUIT" -> none(args, new Quit());
            case "LIST" -> new List(optionalNumber(args, "LIST"));
            case "UIDL" -> new Uidl(optionalNumber(args, "UIDL"));
            case "RETR" -> new Retr(number(exactly(args, 1, "RETR needs a message number")[0]));
            case "DELE" -> new Dele(number(exactly(args, 1, "DELE needs a message number")[0]));
            case "TOP" -> {
                String[] a = exactly(args, 2, "TOP needs a message number and a line count");
                yield new Top(number(a[0]), count(a[1]));
            }
            default -> throw new Pop3SyntaxException("unknown command", true);
        };
    }

    /** The space-separated words of {@code s} (runs of spaces count as one); no regex: this runs per command. */
    private static String[] words(String s) {
        java.util.List<String> out = new java.util.ArrayList<>(2);
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') i++;
            int start = i;
            while (i < n && s.charAt(i) != ' ') i++;
            if (i > start) out.add(s.substring(start, i));
        }
        return out.toArray(String[]::new);
    }

    private static String[] exactly(String[] args, int n, String problem) {
        if (args.length != n) throw new Pop3SyntaxException(problem, false);
        return args;
    }

    private static <T> T none(String[] args, T command) {
        if (args.length != 0) throw new Pop3SyntaxException("this command takes no arguments", false);
        return command;
    }

    private static OptionalInt optionalNumber(String[] args, String verb) {
        if (args.length > 1) throw new Pop3SyntaxException(verb + " takes at most one message number", false);
        return args.length == 0 ? OptionalInt.empty() : OptionalInt.of(number(args[0]));
    }

    /** A message number: 1*DIGIT, and not 0 (RFC 1939 §5: numbers start at 1). */
    private static int number(String s) {
        int n = digits(s, "invalid message number");
        if (n == 0) throw new Pop3SyntaxException("invalid message number", false);
        return n;
    }

    /** TOP's line count: 0 or more (RFC 1939 §7: "a non-negative number"). */
    private static int count(String s) {
        return digits(s, "invalid line count");
    }

    private static int digits(String s, String problem) {
        // no length cap: the value saturates, and the line limit bounds the digits
        if (s.isEmpty()) throw new Pop3SyntaxException(problem, false);
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new Pop3SyntaxException(problem, false);
            v = Math.min(Integer.MAX_VALUE, v * 10 + (c - '0'));
        }
        return (int) v;
    }

    /**
     * Upper case for ASCII letters only. {@link String#toUpperCase} would turn "ſtat" (long s) into STAT and
     * "plaın" (dotless i) into PLAIN, so a keyword or mechanism could be spelled in letters no filter or log
     * search expects; RFC 1939 §3 keywords are ASCII.
     */
    private static String asciiUpper(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) if (c[i] >= 'a' && c[i] <= 'z') c[i] -= 'a' - 'A';
        return new String(c);
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\uFFFD') return true;
        }
        return false;
    }
}
