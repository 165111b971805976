package org.postern.wire.mime;

/**
 * {@code indexOf} with a memory, for scanners that search forward from many positions in the same string:
 * a found position is reused while it lies ahead, so repeated searches stay linear, not quadratic, on
 * hostile input (thousands of "=?" with no "?=").
 */
final class Finder {
    private final String s;
    private final String needle; // null: find a control or space character (<= ' ')
    private int searchedFrom = -1;
    private int found = -1;

    private Finder(String s, String needle) {
        this.s = s;
        this.needle = needle;
    }

    static Finder of(String s, String needle) {
        return new Finder(s, needle);
    }

    /** Finds characters at or below space (white space, CR, LF, controls). */
    static Finder whiteSpace(String s) {
        return new Finder(s, null);
    }

    /** The first occurrence at or after {@code from}, or -1. */
    int next(int from) {
        if (searchedFrom >= 0 && from >= searchedFrom && (found < 0 || found >= from)) return found;
        searchedFrom = from;
        found = needle != null ? s.indexOf(needle, from) : indexOfSpace(from);
        return found;
    }

    private int indexOfSpace(int from) {
        for (int i = from; i < s.length(); i++) if (s.charAt(i) <= ' ') return i;
        return -1;
    }
}
