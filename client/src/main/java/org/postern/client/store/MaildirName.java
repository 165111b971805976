package org.postern.client.store;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maildir file names of the local store: {@code <unique>,U=<uid>:2,<flags>} (decision 0005), {@code <unique>:2,<flags>}
 * without a server UID. The flag letters are the Maildir spec's (cr.yp.to/proto/maildir.html), sorted: D Draft,
 * F Flagged, P Passed ($Forwarded), R Replied (\Answered), S Seen, T Trashed (\Deleted). Keywords have no letter and
 * live only in state.db.
 */
record MaildirName(String unique, Optional<Long> uid, Set<String> flags) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** IMAP flag to Maildir letter, in letter order. */
    private static final List<String[]> LETTERS = List.of(
            new String[] {"D", "\\Draft"}, new String[] {"F", "\\Flagged"}, new String[] {"P", "$Forwarded"},
            new String[] {"R", "\\Answered"}, new String[] {"S", "\\Seen"}, new String[] {"T", "\\Deleted"});

    /** A new unique part: milliseconds and 64 random bits, no ',' ':' or '/'. */
    static String newUnique() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return System.currentTimeMillis() + "." + HexFormat.of().formatHex(b);
    }

    /** The file name for the unique part, UID and flags (flags without a letter are left out). */
    String fileName() {
        StringBuilder sb = new StringBuilder(unique);
        uid.ifPresent(u -> sb.append(",U=").append(u));
        sb.append(":2,");
        for (String[] l : LETTERS) if (flags.contains(l[1])) sb.append(l[0]);
        return sb.toString();
    }

    /**
     * Reads a file name, leniently, as other Maildir tools write them: the unique part ends at the first ',' or
     * ':'; a ",U=n" among the ',' fields is the UID; the letters after ":2," are flags (unknown letters ignored).
     * Empty for a name that is no Maildir file (a dot file, an empty unique part).
     */
    static Optional<MaildirName> parse(String fileName) {
        if (fileName.isEmpty() || fileName.startsWith(".")) return Optional.empty();
        int info = fileName.indexOf(":2,");
        String base = info < 0 ? fileName : fileName.substring(0, info);
        String letters = info < 0 ? "" : fileName.substring(info + 3);
        int colon = base.indexOf(':');
        if (colon >= 0) base = base.substring(0, colon);
        String[] fields = base.split(",");
        if (fields[0].isEmpty()) return Optional.empty();
        Optional<Long> uid = Optional.empty();
        for (int i = 1; i < fields.length; i++) {
            if (fields[i].startsWith("U=")) {
                try {
                    long u = Long.parseLong(fields[i].substring(2));
                    if (u > 0 && u <= 0xFFFF_FFFFL) uid = Optional.of(u); // RFC 9051: nz-number, 32 bits
                } catch (NumberFormatException e) {
                    // not a UID: ignored
                }
            }
        }
        Set<String> flags = new TreeSet<>();
        for (char c : letters.toCharArray()) {
            for (String[] l : LETTERS) if (l[0].charAt(0) == c) flags.add(l[1]);
        }
        return Optional.of(new MaildirName(fields[0], uid, flags));
    }

    /** The flags that have a Maildir letter. */
    static Set<String> letterFlags() {
        Set<String> out = new LinkedHashSet<>();
        for (String[] l : LETTERS) out.add(l[1]);
        return out;
    }

    /**
     * IMAP flags as stored: system flags in their canonical case (RFC 9051 §2.3.2: flag names are
     * case-insensitive), keywords as given, sorted. Refuses what is no IMAP flag (empty, white space, controls,
     * atom-specials), since flags come from the server and go into file names and SQL text.
     */
    static TreeSet<String> normalize(Set<String> flags) {
        TreeSet<String> out = new TreeSet<>();
        for (String f : flags) {
            if (f.isEmpty() || f.chars().anyMatch(c -> c <= ' ' || c >= 0x7F || "(){%*\"]".indexOf(c) >= 0)) {
                throw new IllegalArgumentException("not an IMAP flag: \"" + f.replaceAll("\\p{Cntrl}", "?") + "\"");
            }
            if (f.equalsIgnoreCase("\\Recent")) continue; // RFC 3501 §2.3.2: a session flag, never stored
            String canonical = f;
            for (String s : List.of("\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "$Forwarded")) {
                if (s.equalsIgnoreCase(f)) canonical = s;
            }
            out.add(canonical);
        }
        return out;
    }

    static String join(Set<String> flags) {
        return String.join(" ", new TreeSet<>(flags));
    }

    static Set<String> split(String stored) {
        List<String> out = new ArrayList<>();
        for (String s : stored.split(" ")) if (!s.isEmpty()) out.add(s);
        return new TreeSet<>(out);
    }
}
