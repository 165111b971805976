package org.postern.client.account;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.postern.client.net.Endpoint;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * {@code accounts.toml}: one {@code [account.NAME]} table per account, in the order they were added.
 *
 * <pre>
 * [account.work]
 * address = "me@example.org"          # From: of the mail this account sends
 * password_file = "~/.config/work.pw" # or password_command = "pass show mail/work"; neither: asked each time
 *
 * [account.work.incoming]
 * protocol = "imap"                   # or "pop3"
 * host = "mail.example.org"
 * port = 993                          # default from protocol and security
 * security = "tls"                    # "tls" (default), "starttls", "plaintext"
 * user = "me@example.org"             # default: the address
 * certificate_file = "server.pem"     # optional: trusted besides the JDK's authorities (a self-signed server)
 *
 * [account.work.outgoing]
 * host = "mail.example.org"
 * port = 465
 * security = "tls"
 * user = "me@example.org"
 * </pre>
 *
 * POP3 accounts may add {@code delete_after_download = true} or {@code delete_after_days = N} to their incoming
 * table. Every problem is reported at once, one line each: {@code file:line: key: what is wrong}. The file never
 * holds a password; a {@code password} key is refused with the way to fix it. {@link #save} rewrites the whole
 * file (comments are not kept) through a temporary file and an atomic rename.
 */
public final class AccountsFile {
    /** The file's name under the client home. */
    public static final String NAME = "accounts.toml";
    /** Largest accounts file read: hundreds of accounts fit in a few kilobytes; anything bigger is not one. */
    public static final long MAX_BYTES = 1024 * 1024;
    /** Longest host name (RFC 1035 §2.3.4: 255 octets). */
    static final int MAX_HOST_LENGTH = 255;
    /** Longest address or user name accepted (RFC 5321 §4.5.3.1: 64 local + @ + 255 domain). */
    static final int MAX_ADDRESS_LENGTH = 320;

    private static final Set<String> ACCOUNT_KEYS = Set.of("address", "password_file", "password_command", "incoming",
            "outgoing");
    private static final Set<String> INCOMING_KEYS = Set.of("protocol", "host", "port", "security", "user",
            "certificate_file", "delete_after_download", "delete_after_days");
    private static final Set<String> OUTGOING_KEYS = Set.of("host", "port", "security", "user", "certificate_file");
    private static final Set<String> PASSWORD_KEYS = Set.of("password", "pass", "passwd", "secret");

    private AccountsFile() {}

    /** The accounts in {@code file}; none when the file does not exist yet. */
    public static List<Account> load(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES)
                throw new AccountException(file + ": accounts file larger than " + MAX_BYTES + " bytes; is it the right file?");
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (CharacterCodingException e) {
            throw new AccountException(file + ": accounts file is not UTF-8 text (TOML files are UTF-8)");
        } catch (IOException e) {
            throw new AccountException(file + ": cannot read the accounts file: " + e.getMessage());
        }
        return parse(file, text);
    }

    /** Parses the text of {@code file} (named in the messages; relative password files are resolved against it). */
    public static List<Account> parse(Path file, String text) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            throw new AccountException(toml.errors().stream().map(e -> file + ":" + e.position().line() + ":"
                    + e.position().column() + ": TOML syntax error: " + e.getMessage()).toList());
        }
        Reader r = new Reader(file);
        List<Account> accounts = new ArrayList<>();
        for (String key : toml.keySet()) {
            if (!key.equals("account")) {
                r.problem(toml, List.of(key), key, "unknown key (accounts are [account.NAME] tables)");
                continue;
            }
            if (!(toml.get(List.of(key)) instanceof TomlTable all)) {
                r.problem(toml, List.of(key), key, "must be a table of accounts: [account.NAME]");
                continue;
            }
            for (String name : all.keySet()) {
                r.account(all, name).ifPresent(accounts::add);
            }
        }
        if (!r.problems.isEmpty()) throw new AccountException(r.problems);
        return List.copyOf(accounts);
    }

    /** Writes {@code accounts} to {@code file} (tmp file, fsync, atomic rename); creates the directory if needed. */
    public static void save(Path file, List<Account> accounts) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        StringBuilder out = new StringBuilder("# Postern mail client accounts (postern client account add|remove rewrite this file).\n"
                + "# No passwords here: password_file (mode 0600), password_command, or neither to be asked.\n");
        for (Account a : accounts) {
            String t = "account." + bareOrQuoted(a.name());
            out.append('\n').append('[').append(t).append("]\n");
            line(out, "address", a.address());
            switch (a.password()) {
                case PasswordSource.File f -> line(out, "password_file", f.path().toString());
                case PasswordSource.Command c -> line(out, "password_command", c.command());
                case PasswordSource.Prompt p -> out.append("# password: asked when needed\n");
            }
            out.append('\n').append('[').append(t).append(".incoming]\n");
            line(out, "protocol", a.protocol().key());
            server(out, a.incoming());
            if (a.deleteAfterDownload()) out.append("delete_after_download = true\n");
            a.deleteAfterDays().ifPresent(d -> out.append("delete_after_days = ").append(d).append('\n'));
            out.append('\n').append('[').append(t).append(".outgoing]\n");
            server(out, a.outgoing());
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void server(StringBuilder out, ServerSettings s) {
        line(out, "host", s.host());
        out.append("port = ").append(s.port()).append('\n');
        line(out, "security", ServerSettings.key(s.security()));
        line(out, "user", s.user());
        s.certificateFile().ifPresent(f -> line(out, "certificate_file", f.toString()));
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append(" = ").append(quoted(value)).append('\n');
    }

    private static String bareOrQuoted(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : quoted(key);
    }

    /** A TOML basic string (TOML 1.0 "String"): quote, backslash and control characters escaped. */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /** Collects the problems of one file, each at its line. */
    private static final class Reader {
        final Path file;
        final List<String> problems = new ArrayList<>();
        /** Each table's header line, for the keys missing from it. */
        final Map<TomlTable, Integer> headerLines = new java.util.IdentityHashMap<>();

        Reader(Path file) {
            this.file = file;
        }

        void problem(TomlTable table, List<String> keyInTable, String shownKey, String what) {
            TomlPosition p = table.inputPositionOf(keyInTable);
            problems.add(file + ":" + (p == null ? "?" : p.line()) + ": " + shownKey + ": " + what);
        }

        Optional<Account> account(TomlTable all, String name) {
            String at = "account." + name;
            if (!(all.get(List.of(name)) instanceof TomlTable t)) {
                problem(all, List.of(name), at, "must be a table ([" + at + "])");
                return Optional.empty();
            }
            int before = problems.size();
            headerLines.put(t, lineOf(all, name));
            Optional<String> nameProblem = Account.nameProblem(name);
            nameProblem.ifPresent(p -> problem(all, List.of(name), at, p));
            for (String k : t.keySet()) {
                if (PASSWORD_KEYS.contains(k.toLowerCase(Locale.ROOT)))
                    problem(t, List.of(k), at + "." + k, "passwords are never kept in the accounts file: put it in a "
                            + "file only you can read and name it with password_file (chmod 600 FILE), or use "
                            + "password_command, or remove the key to be asked each time");
                else if (!ACCOUNT_KEYS.contains(k)) problem(t, List.of(k), at + "." + k, "unknown key");
            }
            Optional<String> address = string(t, "address", at, true, MAX_ADDRESS_LENGTH);
            address.ifPresent(a -> {
                if (a.indexOf('@') < 1 || a.indexOf('@') == a.length() - 1 || a.chars().anyMatch(c -> c <= ' '))
                    problem(t, List.of("address"), at + ".address", "not an email address: '" + a + "'");
            });
            PasswordSource password = password(t, at);
            Optional<TomlTable> in = table(t, "incoming", at, INCOMING_KEYS);
            Optional<TomlTable> outT = table(t, "outgoing", at, OUTGOING_KEYS);
            Protocol protocol = Protocol.IMAP;
            Optional<ServerSettings> incoming = Optional.empty(), outgoing = Optional.empty();
            boolean deleteAfterDownload = false;
            OptionalInt deleteAfterDays = OptionalInt.empty();
            if (in.isPresent()) {
                String inAt = at + ".incoming";
                Optional<String> p = string(in.get(), "protocol", inAt, false, 10);
                if (p.isPresent()) {
                    switch (p.get()) {
                        case "imap" -> protocol = Protocol.IMAP;
                        case "pop3" -> protocol = Protocol.POP3;
                        default -> problem(in.get(), List.of("protocol"), inAt + ".protocol",
                                "must be \"imap\" or \"pop3\", not \"" + p.get() + "\"");
                    }
                }
                incoming = server(in.get(), inAt, protocol.key(), address);
                Optional<Boolean> dad = bool(in.get(), "delete_after_download", inAt);
                OptionalInt days = integer(in.get(), "delete_after_days", inAt, 1, Account.MAX_DELETE_AFTER_DAYS);
                if ((dad.isPresent() || days.isPresent()) && protocol != Protocol.POP3) {
                    problem(in.get(), List.of(dad.isPresent() ? "delete_after_download" : "delete_after_days"),
                            inAt + "." + (dad.isPresent() ? "delete_after_download" : "delete_after_days"),
                            "only for POP3 accounts (an IMAP account deletes what you delete)");
                } else {
                    deleteAfterDownload = dad.orElse(false);
                    deleteAfterDays = days;
                    if (deleteAfterDownload && days.isPresent())
                        problem(in.get(), List.of("delete_after_days"), inAt + ".delete_after_days",
                                "give delete_after_download or delete_after_days, not both");
                }
            }
            if (outT.isPresent()) outgoing = server(outT.get(), at + ".outgoing", "smtp", address);
            if (problems.size() > before || address.isEmpty() || incoming.isEmpty() || outgoing.isEmpty())
                return Optional.empty();
            return Optional.of(new Account(name, address.get(), protocol, incoming.get(), outgoing.get(), password,
                    deleteAfterDownload, deleteAfterDays));
        }

        private PasswordSource password(TomlTable t, String at) {
            Optional<String> f = string(t, "password_file", at, false, 4096);
            Optional<String> c = string(t, "password_command", at, false, 4096);
            if (f.isPresent() && c.isPresent()) {
                problem(t, List.of("password_command"), at + ".password_command",
                        "give password_file or password_command, not both");
                return new PasswordSource.Prompt();
            }
            if (c.isPresent()) {
                if (c.get().isBlank()) {
                    problem(t, List.of("password_command"), at + ".password_command", "must not be empty");
                    return new PasswordSource.Prompt();
                }
                return new PasswordSource.Command(c.get());
            }
            if (f.isPresent()) {
                if (f.get().isBlank()) {
                    problem(t, List.of("password_file"), at + ".password_file", "must not be empty");
                    return new PasswordSource.Prompt();
                }
                return new PasswordSource.File(resolve(f.get()));
            }
            return new PasswordSource.Prompt();
        }

        /** {@code ~/x} is under the home directory; a relative path is relative to the accounts file. */
        private Path resolve(String path) {
            if (path.equals("~") || path.startsWith("~/"))
                return Path.of(System.getProperty("user.home")).resolve(path.substring(Math.min(2, path.length())));
            Path p = Path.of(path);
            Path dir = file.toAbsolutePath().getParent();
            return p.isAbsolute() || dir == null ? p : dir.resolve(p);
        }

        private Optional<TomlTable> table(TomlTable t, String key, String at, Set<String> allowed) {
            Object v = t.get(List.of(key));
            if (v == null) {
                problems.add(file + ":" + line(t) + ": " + at + "." + key + ": missing (add a [" + at + "." + key + "] table)");
                return Optional.empty();
            }
            if (!(v instanceof TomlTable sub)) {
                problem(t, List.of(key), at + "." + key, "must be a table ([" + at + "." + key + "])");
                return Optional.empty();
            }
            headerLines.put(sub, lineOf(t, key));
            for (String k : sub.keySet()) {
                if (PASSWORD_KEYS.contains(k.toLowerCase(Locale.ROOT)))
                    problem(sub, List.of(k), at + "." + key + "." + k, "passwords are never kept in the accounts file: "
                            + "set password_file (chmod 600 FILE) or password_command in [" + at + "], or neither to be asked");
                else if (!allowed.contains(k)) problem(sub, List.of(k), at + "." + key + "." + k, "unknown key");
            }
            return Optional.of(sub);
        }

        private String line(TomlTable t) {
            Integer line = headerLines.get(t);
            return line == null ? "?" : line.toString();
        }

        private static int lineOf(TomlTable parent, String key) {
            TomlPosition p = parent.inputPositionOf(List.of(key));
            return p == null ? 1 : p.line();
        }

        private Optional<ServerSettings> server(TomlTable t, String at, String service, Optional<String> address) {
            int before = problems.size();
            Optional<String> host = string(t, "host", at, true, MAX_HOST_LENGTH);
            host.ifPresent(h -> {
                if (h.isBlank() || h.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@'))
                    problem(t, List.of("host"), at + ".host", "not a host name: '" + h + "'");
            });
            Endpoint.Security security = Endpoint.Security.IMPLICIT_TLS;
            Optional<String> s = string(t, "security", at, false, 20);
            if (s.isPresent()) {
                Optional<Endpoint.Security> parsed = ServerSettings.security(s.get());
                if (parsed.isEmpty())
                    problem(t, List.of("security"), at + ".security",
                            "must be \"tls\", \"starttls\" or \"plaintext\", not \"" + s.get() + "\"");
                else security = parsed.get();
            }
            OptionalInt port = integer(t, "port", at, 1, 65535);
            Optional<String> user = string(t, "user", at, false, MAX_ADDRESS_LENGTH);
            Optional<String> certificates = string(t, "certificate_file", at, false, 4096);
            if (certificates.isPresent() && certificates.get().isBlank())
                problem(t, List.of("certificate_file"), at + ".certificate_file", "must not be empty");
            if (problems.size() > before || host.isEmpty()) return Optional.empty();
            String u = user.or(() -> address).orElse("");
            // checked when a connection needs it, not here: listing accounts or reading offline needs no certificate
            return Optional.of(new ServerSettings(host.get(), port.orElse(ServerSettings.defaultPort(service, security)),
                    security, u, certificates.map(this::resolve)));
        }

        private Optional<String> string(TomlTable t, String key, String at, boolean required, int maxLength) {
            Object v = t.get(List.of(key));
            if (v == null) {
                if (required)
                    problems.add(file + ":" + line(t) + ": " + at + "." + key + ": missing");
                return Optional.empty();
            }
            if (!(v instanceof String s)) {
                problem(t, List.of(key), at + "." + key, "must be a string in double quotes");
                return Optional.empty();
            }
            if (s.length() > maxLength) {
                problem(t, List.of(key), at + "." + key, "longer than " + maxLength + " characters");
                return Optional.empty();
            }
            if (required && s.isBlank()) {
                problem(t, List.of(key), at + "." + key, "must not be empty");
                return Optional.empty();
            }
            return Optional.of(s);
        }

        private Optional<Boolean> bool(TomlTable t, String key, String at) {
            Object v = t.get(List.of(key));
            if (v == null) return Optional.empty();
            if (!(v instanceof Boolean b)) {
                problem(t, List.of(key), at + "." + key, "must be true or false");
                return Optional.empty();
            }
            return Optional.of(b);
        }

        private OptionalInt integer(TomlTable t, String key, String at, int min, int max) {
            Object v = t.get(List.of(key));
            if (v == null) return OptionalInt.empty();
            if (!(v instanceof Long n)) {
                problem(t, List.of(key), at + "." + key, "must be a whole number");
                return OptionalInt.empty();
            }
            if (n < min || n > max) {
                problem(t, List.of(key), at + "." + key, "must be between " + min + " and " + max + ", not " + n);
                return OptionalInt.empty();
            }
            return OptionalInt.of(n.intValue());
        }
    }

    /** For tests and the commands: the accounts by name. */
    public static Map<String, Account> byName(List<Account> accounts) {
        var m = new java.util.LinkedHashMap<String, Account>();
        for (Account a : accounts) m.put(a.name(), a);
        return m;
    }
}
