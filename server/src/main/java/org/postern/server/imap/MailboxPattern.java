package org.postern.server.imap;

import org.postern.server.store.MailboxName;

/**
 * One canonical LIST pattern (RFC 9051 §6.3.9): the reference joined with a mailbox pattern, in which {@code *}
 * matches any characters and {@code %} any but the hierarchy delimiter. The INBOX level of a name matches
 * case-insensitively, as INBOX is case-insensitive (RFC 9051 §5.1): {@code inbox/%} lists {@code INBOX/Work}.
 *
 * <p>Compiled once per command; matching is a dynamic-programming pass over name and pattern (no regex, no
 * backtracking), so a pattern of many wildcards cannot make matching exponential.
 */
final class MailboxPattern {
    private static final char DELIMITER = MailboxName.SEPARATOR;
    private static final String INBOX = MailboxName.INBOX.value();

    private final char[] pattern;
    private final int literals;

    private MailboxPattern(char[] pattern, int literals) {
        this.pattern = pattern;
        this.literals = literals;
    }

    /**
     * RFC 9051 §6.3.9: without break-out characters the canonical pattern is the reference followed by the
     * pattern. A delimiter ending the reference and one starting the pattern are one delimiter, not an empty level.
     */
    static String join(String reference, String pattern) {
        if (!reference.isEmpty() && reference.charAt(reference.length() - 1) == DELIMITER
                && !pattern.isEmpty() && pattern.charAt(0) == DELIMITER) {
            return reference + pattern.substring(1);
        }
        return reference + pattern;
    }

    /** The compiled canonical pattern; a run of wildcards is one wildcard ({@code *} if it holds a {@code *}). */
    static MailboxPattern compile(String canonical) {
        StringBuilder out = new StringBuilder(canonical.length());
        int literals = 0;
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if (isWildcard(c)) {
                int last = out.length() - 1;
                if (last >= 0 && isWildcard(out.charAt(last))) {
                    if (c == '*') out.setCharAt(last, '*');
                    continue;
                }
            } else {
                literals++;
            }
            out.append(c);
        }
        return new MailboxPattern(out.toString().toCharArray(), literals);
    }

    private static boolean isWildcard(char c) {
        return c == '*' || c == '%';
    }

    /**
     * RFC 9051 §6.3.9: when {@code %} ends the pattern, matching levels of hierarchy are also returned, even if
     * they are not mailboxes themselves.
     */
    boolean listsHierarchyLevels() {
        return pattern.length > 0 && pattern[pattern.length - 1] == '%';
    }

    boolean matches(MailboxName name) {
        return matches(name.value());
    }

    boolean matches(String name) {
        if (name.length() < literals) return false;
        boolean inboxLevel = name.equals(INBOX) || name.startsWith(INBOX + DELIMITER);
        int m = pattern.length;
        boolean[] prev = new boolean[m + 1];
        boolean[] next = new boolean[m + 1];
        prev[0] = true;   // prev[j]: pattern[0, j) matches name[0, i)
        for (int j = 1; j <= m && isWildcard(pattern[j - 1]); j++) prev[j] = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean caseless = inboxLevel && i < INBOX.length();
            next[0] = false;
            for (int j = 1; j <= m; j++) {
                char p = pattern[j - 1];
                next[j] = switch (p) {
                    case '*' -> next[j - 1] || prev[j];
                    case '%' -> next[j - 1] || (prev[j] && c != DELIMITER);
                    default -> prev[j - 1] && (p == c || (caseless && upper(p) == c));
                };
            }
            boolean[] t = prev;
            prev = next;
            next = t;
        }
        return prev[m];
    }

    private static char upper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c;
    }
}
