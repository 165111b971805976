package org.postern.client.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

/**
 * Folder names as directories: verbatim, '/' nesting (decision 0005), and nothing that could leave {@code mail/}
 * or collide with a Maildir's own directories. Checked before any path is made from a name, since names come
 * from the server.
 */
final class FolderNames {
    private FolderNames() {}

    /** Bytes of one path segment: the common file-system limit for a directory name (ext4, APFS, NTFS). */
    static final int MAX_SEGMENT_BYTES = 255;

    /** Nesting depth; far beyond real folder trees, and keeps paths under Linux's 4096-byte PATH_MAX. */
    static final int MAX_DEPTH = 16;

    /** A Maildir's own directories: a nested folder of that name would land inside its parent's Maildir. */
    private static final Set<String> MAILDIR_DIRS = Set.of("cur", "new", "tmp");

    /** The Maildir of {@code name} under {@code mailRoot}, or an {@link IllegalArgumentException} saying why not. */
    static Path directory(Path mailRoot, String name) {
        check(name);
        Path p = mailRoot;
        for (String segment : name.split("/")) p = p.resolve(segment);
        if (!p.normalize().startsWith(mailRoot.normalize())) throw refused(name, "it leaves the mail directory");
        return p;
    }

    static void check(String name) {
        if (name.isEmpty()) throw refused(name, "it is empty");
        if (name.startsWith("/")) throw refused(name, "it starts with '/'");
        if (name.endsWith("/")) throw refused(name, "it ends with '/'");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0) throw refused(name, "it contains NUL");
            if (c < 0x20 || c == 0x7F) throw refused(name, "it contains a control character");
            if (c == '\\') throw refused(name, "it contains '\\'");
        }
        String[] segments = name.split("/", -1);
        if (segments.length > MAX_DEPTH) throw refused(name, "it nests deeper than " + MAX_DEPTH + " levels");
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.isEmpty()) throw refused(name, "it has an empty level ('//')");
            if (s.equals(".") || s.equals("..")) throw refused(name, "it has a '" + s + "' level");
            if (s.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw refused(name, "a level is longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
            if (i > 0 && MAILDIR_DIRS.contains(s)) {
                throw refused(name, "a nested level named '" + s + "' would fall inside its parent's Maildir");
            }
        }
    }

    private static IllegalArgumentException refused(String name, String why) {
        return new IllegalArgumentException("folder name \"" + name.replaceAll("\\p{Cntrl}", "?")
                + "\" cannot be stored: " + why);
    }
}
