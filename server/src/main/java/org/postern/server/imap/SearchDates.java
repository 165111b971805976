package org.postern.server.imap;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.postern.wire.imap.SearchKey.DateRelation;

/**
 * The dates SEARCH compares, as days (epoch day numbers): RFC 9051 §6.4.4 compares "disregarding time and
 * timezone", so only the calendar date counts.
 *
 * <ul>
 *   <li>INTERNALDATE: the store keeps it as an instant without its zone, so its date is taken in UTC, the zone
 *       in which this server writes INTERNALDATE.</li>
 *   <li>The Date: header: the date as written in the field, in the sender's own zone ("Mon, 1 Jan 2024
 *       23:30 -0500" is on 1-Jan-2024 even though it is 2-Jan in UTC).</li>
 * </ul>
 */
final class SearchDates {
    private SearchDates() {}

    /** Separators between the tokens of an RFC 5322 date: folding white space and the comma after the day name. */
    private static final Pattern TOKENS = Pattern.compile("[\\s,]+");
    private static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");

    static long day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC).toEpochDay();
    }

    /** Does a message on {@code day} meet {@code relation date} (RFC 9051 §6.4.4 BEFORE, ON, SINCE)? */
    static boolean matches(DateRelation relation, long day, LocalDate date) {
        long d = date.toEpochDay();
        return switch (relation) {
            case BEFORE -> day < d;
            case ON -> day == d;
            case SINCE -> day >= d;
        };
    }

    /**
     * The date of an RFC 5322 §3.3 {@code date-time}: {@code [day-of-week ","] day month year time zone}, with
     * the obsolete syntax of §4.3 (comments anywhere, a day name without its comma, 2- and 3-digit years:
     * a two-digit year below 50 gets 2000 added, any other two- or three-digit year 1900).
     * Empty when the value is not such a date.
     */
    static OptionalLong sentDay(String value) {
        String[] t = TOKENS.split(withoutComments(value).strip());
        int i = 0;
        if (i < t.length && !t[i].isEmpty() && Character.isLetter(t[i].charAt(0))) i++;   // day-of-week
        if (t.length - i < 3) return OptionalLong.empty();
        String day = t[i], month = t[i + 1], year = t[i + 2];
        int m = month.length() >= 3 ? MONTHS.indexOf(month.substring(0, 3).toLowerCase(Locale.ROOT)) + 1 : 0;
        if (m == 0 || !digits(day, 1, 2) || !digits(year, 2, 4)) return OptionalLong.empty();
        int y = Integer.parseInt(year);
        if (year.length() < 4) y += y < 50 && year.length() == 2 ? 2000 : 1900;
        try {
            return OptionalLong.of(LocalDate.of(y, m, Integer.parseInt(day)).toEpochDay());
        } catch (DateTimeException e) {
            return OptionalLong.empty();   // 31 Feb and the like
        }
    }

    private static boolean digits(String s, int min, int max) {
        if (s.length() < min || s.length() > max) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** {@code value} without RFC 5322 §3.2.2 comments (nested, with quoted-pairs), each replaced by a space. */
    private static String withoutComments(String value) {
        if (value.indexOf('(') < 0) return value;
        StringBuilder out = new StringBuilder(value.length());
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (depth > 0 && c == '\\') i++;
            else if (c == '(') depth++;
            else if (c == ')' && depth > 0) {
                if (--depth == 0) out.append(' ');
            } else if (depth == 0) out.append(c);
        }
        return out.toString();
    }
}
