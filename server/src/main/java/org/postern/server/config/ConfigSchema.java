package org.postern.server.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys postern.toml may contain, in the order the template and the docs list them. The loader refuses any
 * other key, so a typo is an error at start rather than a setting silently ignored.
 */
final class ConfigSchema {
    /** Keys outside any table. */
    static final List<String> TOP_LEVEL = List.of("hostname", "data_dir");

    /** Table name -> its keys. */
    static final Map<String, List<String>> TABLES = tables();

    private ConfigSchema() {}

    private static Map<String, List<String>> tables() {
        var t = new LinkedHashMap<String, List<String>>();
        t.put("listeners", Arrays.stream(ListenerKind.values()).map(ListenerKind::key).toList());
        t.put("tls", List.of("certificate", "key"));
        t.put("dns", List.of("servers"));
        t.put("limits", List.of("max_message_size", "max_recipients", "max_connections", "max_connections_per_ip",
                "max_bad_commands", "max_auth_failures"));
        t.put("queue", List.of("retry", "delay_warning", "give_up"));
        t.put("relay", List.of("smarthost", "smarthost_user", "smarthost_password_file", "smarthost_require_tls"));
        t.put("security", List.of("allow_plaintext_auth", "relay_networks"));
        return java.util.Collections.unmodifiableMap(t);
    }

    /** Every key as written with its table: "hostname", "limits.max_recipients", ... */
    static List<String> dottedKeys() {
        var keys = new java.util.ArrayList<>(TOP_LEVEL);
        TABLES.forEach((table, names) -> names.forEach(n -> keys.add(table + "." + n)));
        return List.copyOf(keys);
    }

    /**
     * A likely intended key for an unknown one: a key of the same table at most two edits away, or the same
     * name in another table (a key written above its table header, or under the wrong one).
     */
    static Optional<String> suggestion(String table, String unknown) {
        List<String> siblings = table.isEmpty()
                ? concat(TOP_LEVEL, List.copyOf(TABLES.keySet()))
                : TABLES.getOrDefault(table, List.of());
        Optional<String> close = siblings.stream()
                .filter(k -> distance(k, unknown) <= 2)
                .min((a, b) -> distance(a, unknown) - distance(b, unknown));
        if (close.isPresent()) return close;
        for (var e : TABLES.entrySet()) {
            if (!e.getKey().equals(table) && e.getValue().contains(unknown)) {
                return Optional.of(e.getKey() + "." + unknown);
            }
        }
        return TOP_LEVEL.contains(unknown) && !table.isEmpty()
                ? Optional.of(unknown + " (at the top of the file, before any [table])")
                : Optional.empty();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
