package org.postern.server.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads postern.toml into a {@link Config}. It collects every problem rather than stopping at the first, so one
 * run shows the operator all there is to fix; a bad value is replaced by its default only to keep checking.
 */
final class ConfigLoader {
    private final Path file;
    private final Path baseDir;
    private final List<String> lines;
    private final TomlTable root;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(Path file, String text, TomlTable root) {
        this.file = file;
        this.baseDir = file.toAbsolutePath().normalize().getParent();
        this.lines = text.lines().toList();
        this.root = root;
    }

    static Config load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": config file does not exist");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigException(file + ": config file is not UTF-8 text (TOML files are UTF-8)", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file: " + e, e);
        }
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            throw new ConfigException(toml.errors().stream().map(e -> syntaxError(file, e)).toList());
        }
        return new ConfigLoader(file, text, toml).read();
    }

    private static String syntaxError(Path file, TomlParseError e) {
        TomlPosition p = e.position();
        return file + ":" + p.line() + ":" + p.column() + ": TOML syntax error: " + e.getMessage();
    }

    private Config read() {
        checkKeys();
        String hostname = string(List.of("hostname"))
                .flatMap(v -> convert(List.of("hostname"), v, Addresses::hostname))
                .orElseGet(Config::localHostname);
        Path dataDir = path(List.of("data_dir")).orElse(baseDir);
        var listeners = listeners();
        var tls = new Config.Tls(
                path(List.of("tls", "certificate")).orElse(Config.Tls.defaults(dataDir).certificate()),
                path(List.of("tls", "key")).orElse(Config.Tls.defaults(dataDir).key()));
        var dns = new Config.Dns(stringList(List.of("dns", "servers"), "IP address strings", Addresses::dnsServer)
                .orElse(Config.Dns.DEFAULTS.servers()));
        var limits = limits();
        var queue = queue();
        var security = new Config.Security(
                bool(List.of("security", "allow_plaintext_auth")).orElse(Config.Security.DEFAULTS.allowPlaintextAuth()),
                stringList(List.of("security", "relay_networks"), "CIDR strings", Cidr::parse)
                        .orElse(Config.Security.DEFAULTS.relayNetworks()));
        var relay = relay();
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new Config(hostname, dataDir, listeners, tls, dns, limits, queue, security, relay);
    }

    private void checkKeys() {
        for (String key : root.keySet()) {
            List<String> path = List.of(key);
            if (ConfigSchema.TOP_LEVEL.contains(key)) continue;
            List<String> known = ConfigSchema.TABLES.get(key);
            if (known == null) {
                unknown("", path);
            } else if (!(root.get(path) instanceof TomlTable table)) {
                problem(path, "expected a table ([" + key + "]), found " + describe(root.get(path)));
            } else {
                for (String inner : table.keySet()) {
                    if (!known.contains(inner)) unknown(key, List.of(key, inner));
                }
            }
        }
    }

    private void unknown(String table, List<String> path) {
        String hint = ConfigSchema.suggestion(table, path.getLast()).map(s -> " (did you mean " + s + "?)").orElse("");
        problem(path, (root.get(path) instanceof TomlTable ? "unknown table" : "unknown key") + hint);
    }

    private Map<ListenerKind, List<InetSocketAddress>> listeners() {
        var map = new EnumMap<ListenerKind, List<InetSocketAddress>>(ListenerKind.class);
        var seen = new HashMap<InetSocketAddress, ListenerKind>();
        for (ListenerKind kind : ListenerKind.values()) {
            List<String> path = List.of("listeners", kind.key());
            List<InetSocketAddress> addresses = stringList(path, "\"address:port\" strings", Addresses::listenAddress)
                    .orElse(List.of());
            for (InetSocketAddress a : addresses) {
                if (a.getPort() == 0) continue;                 // each port 0 is a different free port
                ListenerKind other = seen.putIfAbsent(a, kind);
                if (other != null) {
                    problem(path, Addresses.format(a) + " is also in listeners." + other.key()
                            + "; one address:port can serve only one listener");
                }
            }
            map.put(kind, addresses);
        }
        return map;
    }

    private Config.Limits limits() {
        var d = Config.Limits.DEFAULTS;
        return new Config.Limits(
                size(List.of("limits", "max_message_size"), Config.Limits.MIN_MAX_MESSAGE_SIZE)
                        .orElse(d.maxMessageSize()),
                integer(List.of("limits", "max_recipients"), Config.Limits.MIN_MAX_RECIPIENTS,
                        "RFC 5321 §4.5.3.1.8 requires accepting 100").orElse(d.maxRecipients()),
                integer(List.of("limits", "max_connections"), 1, "").orElse(d.maxConnections()),
                integer(List.of("limits", "max_connections_per_ip"), 1, "").orElse(d.maxConnectionsPerIp()),
                integer(List.of("limits", "max_bad_commands"), 1, "").orElse(d.maxBadCommands()),
                integer(List.of("limits", "max_auth_failures"), 1, "").orElse(d.maxAuthFailures()));
    }

    private Config.Relay relay() {
        var d = Config.Relay.DEFAULTS;
        // "" is the same as absent: the template lists every key with its default
        var smarthost = string(List.of("relay", "smarthost")).filter(v -> !v.isEmpty())
                .flatMap(v -> convert(List.of("relay", "smarthost"), v, Config.Relay.Smarthost::parse));
        var user = string(List.of("relay", "smarthost_user")).filter(v -> !v.isEmpty());
        var passwordFile = string(List.of("relay", "smarthost_password_file")).filter(v -> !v.isEmpty())
                .flatMap(v -> convert(List.of("relay", "smarthost_password_file"), v, t -> baseDir.resolve(t).normalize()));
        boolean requireTls = bool(List.of("relay", "smarthost_require_tls")).orElse(d.requireTls());
        if (user.isPresent() != passwordFile.isPresent()) {
            problem(List.of("relay", user.isPresent() ? "smarthost_user" : "smarthost_password_file"),
                    "smarthost_user and smarthost_password_file go together");
            return d;
        }
        if (user.isPresent() && smarthost.isEmpty()) {
            problem(List.of("relay", "smarthost_user"), "a smarthost user needs a smarthost");
            return d;
        }
        return new Config.Relay(smarthost, user, passwordFile, requireTls);
    }

    private Config.Queue queue() {
        var d = Config.Queue.DEFAULTS;
        List<String> retryPath = List.of("queue", "retry");
        List<Duration> retry = stringList(retryPath, "duration strings", this::positiveDuration).orElse(d.retry());
        if (retry.isEmpty()) {
            problem(retryPath, "expected at least one duration, found an empty list");
            retry = d.retry();
        }
        return new Config.Queue(retry,
                string(List.of("queue", "delay_warning"))
                        .flatMap(v -> convert(List.of("queue", "delay_warning"), v, this::positiveDuration))
                        .orElse(d.delayWarning()),
                string(List.of("queue", "give_up"))
                        .flatMap(v -> convert(List.of("queue", "give_up"), v, this::positiveDuration))
                        .orElse(d.giveUp()));
    }

    private Duration positiveDuration(String text) {
        Duration d = Quantities.duration(text);
        if (d.isZero()) throw new IllegalArgumentException("'" + text + "' is zero; a duration must be longer than 0s");
        return d;
    }

    // ---- typed access: each returns empty when the key is absent or wrong (after recording the problem) ----

    private Optional<Object> value(List<String> path) {
        return path.size() == 1 || root.get(path.subList(0, path.size() - 1)) instanceof TomlTable
                ? Optional.ofNullable(root.get(path))
                : Optional.empty();
    }

    private Optional<String> string(List<String> path) {
        return value(path).flatMap(v -> {
            if (v instanceof String s) return Optional.of(s);
            problem(path, "expected a string, found " + describe(v));
            return Optional.empty();
        });
    }

    private Optional<Boolean> bool(List<String> path) {
        return value(path).flatMap(v -> {
            if (v instanceof Boolean b) return Optional.of(b);
            problem(path, "expected true or false, found " + describe(v));
            return Optional.empty();
        });
    }

    private Optional<Path> path(List<String> path) {
        return string(path).flatMap(s -> {
            if (s.isBlank()) {
                problem(path, "expected a path, found an empty string");
                return Optional.empty();
            }
            return convert(path, s, text -> baseDir.resolve(text).normalize());
        });
    }

    private Optional<Integer> integer(List<String> path, int min, String why) {
        return value(path).flatMap(v -> {
            if (!(v instanceof Long n)) {
                problem(path, "expected a whole number, found " + describe(v));
                return Optional.empty();
            }
            if (n < min || n > Integer.MAX_VALUE) {
                problem(path, "expected a whole number from " + min + " to " + Integer.MAX_VALUE
                        + (why.isEmpty() ? "" : " (" + why + ")") + ", found " + n);
                return Optional.empty();
            }
            return Optional.of(n.intValue());
        });
    }

    private Optional<Long> size(List<String> path, long min) {
        return value(path).flatMap(v -> {
            Optional<Long> bytes = switch (v) {
                case Long n -> Optional.of(n);
                case String s -> convert(path, s, Quantities::size);
                default -> {
                    problem(path, "expected a size such as \"50MiB\" or a number of bytes, found " + describe(v));
                    yield Optional.empty();
                }
            };
            if (bytes.isPresent() && bytes.get() < min) {
                problem(path, "expected at least " + Quantities.formatSize(min) + " (RFC 5321 §4.5.3.1.7 requires"
                        + " accepting 64K octets), found " + bytes.get() + " bytes");
                return Optional.empty();
            }
            return bytes;
        });
    }

    /** A list whose elements are strings, each converted; empty Optional after any problem. */
    private <T> Optional<List<T>> stringList(List<String> path, String what, Function<String, T> convert) {
        return value(path).flatMap(v -> {
            if (!(v instanceof TomlArray array)) {
                String hint = v instanceof String s ? " (write [\"" + s + "\"])" : "";
                problem(path, "expected a list of " + what + ", found " + describe(v) + hint);
                return Optional.empty();
            }
            var out = new ArrayList<T>();
            boolean ok = true;
            for (int i = 0; i < array.size(); i++) {
                Object element = array.get(i);
                TomlPosition at = elementStart(array.inputPositionOf(i));
                if (!(element instanceof String s)) {
                    problemAt(at, path, "expected a list of " + what + ", found " + describe(element) + " in it");
                    ok = false;
                    continue;
                }
                try {
                    out.add(convert.apply(s));
                } catch (IllegalArgumentException e) {
                    problemAt(at, path, e.getMessage());
                    ok = false;
                }
            }
            return ok ? Optional.of(List.copyOf(out)) : Optional.empty();
        });
    }

    /**
     * tomlj gives an array element the position where the previous separator ended; the element itself starts at
     * the next character that is not blank, a line break or in a comment, which matters for one-per-line lists.
     */
    private TomlPosition elementStart(TomlPosition p) {
        if (p == null) return null;
        int line = p.line() - 1;
        int column = p.column() - 1;
        while (line < lines.size()) {
            String text = lines.get(line);
            while (column < text.length() && (text.charAt(column) == ' ' || text.charAt(column) == '\t')) column++;
            if (column < text.length() && text.charAt(column) != '#') {
                return TomlPosition.positionAt(line + 1, column + 1);
            }
            line++;
            column = 0;
        }
        return p;
    }

    private <T> Optional<T> convert(List<String> path, String text, Function<String, T> convert) {
        try {
            return Optional.of(convert.apply(text));
        } catch (IllegalArgumentException e) {
            problem(path, e.getMessage());
            return Optional.empty();
        }
    }

    private void problem(List<String> path, String message) {
        problemAt(root.inputPositionOf(path), path, message);
    }

    private void problemAt(TomlPosition position, List<String> path, String message) {
        String where = position == null ? file + ": " : file + ":" + position.line() + ": ";
        problems.add(where + String.join(".", path) + ": " + message);
    }

    /** How a TOML value is named in messages: its type, and the value when short. */
    static String describe(Object v) {
        return switch (v) {
            case null -> "nothing";
            case String s -> "the string \"" + s + "\"";
            case Long n -> "an integer (" + n + ")";
            case Double n -> "a decimal number (" + n + ")";
            case Boolean b -> "a boolean (" + b + ")";
            case TomlArray a -> a.isEmpty() ? "an empty list" : "a list";
            case TomlTable _ -> "a table";
            case TemporalAccessor t -> "a date or time (" + t + ")";
            default -> "a " + v.getClass().getSimpleName();
        };
    }
}
