package org.postern.client.message;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** RFC 5322 §3.3 date-time: written strictly, read tolerantly (the obsolete forms of §4.3 included). */
public final class MailDates {
    private MailDates() {}

    /** RFC 5322 §3.3: day-of-week, day month year, time with seconds, numeric zone ("+0100"). */
    private static final DateTimeFormatter WRITE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);

    private static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");

    /** A Date header value for {@code date}. */
    public static String format(ZonedDateTime date) {
        return WRITE.format(date);
    }

    /**
     * Parses a Date header value; empty when it is no date. Comments are ignored, the day of week is optional,
     * seconds are optional, two-digit years are 19xx/20xx and three-digit years are +1900 (RFC 5322 §4.3), the
     * obsolete zone names UT/GMT/EST... are understood and any other zone letter counts as +0000 (§4.3).
     */
    public static Optional<OffsetDateTime> parse(String value) {
        List<String> t = tokens(value);
        int i = 0;
        if (!t.isEmpty() && Character.isLetter(t.getFirst().charAt(0))) i++; // day of week
        if (t.size() - i < 4) return Optional.empty();
        try {
            int day = Integer.parseInt(t.get(i));
            int month = MONTHS.indexOf(t.get(i + 1).toLowerCase(Locale.ROOT)
                    .substring(0, Math.min(3, t.get(i + 1).length()))) + 1;
            String y = t.get(i + 2);
            int year = Integer.parseInt(y);
            if (y.length() == 2) year += year < 50 ? 2000 : 1900;
            else if (y.length() == 3) year += 1900;
            String[] hms = t.get(i + 3).split(":");
            if (month == 0 || hms.length < 2 || hms.length > 3) return Optional.empty();
            int h = Integer.parseInt(hms[0]);
            int m = Integer.parseInt(hms[1]);
            int s = hms.length == 3 ? Integer.parseInt(hms[2]) : 0;
            ZoneOffset zone = t.size() > i + 4 ? zone(t.get(i + 4)) : ZoneOffset.UTC;
            return Optional.of(OffsetDateTime.of(LocalDateTime.of(year, month, day, h, m, Math.min(s, 59)), zone));
        } catch (NumberFormatException | DateTimeException e) {
            return Optional.empty();
        }
    }

    private static ZoneOffset zone(String z) {
        if ((z.startsWith("+") || z.startsWith("-")) && z.length() == 5) {
            int hh = Integer.parseInt(z.substring(1, 3));
            int mm = Integer.parseInt(z.substring(3, 5));
            int sign = z.charAt(0) == '-' ? -1 : 1;
            return ZoneOffset.ofHoursMinutes(sign * hh, sign * mm);
        }
        return switch (z.toUpperCase(Locale.ROOT)) { // RFC 5322 §4.3 obs-zone
            case "EDT" -> ZoneOffset.ofHours(-4);
            case "EST", "CDT" -> ZoneOffset.ofHours(-5);
            case "CST", "MDT" -> ZoneOffset.ofHours(-6);
            case "MST", "PDT" -> ZoneOffset.ofHours(-7);
            case "PST" -> ZoneOffset.ofHours(-8);
            default -> ZoneOffset.UTC; // UT, GMT, military letters and junk: "-0000", time as given
        };
    }

    /** The value split at white space and commas, comments removed. */
    private static List<String> tokens(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '(') depth++;
            else if (c == ')' && depth > 0) depth--;
            else if (depth == 0) sb.append(c == ',' ? ' ' : c);
        }
        List<String> out = new ArrayList<>();
        for (String s : sb.toString().trim().split("\\s+")) if (!s.isEmpty()) out.add(s);
        return out;
    }
}
