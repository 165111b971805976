package org.postern.wire.mime;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A Content-Disposition field (RFC 2183): the type in lower case ("inline", "attachment") and its parameters. */
public record Disposition(String type, List<Param> params) {
    public Disposition {
        if (type.isEmpty()) throw new IllegalArgumentException("empty disposition type");
        type = type.toLowerCase(Locale.ROOT);
        params = List.copyOf(params);
    }

    public Optional<String> param(String name) {
        return Param.find(params, name);
    }
}
