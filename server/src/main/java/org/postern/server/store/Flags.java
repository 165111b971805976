package org.postern.server.store;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A message's flags: system flags ({@code \Seen} …) and keywords, compared case-insensitively as
 * RFC 9051 §2.3.2 requires, kept in a canonical spelling for the system flags.
 */
public record Flags(Set<String> names) {
    /** Runs of spaces; compiled once (String.split(" +") compiles the pattern on every call). */
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile(" +");
    public static final String SEEN = "\\Seen", ANSWERED = "\\Answered", FLAGGED = "\\Flagged",
            DELETED = "\\Deleted", DRAFT = "\\Draft", RECENT = "\\Recent";
    public static final Flags NONE = new Flags(Set.of());
    /**
     * Distinct storage forms remembered by {@link #parse}. A mailbox has few distinct flag sets, and parsing one
     * (a case-insensitive TreeSet per row) showed in profiles of reading 1,000 rows; Flags are immutable, so one
     * instance serves every row with the same form. Bounded against a client inventing keywords: cleared when full.
     */
    static final int PARSE_CACHE_MAX = 1024;
    private static final java.util.concurrent.ConcurrentHashMap<String, Flags> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Set<String> SYSTEM = Set.of(SEEN, ANSWERED, FLAGGED, DELETED, DRAFT, RECENT);

    public Flags {
        TreeSet<String> canon = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String n : names) canon.add(canonical(n));
        names = java.util.Collections.unmodifiableSet(canon);
    }

    public static Flags of(String... names) {
        return new Flags(Set.of(names));
    }

    /** Parses the space-separated storage form written by {@link #toString()}. */
    public static Flags parse(String stored) {
        if (stored == null || stored.isBlank()) return NONE;
        Flags known = PARSED.get(stored);
        if (known != null) return known;
        Flags parsed = new Flags(Arrays.stream(SPACES.split(stored.trim())).collect(Collectors.toSet()));
        if (PARSED.size() >= PARSE_CACHE_MAX) PARSED.clear();
        PARSED.put(stored, parsed);
        return parsed;
    }

    public boolean has(String flag) {
        return names.contains(flag);
    }

    public Flags plus(Collection<String> add) {
        TreeSet<String> s = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        s.addAll(names);
        s.addAll(add);
        return new Flags(s);
    }

    public Flags minus(Collection<String> remove) {
        TreeSet<String> s = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        s.addAll(names);
        s.removeAll(new TreeSet<>(String.CASE_INSENSITIVE_ORDER) {{ addAll(remove); }});
        return new Flags(s);
    }

    private static String canonical(String n) {
        if (n.isEmpty() || n.indexOf(' ') >= 0) throw new IllegalArgumentException("bad flag: '" + n + "'");
        for (String s : SYSTEM) if (s.equalsIgnoreCase(n)) return s;
        return n;
    }

    /** Space-separated, canonical order: the storage form. */
    @Override
    public String toString() {
        return String.join(" ", names);
    }
}
