package org.postern.client.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.net.Endpoint.Security;

class AccountsFileTest {
    static final Path FILE = Path.of("/home/u/.local/share/postern-mail/accounts.toml");

    static final String WORK = """
            [account.work]
            address = "me@example.org"
            password_file = "/home/u/work.pw"

            [account.work.incoming]
            protocol = "imap"
            host = "mail.example.org"

            [account.work.outgoing]
            host = "smtp.example.org"
            security = "starttls"
            user = "me"
            """;

    @Test
    void readsAccountsWithDefaultsFromProtocolAndSecurity() {
        List<Account> all = AccountsFile.parse(FILE, WORK + """

                [account.pop]
                address = "p@example.net"
                password_command = "pass show mail/pop"
                [account.pop.incoming]
                protocol = "pop3"
                host = "pop.example.net"
                port = 1110
                security = "plaintext"
                delete_after_days = 7
                [account.pop.outgoing]
                host = "smtp.example.net"
                port = 2525
                security = "plaintext"
                """);

        assertThat(all).containsExactly(
                new Account("work", "me@example.org", Protocol.IMAP,
                        new ServerSettings("mail.example.org", 993, Security.IMPLICIT_TLS, "me@example.org"),
                        new ServerSettings("smtp.example.org", 587, Security.STARTTLS, "me"),
                        new PasswordSource.File(Path.of("/home/u/work.pw")), false, OptionalInt.empty()),
                new Account("pop", "p@example.net", Protocol.POP3,
                        new ServerSettings("pop.example.net", 1110, Security.PLAINTEXT, "p@example.net"),
                        new ServerSettings("smtp.example.net", 2525, Security.PLAINTEXT, "p@example.net"),
                        new PasswordSource.Command("pass show mail/pop"), false, OptionalInt.of(7)));
    }

    @Test
    void defaultPortsFollowRfc8314AndRfc6409() {
        record Case(String service, Security security, int port) {}
        for (Case c : List.of(new Case("imap", Security.IMPLICIT_TLS, 993), new Case("imap", Security.STARTTLS, 143),
                new Case("pop3", Security.IMPLICIT_TLS, 995), new Case("pop3", Security.PLAINTEXT, 110),
                new Case("smtp", Security.IMPLICIT_TLS, 465), new Case("smtp", Security.STARTTLS, 587))) {
            assertThat(ServerSettings.defaultPort(c.service(), c.security())).as(c.toString()).isEqualTo(c.port());
        }
    }

    @Test
    void relativePasswordFileIsUnderTheAccountsFileDirectoryAndNoSourceMeansPrompt() {
        List<Account> all = AccountsFile.parse(FILE, WORK.replace("/home/u/work.pw", "work.pw") + """
                [account.asked]
                address = "a@b.c"
                [account.asked.incoming]
                host = "h"
                [account.asked.outgoing]
                host = "h"
                """);
        assertThat(all.get(0).password()).isEqualTo(new PasswordSource.File(FILE.getParent().resolve("work.pw")));
        assertThat(all.get(1).password()).isEqualTo(new PasswordSource.Prompt());
    }

    @Test
    void certificateFileIsPerServerAndARelativeOneIsUnderTheAccountsFileDirectory() {
        List<Account> all = AccountsFile.parse(FILE, WORK.replace("host = \"mail.example.org\"",
                "host = \"mail.example.org\"\ncertificate_file = \"mail.pem\"").replace("user = \"me\"",
                "user = \"me\"\ncertificate_file = \"~/ca.pem\""));
        assertThat(all.get(0).incoming().certificateFile()).contains(FILE.getParent().resolve("mail.pem"));
        assertThat(all.get(0).outgoing().certificateFile()).contains(Path.of(System.getProperty("user.home"), "ca.pem"));
        assertThatThrownBy(() -> AccountsFile.parse(FILE, WORK.replace("host = \"mail.example.org\"",
                "host = \"mail.example.org\"\ncertificate_file = \" \"")))
                .isInstanceOf(AccountException.class)
                .hasMessage(FILE + ":8: account.work.incoming.certificate_file: must not be empty");
    }

