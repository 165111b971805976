package org.postern.wire.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RFC 5322 §3.4 address lists, tolerant of what real mail contains. It never fails; junk degrades into
 * odd-looking addresses, never an exception. Beyond the grammar (including its obsolete parts, §4.4: routes,
 * comments anywhere, white space around dots) it accepts:
 * <ul>
 *   <li>unquoted commas in display names when unambiguous: {@code Doe, John <john@example.com>};</li>
 *   <li>missing angle brackets: {@code John Doe john@example.com};</li>
 *   <li>a comment as the name when there is no display name: {@code john@example.com (John Doe)};</li>
 *   <li>a missing domain ({@code john}, domain ""); unclosed comments, brackets and groups; an unclosed
 *       quote is ignored ({@code "John <john@example.com>});</li>
 *   <li>encoded words containing specials ({@code =?utf-8?Q?Doe,_John?=}) kept whole.</li>
 * </ul>
 */
public final class AddressParser {
    private AddressParser() {}

    private enum Kind { ATOM, QUOTED, COMMENT, LITERAL, SPECIAL }

    /** Longer than any charset name: "=?" with no '?' soon after is not an encoded word. */
    private static final int MAX_CHARSET_CHARS = 64;

    private record Token(Kind kind, String text, boolean spaceBefore) {
        boolean is(char special) {
            return kind == Kind.SPECIAL && text.charAt(0) == special;
        }

        boolean isWord() {
            return kind == Kind.ATOM || kind == Kind.QUOTED;
        }
    }

    /** Parses an address-list header value (From, To, Cc, Reply-To...), unfolded. */
    public static List<Address> parseList(String value) {
        return new AddressParser.Run(tokenize(value)).list();
    }

    private static final class Run {
        private final List<Token> t;
        private final int n;

        Run(List<Token> tokens) {
            this.t = tokens;
            this.n = tokens.size();
        }

        List<Address> list() {
            List<Address> out = new ArrayList<>();
            int i = 0;
            while (i < n) {
                Token tok = t.get(i);
                if (tok.is(',') || tok.is(';') || tok.is('>')) {
                    i++;
                    continue;
                }
                int colon = groupColon(i);
                if (colon >= 0) {
                    List<Address.Mailbox> members = new ArrayList<>();
                    int j = colon + 1;
                    while (j < n && !t.get(j).is(';')) {
                        if (t.get(j).is(',')) {
                            j++;
                            continue;
                        }
                        int end = segmentEnd(j);
                        mailbox(j, end).ifPresent(members::add);
                        j = Math.max(end, j + 1);
                    }
                    out.add(new Address.Group(phrase(i, colon), members));
                    i = j + 1; // past ';'
                } else {
                    int end = segmentEnd(i);
                    // "Doe, John <john@example.com>": a piece that cannot be an address joins the next one
                    while (end < n && t.get(end).is(',') && !has(i, end, '@') && !has(i, end, '<')
                            && hasWord(i, end) && isAngleAddress(end + 1)) {
                        end = segmentEnd(end + 1);
                    }
                    mailbox(i, end).ifPresent(out::add);
                    i = Math.max(end, i + 1);
                }
            }
            return out;
        }

        /** The ':' of a group starting at {@code i}, or -1: a phrase then ':' before any '<', '@', ',', ';'. */
        private int groupColon(int i) {
            for (int j = i; j < n; j++) {
                Token tok = t.get(j);
                if (tok.is(':')) return j;
                if (tok.kind == Kind.SPECIAL || tok.kind == Kind.LITERAL) return -1;
            }
            return -1;
        }

        /** The index of the ',' or ';' ending the mailbox starting at {@code i} (outside angle brackets), or n. */
        private int segmentEnd(int i) {
            int depth = 0;
            for (int j = i; j < n; j++) {
                Token tok = t.get(j);
                if (tok.is('<')) depth++;
                else if (tok.is('>')) depth = Math.max(0, depth - 1);
                else if (depth == 0 && (tok.is(',') || tok.is(';'))) return j;
            }
            return n;
        }

        private boolean isAngleAddress(int i) {
            int end = segmentEnd(i);
            return groupColon(i) < 0 && has(i, end, '<');
        }

        private boolean has(int from, int to, char special) {
            for (int j = from; j < to; j++) if (t.get(j).is(special)) return true;
            return false;
        }

        private boolean hasWord(int from, int to) {
            for (int j = from; j < to; j++) if (t.get(j).isWord()) return true;
            return false;
        }

        private Optional<Address.Mailbox> mailbox(int s, int e) {
            Optional<String> comment = firstComment(s, e);
            int lt = indexOf(s, e, '<');
            if (lt >= 0) {
                int gt = indexOf(lt + 1, e, '>');
                if (gt < 0) gt = e;
                Optional<String> name = nonEmpty(phrase(s, lt)).or(() -> comment);
                int a = lt + 1;
                Optional<String> route = Optional.empty();
                if (a < gt && t.get(a).is('@')) { // obsolete route, RFC 5322 §4.4: <@a,@b:local@domain>
                    int colon = indexOf(a, gt, ':');
                    if (colon >= 0) {
                        route = Optional.of(tight(a, colon));
                        a = colon + 1;
                    }
                }
                int at = lastIndexOf(a, gt, '@');
                return Optional.of(at < 0
                        ? new Address.Mailbox(name, route, tight(a, gt), "")
                        : new Address.Mailbox(name, route, tight(a, at), tight(at + 1, gt)));
            }
            int at = lastIndexOf(s, e, '@');
            if (at < 0) { // no address at all: the last word is the mailbox, words before it the name
                int last = -1;
                for (int j = s; j < e; j++) if (t.get(j).isWord()) last = j;
                if (last < 0) return Optional.empty();
                Optional<String> name = nonEmpty(phrase(s, last)).or(() -> comment);
                return Optional.of(new Address.Mailbox(name, Optional.empty(), text(t.get(last)), ""));
            }
            // the local part is the run of words right before '@' not separated by white space
            int q = at;
            while (q - 1 >= s && (t.get(q - 1).isWord() || t.get(q - 1).is('.'))
                    && (q == at || !t.get(q).spaceBefore())) {
                q--;
            }
            int d = at + 1;
            while (d < e && (t.get(d).kind == Kind.ATOM || t.get(d).kind == Kind.LITERAL || t.get(d).kind == Kind.COMMENT)
                    && (d == at + 1 || !t.get(d).spaceBefore() || t.get(d - 1).kind == Kind.COMMENT)) {
                d++;
            }
            Optional<String> name = nonEmpty(phrase(s, q)).or(() -> comment);
            return Optional.of(new Address.Mailbox(name, Optional.empty(), tight(q, at), tight(at + 1, d)));
        }

        /** Display-name text of tokens [from, to): words joined by single spaces, comments dropped. */
        private String phrase(int from, int to) {
            StringBuilder sb = new StringBuilder();
            for (int j = from; j < to; j++) {
                Token tok = t.get(j);
                if (tok.kind == Kind.COMMENT) continue;
                if (sb.length() > 0 && tok.spaceBefore()) sb.append(' ');
                sb.append(text(tok));
            }
            return sb.toString().strip();
        }

        /** Tokens [from, to) joined without white space (addr-spec parts), comments dropped. */
        private String tight(int from, int to) {
            StringBuilder sb = new StringBuilder();
            for (int j = from; j < to; j++) {
                Token tok = t.get(j);
                if (tok.kind != Kind.COMMENT) sb.append(text(tok));
            }
            return sb.toString();
        }

        private Optional<String> firstComment(int from, int to) {
            for (int j = from; j < to; j++) {
                Token tok = t.get(j);
                if (tok.kind == Kind.COMMENT && !tok.text().isBlank()) return Optional.of(tok.text().strip());
            }
            return Optional.empty();
        }

        private int indexOf(int from, int to, char special) {
            for (int j = from; j < to; j++) if (t.get(j).is(special)) return j;
            return -1;
        }

        private int lastIndexOf(int from, int to, char special) {
            for (int j = to - 1; j >= from; j--) if (t.get(j).is(special)) return j;
            return -1;
        }

        private static String text(Token tok) {
            return tok.text();
        }

        private static Optional<String> nonEmpty(String s) {
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        }
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        boolean space = false;
        Finder wordClose = Finder.of(s, "?=");
        Finder white = Finder.whiteSpace(s);
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = true;
                i++;
                continue;
            }
            StringBuilder sb = new StringBuilder();
            Kind kind;
            switch (c) {
                case '(' -> { // RFC 5322 §3.2.2: comments nest, backslash quotes
                    int depth = 1;
                    i++;
                    while (i < n && depth > 0) {
                        char d = s.charAt(i);
                        if (d == '\\' && i + 1 < n) {
                            sb.append(s.charAt(i + 1));
                            i += 2;
                            continue;
                        }
                        if (d == '(') depth++;
                        if (d == ')' && --depth == 0) {
                            i++;
                            break;
                        }
                        sb.append(d);
                        i++;
                    }
                    out.add(new Token(Kind.COMMENT, sb.toString(), space));
                    space = true; // a comment separates like white space
                    continue;
                }
                case '"' -> {
                    if (!hasClosingQuote(s, i)) { // an unclosed quote is junk: read on as if it were not there
                        space = true;
                        i++;
                        continue;
                    }
                    i++;
                    while (i < n) {
                        char d = s.charAt(i);
                        if (d == '\\' && i + 1 < n) {
                            sb.append(s.charAt(i + 1));
                            i += 2;
                        } else if (d == '"') {
                            i++;
                            break;
                        } else {
                            if (d != '\r' && d != '\n') sb.append(d);
                            i++;
                        }
                    }
                    kind = Kind.QUOTED;
                }
                case '[' -> {
                    int close = s.indexOf(']', i);
                    int end = close < 0 ? n : close + 1;
                    sb.append(s, i, end);
                    i = end;
                    kind = Kind.LITERAL;
                }
                case '<', '>', '@', ',', ';', ':' -> {
                    sb.append(c);
                    i++;
                    kind = Kind.SPECIAL;
                }
                default -> {
                    while (i < n) {
                        char d = s.charAt(i);
                        if (d == '=' && i + 1 < n && s.charAt(i + 1) == '?') {
                            int end = encodedWordEnd(s, i, wordClose, white);
                            if (end > 0) {
                                sb.append(s, i, end);
                                i = end;
                                continue;
                            }
                        }
                        if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || "()\"<>@,;:[".indexOf(d) >= 0) break;
                        sb.append(d);
                        i++;
                    }
                    kind = Kind.ATOM;
                }
            }
            out.add(new Token(kind, sb.toString(), space));
            space = false;
        }
        return out;
    }

    private static boolean hasClosingQuote(String s, int open) {
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == '"') return true;
        }
        return false;
    }

    /** The end of an RFC 2047 encoded word without white space starting at {@code i}, or -1. */
    private static int encodedWordEnd(String s, int i, Finder close, Finder white) {
        int q1 = i + 2;
        while (q1 < s.length() && q1 - i < MAX_CHARSET_CHARS && s.charAt(q1) != '?') q1++;
        if (q1 + 2 >= s.length() || s.charAt(q1) != '?' || s.charAt(q1 + 2) != '?') return -1;
        int end = close.next(q1 + 3);
        if (end < 0) return -1;
        int ws = white.next(i);
        if (ws >= 0 && ws < end) return -1;
        return end + 2;
    }
}
