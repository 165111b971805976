package org.postern.client.message;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * File names taken from a message (untrusted) made safe to create in a directory the user chose: only the last
 * path segment, no control or format characters, no characters Windows forbids, no leading dots (no hidden files,
 * never "." or ".."), bounded length, and a fallback name when nothing is left.
 */
public final class SafeFileNames {
    private SafeFileNames() {}

    /**
     * UTF-8 bytes of a safe name, extension included. Common file systems (ext4, APFS, NTFS in UTF-16 units) allow
     * 255; 200 leaves room for the " (n)" that makes a duplicate unique, and for tools that append ".part".
     */
    public static final int MAX_NAME_BYTES = 200;

    /** An extension longer than this is not kept apart when a long name is shortened (it is not a real one). */
    static final int MAX_EXTENSION_CHARS = 16;

    /** Characters Windows forbids in names (and '/' and '\' everywhere): replaced by '_'. */
    private static final String FORBIDDEN = "/\\:*?\"<>|";

    /** The safe form of {@code raw}; {@code fallback} (itself safe) when nothing usable is left. */
    public static String safe(String raw, String fallback) {
        String s = raw;
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        if (slash >= 0) s = s.substring(slash + 1); // "../../etc/passwd" -> "passwd"
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean bad = cp < 0x20 || cp == 0x7F || type == Character.CONTROL || type == Character.FORMAT // U+202E etc.
                    || type == Character.SURROGATE || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                    || (cp < 0x80 && FORBIDDEN.indexOf(cp) >= 0);
            sb.appendCodePoint(bad ? '_' : cp);
        });
        s = sb.toString().strip();
        int lead = 0;
        while (lead < s.length() && (s.charAt(lead) == '.' || s.charAt(lead) == ' ')) lead++;
        s = s.substring(lead);
        int trail = s.length();
        while (trail > 0 && (s.charAt(trail - 1) == '.' || s.charAt(trail - 1) == ' ')) trail--; // Windows drops them
        s = s.substring(0, trail);
        if (s.isEmpty() || s.chars().allMatch(c -> c == '_')) return fallback;
        return shorten(s, MAX_NAME_BYTES);
    }

    /** {@code name}, or "base (n).ext" for the smallest n >= 2 not in {@code taken} (compared case-insensitively). */
    public static String unique(String name, Set<String> taken) {
        if (!taken.contains(name.toLowerCase(java.util.Locale.ROOT))) return name;
        int dot = extensionDot(name);
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot);
        for (int n = 2; ; n++) {
            String candidate = base + " (" + n + ")" + ext;
            if (!taken.contains(candidate.toLowerCase(java.util.Locale.ROOT))) return candidate;
        }
    }

    /** Cuts {@code s} to at most {@code maxBytes} UTF-8 bytes, keeping a short extension, never splitting a character. */
    static String shorten(String s, int maxBytes) {
        if (utf8(s) <= maxBytes) return s;
        int dot = extensionDot(s);
        String ext = dot < 0 ? "" : s.substring(dot);
        String base = dot < 0 ? s : s.substring(0, dot);
        int room = maxBytes - utf8(ext);
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < base.length(); ) {
            int cp = base.codePointAt(i);
            int len = utf8(new String(Character.toChars(cp)));
            if (used + len > room) break;
            out.appendCodePoint(cp);
            used += len;
            i += Character.charCount(cp);
        }
        return out.toString().strip() + ext;
    }

    private static int extensionDot(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && name.length() - dot - 1 <= MAX_EXTENSION_CHARS && name.length() - dot > 1 ? dot : -1;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