    /** Each broken file gives exactly the one problem expected, at its line. */
    @Test
    void problemsNameFileLineAndKey() {
        record Case(String toml, String problem) {}
        String f = FILE.toString();
        for (Case c : List.of(
                new Case(WORK.replace("address = \"me@example.org\"", "address = \"me@example.org\"\npassword = \"hunter2\""),
                        f + ":3: account.work.password: passwords are never kept in the accounts file: put it in a file "
                                + "only you can read and name it with password_file (chmod 600 FILE), or use "
                                + "password_command, or remove the key to be asked each time"),
                new Case(WORK.replace("security = \"starttls\"", "security = \"ssl\""),
                        f + ":11: account.work.outgoing.security: must be \"tls\", \"starttls\" or \"plaintext\", not \"ssl\""),
                new Case(WORK.replace("protocol = \"imap\"", "protocol = \"jmap\""),
                        f + ":6: account.work.incoming.protocol: must be \"imap\" or \"pop3\", not \"jmap\""),
                new Case(WORK.replace("host = \"mail.example.org\"", "host = \"mail.example.org\"\nport = 0"),
                        f + ":8: account.work.incoming.port: must be between 1 and 65535, not 0"),
                new Case(WORK.replace("host = \"mail.example.org\"", "host = \"mail.example.org\"\nport = 65536"),
                        f + ":8: account.work.incoming.port: must be between 1 and 65535, not 65536"),
                new Case(WORK.replace("host = \"mail.example.org\"", "host = \"mail.example.org\"\nport = \"993\""),
                        f + ":8: account.work.incoming.port: must be a whole number"),
                new Case(WORK.replace("address = \"me@example.org\"", "address = \"me\""),
                        f + ":2: account.work.address: not an email address: 'me'"),
                new Case(WORK.replace("address = \"me@example.org\"\n", ""),
                        f + ":1: account.work.address: missing"),
                new Case(WORK.replace("host = \"smtp.example.org\"\n", ""),
                        f + ":9: account.work.outgoing.host: missing"),
                new Case(WORK.substring(0, WORK.indexOf("[account.work.outgoing]")),
                        f + ":1: account.work.outgoing: missing (add a [account.work.outgoing] table)"),
                new Case(WORK.replace("user = \"me\"", "usr = \"me\""),
                        f + ":12: account.work.outgoing.usr: unknown key"),
                new Case(WORK.replace("password_file = \"/home/u/work.pw\"",
                        "password_file = \"/home/u/work.pw\"\npassword_command = \"pass x\""),
                        f + ":4: account.work.password_command: give password_file or password_command, not both"),
                new Case(WORK.replace("protocol = \"imap\"", "protocol = \"imap\"\ndelete_after_download = true"),
                        f + ":7: account.work.incoming.delete_after_download: only for POP3 accounts (an IMAP account deletes what you delete)"),
                new Case(WORK.replace("protocol = \"imap\"", "protocol = \"pop3\"\ndelete_after_days = 3651"),
                        f + ":7: account.work.incoming.delete_after_days: must be between 1 and 3650, not 3651"),
                new Case(WORK.replace("protocol = \"imap\"", "protocol = \"pop3\"\ndelete_after_download = true\ndelete_after_days = 2"),
                        f + ":8: account.work.incoming.delete_after_days: give delete_after_download or delete_after_days, not both"),
                new Case(WORK.replace("[account.work", "[account.\".hidden\"").replace("account.work", "account.\".hidden\""),
                        f + ":1: account..hidden: account name '.hidden' may hold only letters, digits, '.', '-' and '_', and may not start with '.'"),
                new Case("[accounts.work]\naddress = \"a@b\"\n", f + ":1: accounts: unknown key (accounts are [account.NAME] tables)"),
                new Case(WORK.replace("host = \"mail.example.org\"", "host = mail.example.org"),
                        f + ":7:8: TOML syntax error: "))) {
            assertThatThrownBy(() -> AccountsFile.parse(FILE, c.toml()), c.problem())
                    .isInstanceOf(AccountException.class)
                    .satisfies(e -> assertThat(((AccountException) e).problems()).as(c.toml())
                            .singleElement().asString().startsWith(c.problem()));
        }
    }

    @Test
    void accountNameAtTheLengthLimitIsAcceptedAndOneMoreIsNot() {
        String ok = "a".repeat(Account.MAX_NAME_LENGTH);
        assertThat(AccountsFile.parse(FILE, WORK.replace("work", ok)).getFirst().name()).isEqualTo(ok);
        assertThatThrownBy(() -> AccountsFile.parse(FILE, WORK.replace("work", ok + "a")))
                .hasMessageContaining("account name longer than 64 characters");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String broken = WORK.replace("protocol = \"imap\"", "protocol = \"jmap\"").replace("user = \"me\"", "colour = \"red\"");
        assertThatThrownBy(() -> AccountsFile.parse(FILE, broken))
                .satisfies(e -> assertThat(((AccountException) e).problems()).hasSize(2));
    }

