package org.postern.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations ({@code "30s"}, {@code "15m"}, {@code "4h"}, {@code "5d"}) and sizes ({@code "50MB"}, {@code "35 MiB"},
 * {@code "1048576"}) as written in the config file, and back. Sizes follow SI and IEC: kB/MB/GB are powers of 1000,
 * KiB/MiB/GiB powers of 1024; unit letters are case-insensitive.
 */
public final class Quantities {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})\\s*([smhd])");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,18})\\s*([kmgt]i?b?|b)?");

    private Quantities() {}

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (a whole number and a unit:"
                    + " s, m, h or d, e.g. \"30s\", \"15m\", \"4h\", \"5d\")");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);                    // "d": the pattern allows nothing else
        };
    }

    /** The shortest form {@link #duration} reads back to the same value. */
    static String format(Duration d) {
        long s = d.toSeconds();
        if (s != 0 && s % 86_400 == 0) return s / 86_400 + "d";
        if (s != 0 && s % 3_600 == 0) return s / 3_600 + "h";
        if (s != 0 && s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }

    public static long size(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (bytes, or a number and a unit:"
                    + " kB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024), e.g. \"50MiB\")");
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        long multiplier = switch (unit.replace("b", "")) {
            case "" -> 1L;
            case "k" -> 1_000L;
            case "ki" -> 1L << 10;
            case "m" -> 1_000_000L;
            case "mi" -> 1L << 20;
            case "g" -> 1_000_000_000L;
            case "gi" -> 1L << 30;
            case "t" -> 1_000_000_000_000L;
            default -> 1L << 40;                              // "ti"
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    /** The shortest IEC form that reads back to the same number of bytes: 52428800 -> "50MiB". */
    public static String formatSize(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (40 - 10 * i);
            if (bytes != 0 && bytes % unit == 0) return bytes / unit + units[i];
        }
        return Long.toString(bytes);
    }
}
