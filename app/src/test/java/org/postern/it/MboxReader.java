package org.postern.it;

import java.util.ArrayList;
import java.util.List;

/** Splits an mboxrd file (LF line ends) into messages and undoes its {@code >From } quoting. */
final class MboxReader {
    private MboxReader() {}

    static List<String> messages(String mbox) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : mbox.split("\n", -1)) {
            if (line.startsWith("From ")) {
                if (cur != null) out.add(finish(cur));
                cur = new StringBuilder();
                continue;
            }
            if (cur == null) continue;
            if (line.matches(">+From .*")) line = line.substring(1);
            cur.append(line).append('\n');
        }
        if (cur != null) out.add(finish(cur));
        return out;
    }

    /** Each message is followed by one blank line the writer added; the split adds one more newline. */
    private static String finish(StringBuilder m) {
        String s = m.toString();
        if (s.endsWith("\n\n")) s = s.substring(0, s.length() - 1);
        if (s.endsWith("\n\n")) s = s.substring(0, s.length() - 1);
        return s;
    }
}
