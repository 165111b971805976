package org.postern.cli.client;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.postern.client.store.LocalStore.LocalMessage;

/** How messages show in listings ({@code list}, {@code search}): the table and the JSON objects. */
final class Rows {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    static final List<Table.Column> COLUMNS = List.of(Table.Column.number("ID"), Table.Column.fixed("DATE"),
            Table.Column.flex("FROM", 1), Table.Column.flex("SUBJECT", 2), Table.Column.fixed("FLAGS"),
            Table.Column.number("SIZE"), Table.Column.fixed("@"));

    private Rows() {}

    static List<String> table(List<LocalMessage> messages, int width, ZoneId zone) {
        List<List<String>> rows = new ArrayList<>();
        for (LocalMessage m : messages) {
            rows.add(List.of(Long.toString(m.id()), DATE.format(date(m).atZone(zone)), m.from(), m.subject(),
                    flags(m.flags()), size(m.size()), m.hasAttachments() ? "@" : ""));
        }
        return Table.render(COLUMNS, rows, width);
    }

    static Instant date(LocalMessage m) {
        return m.date().orElse(m.internalDate());
    }

    /**
     * One letter per state, mutt-like: N new (not \Seen), F \Flagged, A \Answered, D \Draft, T \Deleted, then a
     * '+' when the message has keywords; '-' when there is nothing to show.
     */
    static String flags(Set<String> flags) {
        StringBuilder b = new StringBuilder();
        if (!contains(flags, "\\Seen")) b.append('N');
        if (contains(flags, "\\Flagged")) b.append('F');
        if (contains(flags, "\\Answered")) b.append('A');
        if (contains(flags, "\\Draft")) b.append('D');
        if (contains(flags, "\\Deleted")) b.append('T');
        if (flags.stream().anyMatch(f -> !f.startsWith("\\"))) b.append('+');
        return b.isEmpty() ? "-" : b.toString();
    }

    private static boolean contains(Set<String> flags, String flag) {
        return flags.stream().anyMatch(f -> f.equalsIgnoreCase(flag));
    }

    /** 812, 4.2K, 13M: sizes as people read them (1024-based). */
    static String size(long bytes) {
        if (bytes < 1024) return Long.toString(bytes);
        String[] units = {"K", "M", "G", "T"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v < 10 ? String.format(Locale.ROOT, "%.1f", v) : Long.toString(Math.round(v))) + units[u];
    }

    static Map<String, Object> json(LocalMessage m) {
        return Json.obj("id", m.id(), "folder", m.folder(), "uid", m.uid(), "date", date(m), "internal_date", m.internalDate(),
                "from", m.from(), "to", m.to(), "cc", m.cc(), "subject", m.subject(), "message_id", m.messageId(),
                "flags", new ArrayList<>(new TreeSet<>(m.flags())), "size", m.size(), "has_attachments", m.hasAttachments(),
                "state", m.state().name().toLowerCase(Locale.ROOT));
    }
}
