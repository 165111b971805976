package org.postern.wire.mime;

/**
 * HTML to text for the search index, roughly: tags and comments removed, script and style content dropped,
 * block tags become line breaks, the common entities and all numeric ones decoded, white space folded.
 * Not a renderer; it never fails.
 */
final class HtmlText {
    private HtmlText() {}

    /** Longest entity name we try ("&thetasym;"). */
    private static final int MAX_ENTITY_CHARS = 10;

    static String strip(String html) {
        StringBuilder out = new StringBuilder(Math.min(html.length(), 1 << 16));
        int n = html.length();
        int i = 0;
        while (i < n) {
            char c = html.charAt(i);
            if (c == '<' && i + 1 < n) {
                char d = html.charAt(i + 1);
                if (html.startsWith("<!--", i)) {
                    int e = html.indexOf("-->", i + 4);
                    i = e < 0 ? n : e + 3;
                    continue;
                }
                if (isLetter(d) || d == '/' || d == '!' || d == '?') {
                    int nameStart = d == '/' ? i + 2 : i + 1;
                    int nameEnd = nameStart;
                    while (nameEnd < n && (isLetter(html.charAt(nameEnd)) || Character.isDigit(html.charAt(nameEnd)))) {
                        nameEnd++;
                    }
                    String name = html.substring(nameStart, nameEnd).toLowerCase(java.util.Locale.ROOT);
                    int gt = html.indexOf('>', nameEnd);
                    i = gt < 0 ? n : gt + 1;
                    if (d != '/' && (name.equals("script") || name.equals("style") || name.equals("title"))) {
                        int close = indexOfIgnoreCase(html, "</" + name, i);
                        if (close < 0) {
                            i = n;
                        } else {
                            int closeGt = html.indexOf('>', close);
                            i = closeGt < 0 ? n : closeGt + 1;
                        }
                        continue;
                    }
                    if (isBlock(name)) newline(out);
                    else if (name.equals("td") || name.equals("th")) space(out);
                    continue;
                }
            }
            if (c == '&') {
                int semi = -1;
                for (int k = i + 1; k < n && k <= i + MAX_ENTITY_CHARS + 1; k++) {
                    char e = html.charAt(k);
                    if (e == ';') {
                        semi = k;
                        break;
                    }
                    if (!isLetter(e) && !Character.isDigit(e) && e != '#') break;
                }
                int cp = semi < 0 ? -1 : entity(html.substring(i + 1, semi));
                if (cp >= 0) {
                    append(out, cp);
                    i = semi + 1;
                    continue;
                }
            }
            append(out, c);
            i++;
        }
        return out.toString().strip();
    }

    private static void append(StringBuilder out, int cp) {
        if (cp == '\n' || cp == '\r') {
            space(out);
        } else if (Character.isWhitespace(cp) || cp == 0xA0) {
            space(out);
        } else {
            out.appendCodePoint(cp);
        }
    }

    private static void space(StringBuilder out) {
        int len = out.length();
        if (len > 0 && out.charAt(len - 1) != ' ' && out.charAt(len - 1) != '\n') out.append(' ');
    }

    private static void newline(StringBuilder out) {
        int len = out.length();
        if (len > 0 && out.charAt(len - 1) == ' ') out.setLength(--len);
        if (len > 0 && out.charAt(len - 1) != '\n') out.append('\n');
    }

    private static boolean isBlock(String name) {
        return switch (name) {
            case "br", "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                 "blockquote", "pre", "hr", "dt", "dd", "section", "article", "header", "footer" -> true;
            default -> false;
        };
    }

    /** The code point of an entity body ("amp", "#39", "#x27"), or -1. */
    private static int entity(String e) {
        if (e.startsWith("#")) {
            try {
                int cp = e.startsWith("#x") || e.startsWith("#X")
                        ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1));
                return Character.isValidCodePoint(cp) && cp != 0 ? cp : 0xFFFD;
            } catch (NumberFormatException ex) {
                return -1;
            }
        }
        return switch (e) {
            case "amp" -> '&';
            case "lt" -> '<';
            case "gt" -> '>';
            case "quot" -> '"';
            case "apos" -> '\'';
            case "nbsp" -> 0xA0;
            case "copy" -> 0xA9;
            case "reg" -> 0xAE;
            case "trade" -> 0x2122;
            case "euro" -> 0x20AC;
            case "pound" -> 0xA3;
            case "mdash" -> 0x2014;
            case "ndash" -> 0x2013;
            case "hellip" -> 0x2026;
            case "laquo" -> 0xAB;
            case "raquo" -> 0xBB;
            case "lsquo" -> 0x2018;
            case "rsquo" -> 0x2019;
            case "ldquo" -> 0x201C;
            case "rdquo" -> 0x201D;
            case "bull" -> 0x2022;
            case "middot" -> 0xB7;
            case "auml" -> 0xE4;
            case "ouml" -> 0xF6;
            case "uuml" -> 0xFC;
            case "Auml" -> 0xC4;
            case "Ouml" -> 0xD6;
            case "Uuml" -> 0xDC;
            case "szlig" -> 0xDF;
            case "eacute" -> 0xE9;
            case "egrave" -> 0xE8;
            case "agrave" -> 0xE0;
            case "ccedil" -> 0xE7;
            default -> -1;
        };
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static int indexOfIgnoreCase(String s, String what, int from) {
        for (int i = from, last = s.length() - what.length(); i <= last; i++) {
            if (s.regionMatches(true, i, what, 0, what.length())) return i;
        }
        return -1;
    }
}
