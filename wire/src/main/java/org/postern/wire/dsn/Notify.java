package org.postern.wire.dsn;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * RFC 3461 §4.1 NOTIFY= of RCPT TO: on which outcomes the sender wants a notice. An empty set is
 * {@code NOTIFY=NEVER}.
 */
public record Notify(Set<Condition> conditions) {
    public enum Condition { SUCCESS, FAILURE, DELAY }

    public static final Notify NEVER = new Notify(Set.of());

    /**
     * What a recipient without NOTIFY gets. RFC 3461 §4.1 leaves it to the MTA ("as if NOTIFY=FAILURE,DELAY"
     * is what sendmail and Postfix do): failure notices, and delay warnings.
     */
    public static final Notify DEFAULT = new Notify(EnumSet.of(Condition.FAILURE, Condition.DELAY));

    public Notify {
        conditions = conditions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(conditions));
    }

    /**
     * Parses the value: {@code NEVER}, or a comma-separated list of SUCCESS, FAILURE, DELAY (any case).
     *
     * @throws IllegalArgumentException for an unknown or repeated keyword, or NEVER combined with another
     */
    public static Notify parse(String value) {
        if (value.equalsIgnoreCase("NEVER")) return NEVER;
        EnumSet<Condition> set = EnumSet.noneOf(Condition.class);
        for (String word : value.split(",", -1)) {
            Condition c;
            try {
                c = Condition.valueOf(word.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // RFC 3461 §4.1: "NEVER" must not appear with any other keyword
                throw new IllegalArgumentException("NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY");
            }
            if (!set.add(c)) throw new IllegalArgumentException("NOTIFY repeats " + c);
        }
        return new Notify(set);
    }

    /** Whether a notice of {@code kind} is wanted. */
    public boolean wants(DeliveryReport.Kind kind) {
        return conditions.contains(switch (kind) {
            case FAILURE -> Condition.FAILURE;
            case DELAY -> Condition.DELAY;
            case SUCCESS -> Condition.SUCCESS;
        });
    }

    /** The parameter as an SMTP client sends it: {@code NOTIFY=FAILURE,DELAY} (a fixed order). */
    public String toParameter() {
        if (conditions.isEmpty()) return "NOTIFY=NEVER";
        List<String> words = new ArrayList<>();
        for (Condition c : Condition.values()) if (conditions.contains(c)) words.add(c.name());
        return "NOTIFY=" + String.join(",", words);
    }
}
