package org.postern.wire.imap;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** RFC 9051 §9 {@code date} (SEARCH) and {@code date-time} (APPEND). Month names are English, any case. */
final class ImapDates {
    private ImapDates() {}

    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");

    /** {@code date = date-text / DQUOTE date-text DQUOTE}; {@code date-text = 1*2DIGIT "-" month "-" 4DIGIT}. */
    static LocalDate date(ImapLexer lx) {
        boolean quoted = lx.tryChar('"');
        String text = lx.until(quoted ? "\"" : " )");
        if (quoted) lx.expect('"', "'\"' after the date");
        return dateText(text);
    }

    private static LocalDate dateText(String t) {
        String[] p = t.split("-", -1);
        if (p.length != 3 || !p[0].matches("[0-9]{1,2}") || !p[2].matches("[0-9]{4}"))
            throw ImapLexer.bad("invalid date, expected dd-Mon-yyyy");
        int month = MONTHS.indexOf(p[1].toUpperCase(java.util.Locale.ROOT)) + 1;
        if (month == 0) throw ImapLexer.bad("invalid month in date");
        try {
            return LocalDate.of(Integer.parseInt(p[2]), month, Integer.parseInt(p[0]));
        } catch (DateTimeException e) {
            throw ImapLexer.bad("invalid date");
        }
    }

    /**
     * {@code date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE}, e.g.
     * {@code " 7-Feb-1994 21:52:25 -0800"}; date-day-fixed is a space and a digit or two digits (we also
     * accept one digit, as Dovecot does).
     */
    static OffsetDateTime dateTime(ImapLexer lx) {
        lx.expect('"', "a date-time");
        String t = lx.until("\"");
        lx.expect('"', "'\"' after the date-time");
        if (t.startsWith(" ")) t = t.substring(1);
        String[] p = t.split(" ", -1);
        if (p.length != 3 || !p[1].matches("[0-9]{2}:[0-9]{2}:[0-9]{2}") || !p[2].matches("[+-][0-9]{4}"))
            throw ImapLexer.bad("invalid date-time, expected \"dd-Mon-yyyy hh:mm:ss +zzzz\"");
        LocalDate d = dateText(p[0]);
        try {
            int zh = Integer.parseInt(p[2].substring(1, 3)), zm = Integer.parseInt(p[2].substring(3));
            int sign = p[2].charAt(0) == '-' ? -1 : 1;
            return OffsetDateTime.of(d.getYear(), d.getMonthValue(), d.getDayOfMonth(),
                    Integer.parseInt(p[1].substring(0, 2)), Integer.parseInt(p[1].substring(3, 5)),
                    Integer.parseInt(p[1].substring(6)), 0, ZoneOffset.ofHoursMinutes(sign * zh, sign * zm));
        } catch (DateTimeException e) {
            throw ImapLexer.bad("invalid date-time");
        }
    }
}
