package org.postern.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** {@code --json}: machine-readable output with the field names of docs/client.md. */
final class JsonOption {
    @Option(names = "--json", description = "print JSON for scripts (fields in docs/client.md)")
    boolean json;

    /**
     * With {@code --json}: prints {@code items} as one JSON array, each as {@code toJson} makes it, and returns
     * true; without it returns false and prints nothing (the caller prints its table).
     */
    <T> boolean printed(Context ctx, List<T> items, Function<? super T, ?> toJson) {
        if (!json) return false;
        List<Object> out = new ArrayList<>();
        for (T item : items) out.add(toJson.apply(item));
        ctx.out().print(Json.write(out));
        return true;
    }
}
