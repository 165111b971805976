package org.postern.cli.client;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table whose columns fit a width: fixed columns keep their widths, and the flexible ones (from,
 * subject) share what is left in proportion to their weights, cut with "…" when a value is longer. No column is
 * ever narrower than {@link #MIN_FLEX}, so on a very narrow terminal the line is longer than the width rather than
 * unreadable.
 */
final class Table {
    /** Narrowest a flexible column gets: enough to recognise a sender or a subject. */
    static final int MIN_FLEX = 8;
    static final String GAP = "  ";

    record Column(String title, int weight, boolean right) {
        /** weight 0: as wide as its widest value. */
        static Column fixed(String title) {
            return new Column(title, 0, false);
        }

        static Column number(String title) {
            return new Column(title, 0, true);
        }

        static Column flex(String title, int weight) {
            return new Column(title, weight, false);
        }
    }

    private Table() {}

    static List<String> render(List<Column> columns, List<List<String>> rows, int width) {
        int n = columns.size();
        int[] widths = new int[n];
        for (int i = 0; i < n; i++) {
            widths[i] = columns.get(i).title().length();
            for (List<String> r : rows) widths[i] = Math.max(widths[i], r.get(i).codePointCount(0, r.get(i).length()));
        }
        int fixed = GAP.length() * (n - 1);
        for (int i = 0; i < n; i++) {
            if (columns.get(i).weight() == 0) fixed += widths[i];
        }
        // Flexible columns start at MIN_FLEX (or less if their values are shorter), then grow one character at a
        // time, the one furthest below its share first, until the room is used or every one shows its widest value.
        int room = Math.max(0, width - fixed);
        int[] natural = widths.clone();
        for (int i = 0; i < n; i++) {
            if (columns.get(i).weight() > 0) {
                widths[i] = Math.min(natural[i], MIN_FLEX);
                room -= widths[i];
            }
        }
        while (room > 0) {
            int grow = -1;
            for (int i = 0; i < n; i++) {
                Column c = columns.get(i);
                if (c.weight() == 0 || widths[i] >= natural[i]) continue;
                if (grow < 0 || (double) widths[i] / c.weight() < (double) widths[grow] / columns.get(grow).weight()) grow = i;
            }
            if (grow < 0) break;
            widths[grow]++;
            room--;
        }
        List<String> out = new ArrayList<>();
        List<String> titles = columns.stream().map(Column::title).toList();
        out.add(line(columns, widths, titles));
        for (List<String> r : rows) out.add(line(columns, widths, r));
        return out;
    }

    private static String line(List<Column> columns, int[] widths, List<String> values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) b.append(GAP);
            String v = fit(values.get(i), widths[i]);
            int pad = widths[i] - v.codePointCount(0, v.length());
            boolean last = i == columns.size() - 1;
            if (columns.get(i).right()) b.append(" ".repeat(pad)).append(v);
            else b.append(v).append(last ? "" : " ".repeat(pad));
        }
        return b.toString().stripTrailing();
    }

    /** {@code s} in at most {@code width} code points; a cut value ends in "…". */
    static String fit(String s, int width) {
        String clean = s.replaceAll("[\\p{Cntrl}]", " ");
        int len = clean.codePointCount(0, clean.length());
        if (len <= width) return clean;
        if (width <= 1) return "…".substring(0, width);
        return clean.substring(0, clean.offsetByCodePoints(0, width - 1)) + "…";
    }
}
