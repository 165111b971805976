package org.postern.cli.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.account.AccountsFile;
import org.postern.client.account.PasswordSource;
import org.postern.client.account.Passwords;
import org.postern.client.account.Protocol;
import org.postern.client.account.ServerSettings;
import org.postern.client.net.Endpoint;
import org.postern.client.net.TrustedCertificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code postern client account add|list|remove}: the accounts file, without editing it by hand. */
@Command(name = "account", description = "Add, list and remove mail accounts (accounts.toml in the client home).")
final class AccountCommand {
    @ParentCommand
    ClientCommand client;

    @Command(name = "add", description = "Add an account. The password is never given here: --password-file "
            + "(mode 0600), --password-command, or neither to be asked when needed.")
    int add(@Parameters(paramLabel = "NAME", description = "a short name: letters, digits, '.', '-', '_'") String name,
            @Option(names = "--address", required = true, paramLabel = "ADDRESS", description = "your address (From:)") String address,
            @Option(names = "--protocol", paramLabel = "imap|pop3", defaultValue = "imap", description = "how mail is read (default imap)") String protocol,
            @Option(names = "--host", required = true, paramLabel = "HOST", description = "the IMAP or POP3 server") String host,
            @Option(names = "--port", paramLabel = "PORT", description = "default: 993/143 (IMAP), 995/110 (POP3)") Integer port,
            @Option(names = "--security", paramLabel = "tls|starttls|plaintext", defaultValue = "tls", description = "default tls") String security,
            @Option(names = "--user", paramLabel = "USER", description = "login name (default: the address)") String user,
            @Option(names = "--smtp-host", paramLabel = "HOST", description = "the submission server (default: --host)") String smtpHost,
            @Option(names = "--smtp-port", paramLabel = "PORT", description = "default: 465 (tls), 587 (starttls)") Integer smtpPort,
            @Option(names = "--smtp-security", paramLabel = "tls|starttls|plaintext", description = "default: as --security") String smtpSecurity,
            @Option(names = "--smtp-user", paramLabel = "USER", description = "default: as --user") String smtpUser,
            @Option(names = "--certificate-file", paramLabel = "PEM", description = "trust this certificate (a self-signed "
                    + "server's, e.g. a Postern server's data/tls/cert.pem) besides the usual authorities; the host name "
                    + "is still checked") Path certificateFile,
            @Option(names = "--smtp-certificate-file", paramLabel = "PEM", description = "default: as --certificate-file") Path smtpCertificateFile,
            @Option(names = "--password-file", paramLabel = "FILE", description = "a file only you can read holding the password") Path passwordFile,
            @Option(names = "--password-command", paramLabel = "COMMAND", description = "a command printing the password (sh -c)") String passwordCommand,
            @Option(names = "--delete-after-download", description = "POP3: delete from the server once downloaded") boolean deleteAfterDownload,
            @Option(names = "--delete-after-days", paramLabel = "DAYS", description = "POP3: delete from the server DAYS after download") Integer deleteAfterDays) {
        return client.run(ctx -> {
            Protocol proto = switch (protocol) {
                case "imap" -> Protocol.IMAP;
                case "pop3" -> Protocol.POP3;
                default -> throw new CliException("--protocol must be imap or pop3, not " + protocol);
            };
            Endpoint.Security in = security(security, "--security");
            Endpoint.Security out = smtpSecurity == null ? in : security(smtpSecurity, "--smtp-security");
            if (passwordFile != null && passwordCommand != null)
                throw new CliException("give --password-file or --password-command, not both");
            if (passwordCommand != null && passwordCommand.isBlank())
                throw new CliException("--password-command is empty: give a command that prints the password");
            PasswordSource source = passwordFile != null ? new PasswordSource.File(passwordFile.toAbsolutePath())
                    : passwordCommand != null ? new PasswordSource.Command(passwordCommand) : new PasswordSource.Prompt();
            // Refuse a readable-by-others or missing password file now, not at the first sync.
            if (source instanceof PasswordSource.File f) Passwords.fromFile(name, f.path()).wipe();
            if (proto != Protocol.POP3 && (deleteAfterDownload || deleteAfterDays != null))
                throw new CliException("--delete-after-download and --delete-after-days are for --protocol pop3");
            if (deleteAfterDownload && deleteAfterDays != null)
                throw new CliException("give --delete-after-download or --delete-after-days, not both");
            if (deleteAfterDays != null && (deleteAfterDays < 1 || deleteAfterDays > Account.MAX_DELETE_AFTER_DAYS))
                throw new CliException("--delete-after-days must be between 1 and " + Account.MAX_DELETE_AFTER_DAYS);
            Account.nameProblem(name).ifPresent(p -> { throw new CliException(p); });
            if (address.indexOf('@') < 1) throw new CliException("--address: not an email address: " + address);
            String login = user == null ? address : user;
            Optional<Path> inCerts = Optional.ofNullable(certificateFile).map(Path::toAbsolutePath);
            Optional<Path> outCerts = Optional.ofNullable(smtpCertificateFile).map(Path::toAbsolutePath).or(() -> inCerts);
            // A missing or wrong certificate file is refused now, not at the first sync.
            List<String> trusted = new ArrayList<>();
            for (Path f : java.util.stream.Stream.of(inCerts, outCerts).flatMap(Optional::stream).distinct().toList()) {
                try {
                    for (String subject : TrustedCertificates.subjects(f)) trusted.add(subject + " (" + f + ")");
                } catch (IOException e) {
                    throw new CliException(e.getMessage());
                }
            }
            Account account;
            try {
                account = new Account(name, address, proto,
                        new ServerSettings(host, port == null ? ServerSettings.defaultPort(proto.key(), in) : port, in, login,
                                inCerts),
                        new ServerSettings(smtpHost == null ? host : smtpHost,
                                smtpPort == null ? ServerSettings.defaultPort("smtp", out) : smtpPort, out,
                                smtpUser == null ? login : smtpUser, outCerts),
                        source, deleteAfterDownload, deleteAfterDays == null ? OptionalInt.empty() : OptionalInt.of(deleteAfterDays));
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            List<Account> all = new ArrayList<>(ctx.accounts());
            if (all.stream().anyMatch(a -> a.name().equals(name))) throw new CliException("account " + name + " exists already");
            all.add(account);
            AccountsFile.save(ctx.home.accountsFile(), all);
            ctx.out().println("added account " + name + " (" + address + ", " + proto.key() + " " + account.incoming() + ")");
            for (String t : trusted) ctx.out().println("trusting certificate " + t);
            return 0;
        });
    }

    private static Endpoint.Security security(String word, String option) {
        return ServerSettings.security(word).orElseThrow(
                () -> new CliException(option + " must be tls, starttls or plaintext, not " + word));
    }

    @Command(name = "list", description = "The accounts, the default (first) one marked with *.")
    int list(@Mixin JsonOption json) {
        return client.run(ctx -> {
            List<Account> all = ctx.accounts();
            if (json.printed(ctx, all, a -> Json.obj("name", a.name(), "address", a.address(), "protocol", a.protocol().key(),
                    "incoming", server(a.incoming()), "outgoing", server(a.outgoing()),
                    "password", switch (a.password()) {
                        case PasswordSource.File f -> "file";
                        case PasswordSource.Command c -> "command";
                        case PasswordSource.Prompt p -> "prompt";
                    },
                    "default", a == all.getFirst()))) return 0;
            for (Account a : all) {
                ctx.out().println((a == all.getFirst() ? "* " : "  ") + a.name() + "  " + a.address() + "  "
                        + a.protocol().key() + " " + a.incoming() + "  smtp " + a.outgoing());
            }
            if (all.isEmpty()) ctx.out().println("no accounts (postern client account add NAME ...)");
            return 0;
        });
    }

    private static Map<String, Object> server(ServerSettings s) {
        Map<String, Object> m = Json.obj("host", s.host(), "port", s.port(), "security", ServerSettings.key(s.security()),
                "user", s.user());
        s.certificateFile().ifPresent(f -> m.put("certificate_file", f.toString()));
        return m;
    }

    @Command(name = "remove", description = "Remove an account from accounts.toml. Its offline copy stays "
            + "(delete the directory by hand) unless --delete-local-copy.")
    int remove(@Parameters(paramLabel = "NAME") String name,
               @Option(names = "--delete-local-copy", description = "also delete the account's offline copy") boolean deleteCopy) {
        return client.run(ctx -> {
            List<Account> all = new ArrayList<>(ctx.accounts());
            if (!all.removeIf(a -> a.name().equals(name))) throw new CliException("no account " + name);
            AccountsFile.save(ctx.home.accountsFile(), all);
            Path copy = ctx.home.accountDir(name);
            if (deleteCopy) {
                deleteTree(copy);
                ctx.out().println("removed account " + name + " and its offline copy");
            } else {
                ctx.out().println("removed account " + name + (java.nio.file.Files.exists(copy)
                        ? " (its offline copy stays in " + copy + ")" : ""));
            }
            return 0;
        });
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!java.nio.file.Files.exists(dir)) return;
        try (var walk = java.nio.file.Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(p);
        }
    }
}
