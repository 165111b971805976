package org.postern.server.export;

import java.util.ArrayList;
import java.util.List;

/** A test-side mboxrd reader: separators and unquoting, nothing else. */
final class Mboxrd {
    record Message(String separator, String text) {}

    private Mboxrd() {}

    static List<Message> read(String mbox) {
        List<Message> out = new ArrayList<>();
        String separator = null;
        StringBuilder text = new StringBuilder();
        boolean blankBefore = true;
        String[] lines = mbox.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {   // the last element follows the final LF
            String line = lines[i];
            if (line.startsWith("From ") && blankBefore) {
                if (separator != null) out.add(finish(separator, text));
                separator = line;
                text.setLength(0);
            } else {
                text.append(line.matches(">+From .*") ? line.substring(1) : line).append('\n');
            }
            blankBefore = line.isEmpty();
        }
        if (separator != null) out.add(finish(separator, text));
        return out;
    }

    /** Drops the blank line the writer put after the message. */
    private static Message finish(String separator, StringBuilder text) {
        if (text.isEmpty() || text.charAt(text.length() - 1) != '\n')
            throw new AssertionError("message does not end with the blank line: " + text);
        return new Message(separator, text.substring(0, text.length() - 1));
    }
}