    @Test
    void savedFileReadsBackTheSameAccounts(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("home/accounts.toml");
        List<Account> accounts = List.of(
                new Account("work.mail", "me@example.org", Protocol.IMAP,
                        new ServerSettings("mail.example.org", 993, Security.IMPLICIT_TLS, "me\"q\\back"),
                        new ServerSettings("smtp.example.org", 587, Security.STARTTLS, "me"),
                        new PasswordSource.Command("pass show 'mail/work'"), false, OptionalInt.empty()),
                new Account("pop", "p@example.net", Protocol.POP3,
                        new ServerSettings("pop.example.net", 110, Security.PLAINTEXT, "p"),
                        new ServerSettings("smtp.example.net", 25, Security.PLAINTEXT, "p"),
                        new PasswordSource.Prompt(), true, OptionalInt.empty()),
                new Account("f", "f@example.net", Protocol.POP3,
                        new ServerSettings("pop.example.net", 110, Security.PLAINTEXT, "p"),
                        new ServerSettings("smtp.example.net", 25, Security.PLAINTEXT, "p"),
                        new PasswordSource.File(dir.resolve("f.pw")), false, OptionalInt.of(30)),
                new Account("self-signed", "s@example.net", Protocol.IMAP,
                        new ServerSettings("mail.example.net", 993, Security.IMPLICIT_TLS, "s",
                                Optional.of(dir.resolve("mail \"cert\".pem"))),
                        new ServerSettings("mail.example.net", 465, Security.IMPLICIT_TLS, "s",
                                Optional.of(dir.resolve("mail \"cert\".pem"))),
                        new PasswordSource.Prompt(), false, OptionalInt.empty()));

        AccountsFile.save(file, accounts);

        assertThat(AccountsFile.load(file)).isEqualTo(accounts);
        assertThat(Files.readString(file)).doesNotContain("password =");
    }

    @Test
    void missingFileHasNoAccountsAndNonUtf8IsRefused(@TempDir Path dir) throws IOException {
        assertThat(AccountsFile.load(dir.resolve("accounts.toml"))).isEmpty();
        Path bad = Files.write(dir.resolve("bad.toml"), new byte[] {'#', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> AccountsFile.load(bad)).hasMessage(bad + ": accounts file is not UTF-8 text (TOML files are UTF-8)");
    }

    @Test
    void clientHomeFollowsPosternClientHomeThenXdgThenHome() {
        record Case(java.util.Map<String, String> env, Path home) {}
        for (Case c : List.of(
                new Case(java.util.Map.of("POSTERN_CLIENT_HOME", "/p", "XDG_DATA_HOME", "/x", "HOME", "/h"), Path.of("/p")),
                new Case(java.util.Map.of("XDG_DATA_HOME", "/x", "HOME", "/h"), Path.of("/x/postern-mail")),
                new Case(java.util.Map.of("XDG_DATA_HOME", "", "HOME", "/h"), Path.of("/h/.local/share/postern-mail")),
                new Case(java.util.Map.of("XDG_DATA_HOME", "relative", "HOME", "/h"), Path.of("/h/.local/share/postern-mail")))) {
            assertThat(ClientHome.fromEnvironment(c.env()).dir()).as(c.env().toString()).isEqualTo(c.home());
        }
    }

    @Test
    void limitsAreAcceptedAtTheirValueAndRefusedOnePast(@TempDir Path dir) throws IOException {
        record Case(String from, String to, boolean ok, String problem) {}
        String host255 = "h".repeat(AccountsFile.MAX_HOST_LENGTH);
        String address320 = "a".repeat(AccountsFile.MAX_ADDRESS_LENGTH - "@example.org".length()) + "@example.org";
        for (Case c : List.of(
                new Case("host = \"mail.example.org\"", "host = \"" + host255 + "\"", true, ""),
                new Case("host = \"mail.example.org\"", "host = \"" + host255 + "h\"", false,
                        "account.work.incoming.host: longer than 255 characters"),
                new Case("address = \"me@example.org\"", "address = \"" + address320 + "\"", true, ""),
                new Case("address = \"me@example.org\"", "address = \"a" + address320 + "\"", false,
                        "account.work.address: longer than 320 characters"),
                new Case("protocol = \"imap\"", "protocol = \"pop3\"\ndelete_after_days = 3650", true, ""),
                new Case("protocol = \"imap\"", "protocol = \"pop3\"\ndelete_after_days = 1", true, ""),
                new Case("protocol = \"imap\"", "protocol = \"pop3\"\ndelete_after_days = 0", false,
                        "account.work.incoming.delete_after_days: must be between 1 and 3650, not 0"))) {
            String toml = WORK.replace(c.from(), c.to());
            if (c.ok()) assertThat(AccountsFile.parse(FILE, toml)).as(c.to()).hasSize(1);
            else assertThatThrownBy(() -> AccountsFile.parse(FILE, toml)).as(c.to()).hasMessageContaining(c.problem());
        }

        // The whole file: MAX_BYTES is read, one byte more is refused before it is parsed.
        Path file = dir.resolve("accounts.toml");
        String padded = WORK + "#" + "x".repeat((int) AccountsFile.MAX_BYTES - WORK.length() - 2) + "\n";
        Files.writeString(file, padded);
        assertThat(Files.size(file)).isEqualTo(AccountsFile.MAX_BYTES);
        assertThat(AccountsFile.load(file)).hasSize(1);
        Files.writeString(file, padded + "\n");
        assertThatThrownBy(() -> AccountsFile.load(file)).hasMessage(file + ": accounts file larger than 1048576 bytes; is it the right file?");
    }
}
