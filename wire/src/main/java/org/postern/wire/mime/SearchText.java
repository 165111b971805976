package org.postern.wire.mime;

/** Collects the search text of one message, body text capped at {@link MimeLimits#MAX_SEARCH_TEXT_CHARS}. */
final class SearchText {
    private final StringBuilder header = new StringBuilder(1024);
    private final StringBuilder body = new StringBuilder(1024);

    void headerField(String name, String value) {
        header.append(name).append(": ").append(oneLine(EncodedWords.decode(value))).append('\n');
    }

    void bodyField(String name, String value) {
        body(name + ": " + oneLine(EncodedWords.decode(value)));
    }

    /** Appends text as its own line(s), cut at the cap (never between the halves of a surrogate pair). */
    void body(String text) {
        if (text.isEmpty()) return;
        int room = MimeLimits.MAX_SEARCH_TEXT_CHARS - body.length();
        if (room <= 0) return;
        boolean newline = text.charAt(text.length() - 1) != '\n';
        if (text.length() + (newline ? 1 : 0) <= room) {
            body.append(text);
            if (newline) body.append('\n');
            return;
        }
        int cut = Math.min(room, text.length());
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) cut--;
        body.append(text, 0, cut);
    }

    boolean bodyFull() {
        return body.length() >= MimeLimits.MAX_SEARCH_TEXT_CHARS;
    }

    String headerText() {
        return header.toString();
    }

    String bodyText() {
        return body.toString();
    }

    private static String oneLine(String s) {
        return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 ? s : s.replace('\r', ' ').replace('\n', ' ');
    }
}
