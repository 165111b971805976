package org.postern.cli.client;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code --json} output: objects built as ordered maps and written as RFC 8259 JSON, one document per run.
 * Values are strings, numbers, booleans, null (an absent Optional), lists and maps; instants as RFC 3339 UTC
 * strings. Field names are part of the documented interface (docs/client.md): add fields, never rename one.
 */
final class Json {
    private Json() {}

    /** An ordered object: {@code obj("id", 1, "subject", "hi")}. */
    static Map<String, Object> obj(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) throw new IllegalArgumentException("keys and values come in pairs");
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object v, int depth) {
        switch (v) {
            case null -> b.append("null");
            case Optional<?> o -> write(b, o.orElse(null), depth);
            case String s -> string(b, s);
            case Character c -> string(b, c.toString());
            case Boolean x -> b.append(x);
            case Integer n -> b.append(n);
            case Long n -> b.append(n);
            case Instant t -> string(b, t.toString());
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (var e : m.entrySet()) {
                    if (!first) b.append(',');
                    first = false;
                    newline(b, depth + 1);
                    string(b, (String) e.getKey());
                    b.append(": ");
                    write(b, e.getValue(), depth + 1);
                }
                if (!m.isEmpty()) newline(b, depth);
                b.append('}');
            }
            case Collection<?> c -> {
                b.append('[');
                boolean first = true;
                for (Object e : c) {
                    if (!first) b.append(',');
                    first = false;
                    newline(b, depth + 1);
                    write(b, e, depth + 1);
                }
                if (!c.isEmpty()) newline(b, depth);
                b.append(']');
            }
            default -> string(b, v.toString());
        }
    }

    private static void newline(StringBuilder b, int depth) {
        b.append('\n').append("  ".repeat(depth));
    }

    /** RFC 8259 §7: quotation mark, reverse solidus and the control characters U+0000-U+001F are escaped. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
