package org.postern.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoadTest {
    @TempDir
    Path dir;

    private Path write(String toml) throws IOException {
        return Files.writeString(dir.resolve("postern.toml"), toml);
    }

    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }

    @Test
    void everyKeyIsRead() throws IOException {
        Path file = write("""
                hostname = "mail.example.org"
                data_dir = "data"

                [listeners]
                smtp = ["0.0.0.0:25", "[::1]:25"]
                submission = ["127.0.0.1:587"]
                submissions = []
                pop3 = ["192.0.2.1:110"]
                # pop3s absent: off
                imap = ["[2001:db8::1]:143"]
                imaps = ["0.0.0.0:993"]

                [tls]
                certificate = "/etc/ssl/mail.pem"
                key = "keys/mail.key"

                [dns]
                servers = ["192.0.2.53", "[2001:db8::53]:5353", "2001:db8::54", "198.51.100.1:5300"]

                [limits]
                max_message_size = "35 MiB"
                max_recipients = 200
                max_connections = 500
                max_connections_per_ip = 20
                max_bad_commands = 5
                max_auth_failures = 2

                [queue]
                retry = ["1m", "30m", "2h"]
                delay_warning = "6h"
                give_up = "3d"

                [security]
                allow_plaintext_auth = true
                relay_networks = ["127.0.0.0/8", "::1/128", "192.0.2.0/24"]
                """);
        Config expected = new Config("mail.example.org", dir.resolve("data"),
                Map.of(ListenerKind.SMTP, List.of(at("0.0.0.0", 25), at("::1", 25)),
                        ListenerKind.SUBMISSION, List.of(at("127.0.0.1", 587)),
                        ListenerKind.POP3, List.of(at("192.0.2.1", 110)),
                        ListenerKind.IMAP, List.of(at("2001:db8::1", 143)),
                        ListenerKind.IMAPS, List.of(at("0.0.0.0", 993))),
                new Config.Tls(Path.of("/etc/ssl/mail.pem"), dir.resolve("keys/mail.key")),
                new Config.Dns(List.of(at("192.0.2.53", 53), at("2001:db8::53", 5353), at("2001:db8::54", 53),
                        at("198.51.100.1", 5300))),
                new Config.Limits(35L << 20, 200, 500, 20, 5, 2),
                new Config.Queue(List.of(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofHours(2)),
                        Duration.ofHours(6), Duration.ofDays(3)),
                new Config.Security(true, List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"),
                        Cidr.parse("192.0.2.0/24"))));

        Config loaded = Config.load(file);

        assertThat(loaded).isEqualTo(expected);
        assertThat(loaded.listeners(ListenerKind.SUBMISSIONS)).isEmpty();
        assertThat(loaded.listeners(ListenerKind.POP3S)).isEmpty();
        assertThat(loaded.listeners()).containsOnlyKeys(ListenerKind.values());
    }

    @Test
    void anEmptyFileMeansDefaultsWithEveryListenerOff() throws IOException {
        Config loaded = Config.load(write(""));

        assertThat(loaded.hostname()).isEqualTo(Config.localHostname());
        assertThat(loaded.dataDir()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(loaded.listeners().values()).allMatch(List::isEmpty);
        assertThat(loaded.tls()).isEqualTo(Config.Tls.defaults(dir));
        assertThat(loaded.tls().certificate()).isEqualTo(dir.resolve("tls/cert.pem"));
        assertThat(loaded.tls().key()).isEqualTo(dir.resolve("tls/key.pem"));
        assertThat(loaded.dns().servers()).isEmpty();
        assertThat(loaded.limits()).isEqualTo(new Config.Limits(50L << 20, 1000, 1000, 50, 10, 3));
        assertThat(loaded.queue()).isEqualTo(new Config.Queue(
                List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15)),
                Duration.ofHours(4), Duration.ofDays(5)));
        assertThat(loaded.security().allowPlaintextAuth()).isFalse();
        assertThat(loaded.security().relayNetworks()).isEmpty();
        assertThat(loaded.security().mayRelayWithoutAuth(InetAddress.ofLiteral("127.0.0.1"))).isFalse();
    }

    @Test
    void relativePathsResolveAgainstTheConfigFilesDirectory() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("etc"));
        Path file = Files.writeString(sub.resolve("postern.toml"), """
                data_dir = "../var/mail"
                [tls]
                key = "secret/key.pem"
                """);

        Config loaded = Config.load(file);

        assertThat(loaded.dataDir()).isEqualTo(dir.resolve("var/mail").toAbsolutePath().normalize());
        assertThat(loaded.tls().key()).isEqualTo(sub.resolve("secret/key.pem").toAbsolutePath());
        assertThat(loaded.tls().certificate()).isEqualTo(dir.resolve("var/mail/tls/cert.pem").toAbsolutePath());
    }

    @Test
    void portZeroMayRepeatSinceEachIsADifferentFreePort() throws IOException {
        Config loaded = Config.load(write("[listeners]\nsmtp = [\"127.0.0.1:0\"]\nimap = [\"127.0.0.1:0\"]"));

        assertThat(loaded.listeners(ListenerKind.SMTP)).containsExactly(at("127.0.0.1", 0));
        assertThat(loaded.listeners(ListenerKind.IMAP)).containsExactly(at("127.0.0.1", 0));
    }

    @Test
    void anAbsentDataDirIsTheConfigFilesDirectory() throws IOException {
        assertThat(Config.load(write("hostname = \"mx.example.org\"")).dataDir()).isEqualTo(dir.toAbsolutePath());
    }

    @Test
    void eachKindOfMistakeIsReportedWithFileLineAndKey() throws IOException {
        record Case(String toml, String expected) {}
        for (var c : List.of(
                // wrong types
                new Case("[listeners]\nsmtp = 25", "postern.toml:2: listeners.smtp: expected a list of \"address:port\""
                        + " strings, found an integer (25)"),
                new Case("[listeners]\nsmtp = \"0.0.0.0:25\"", "postern.toml:2: listeners.smtp: expected a list of"
                        + " \"address:port\" strings, found the string \"0.0.0.0:25\" (write [\"0.0.0.0:25\"])"),
                new Case("\n\n[listeners]\nsmtp = [25]", "postern.toml:4: listeners.smtp: expected a list of"
                        + " \"address:port\" strings, found an integer (25) in it"),
                new Case("hostname = 7", "postern.toml:1: hostname: expected a string, found an integer (7)"),
                new Case("[security]\nallow_plaintext_auth = \"yes\"", "postern.toml:2: security.allow_plaintext_auth:"
                        + " expected true or false, found the string \"yes\""),
                new Case("[limits]\nmax_recipients = \"100\"", "postern.toml:2: limits.max_recipients: expected a whole"
                        + " number, found the string \"100\""),
                new Case("[limits]\nmax_message_size = 1.5", "postern.toml:2: limits.max_message_size: expected a size"
                        + " such as \"50MiB\" or a number of bytes, found a decimal number (1.5)"),
                new Case("[queue]\ndelay_warning = 4", "postern.toml:2: queue.delay_warning: expected a string,"
                        + " found an integer (4)"),
                new Case("x = 1\nlimits = 5", "postern.toml:2: limits: expected a table ([limits]), found an integer"),
                new Case("[hostname]\n", "postern.toml:1: hostname: expected a string, found a table"),
                // unknown keys
                new Case("[limits]\nmax_mesage_size = \"1MB\"", "postern.toml:2: limits.max_mesage_size: unknown key"
                        + " (did you mean max_message_size?)"),
                new Case("hostnme = \"a\"", "postern.toml:1: hostnme: unknown key (did you mean hostname?)"),
                new Case("[limts]\n", "postern.toml:1: limts: unknown table (did you mean limits?)"),
                new Case("[listeners]\nmax_recipients = 200", "postern.toml:2: listeners.max_recipients: unknown key"
                        + " (did you mean limits.max_recipients?)"),
                new Case("[tls]\nhostname = \"a\"", "postern.toml:2: tls.hostname: unknown key (did you mean hostname"
                        + " (at the top of the file, before any [table])?)"),
                new Case("[dns]\nfrobnicate = 1", "postern.toml:2: dns.frobnicate: unknown key"),
                new Case("[limits.sub]\nx = 1", "postern.toml:1: limits.sub: unknown table"),
                // addresses
                new Case("[listeners]\nimap = [\"0.0.0.0\"]", "postern.toml:2: listeners.imap: '0.0.0.0' has no port"),
                new Case("[listeners]\nimap = [\n  \"0.0.0.0:143\",\n  \"0.0.0.0:99999\",\n]",
                        "postern.toml:4: listeners.imap: '0.0.0.0:99999': port '99999' is not a number in 0..65535"),
                new Case("[listeners]\npop3 = [\"mail.example.org:110\"]", "postern.toml:2: listeners.pop3:"
                        + " 'mail.example.org' is not an IP address"),
                new Case("[listeners]\nsmtp = [\"0.0.0.0:25\"]\nsubmission = [\"0.0.0.0:25\"]", "postern.toml:3:"
                        + " listeners.submission: 0.0.0.0:25 is also in listeners.smtp"),
                new Case("[dns]\nservers = [\"resolver.example\"]", "postern.toml:2: dns.servers: 'resolver.example'"
                        + " is not an IP address"),
                new Case("hostname = \"mail_server\"", "postern.toml:1: hostname: 'mail_server' is not a host name"),
                // durations
                new Case("[queue]\ngive_up = \"5 days\"", "postern.toml:2: queue.give_up: '5 days' is not a duration"),
                new Case("[queue]\nretry = [\"5m\", \"0s\"]", "postern.toml:2: queue.retry: '0s' is zero"),
                new Case("[queue]\nretry = []", "postern.toml:2: queue.retry: expected at least one duration,"
                        + " found an empty list"),
                // sizes
                new Case("[limits]\nmax_message_size = \"50 MBytes\"", "postern.toml:2: limits.max_message_size:"
                        + " '50 MBytes' is not a size"),
                // networks
                new Case("[security]\nrelay_networks = [\"10.0.0.1/8\"]", "postern.toml:2: security.relay_networks:"
                        + " host bits are set in 10.0.0.1/8 (did you mean 10.0.0.0/8?)"),
                new Case("[security]\nrelay_networks = [\"10.0.0.0/33\"]", "postern.toml:2: security.relay_networks:"
                        + " prefix length 33 is outside 0..32"),
                // [relay]
                new Case("[relay]\nsmarthost = \"relay.example.net\"", "postern.toml:2: relay.smarthost: expected \"host:port\""),
                new Case("[relay]\nsmarthost = \"2001:db8::1:25\"", "relay.smarthost: an IPv6 address goes in brackets"),
                new Case("[relay]\nsmarthost = \"r.example:25\"\nsmarthost_user = \"u\"", "relay.smarthost_user:"
                        + " smarthost_user and smarthost_password_file go together"),
                new Case("[relay]\nsmarthost_user = \"u\"\nsmarthost_password_file = \"p\"", "relay.smarthost_user:"
                        + " a smarthost user needs a smarthost"),
                // paths
                new Case("data_dir = \"\"", "postern.toml:1: data_dir: expected a path, found an empty string"),
                // TOML syntax
                new Case("hostname = \"unterminated\n", "postern.toml:1:"),
                new Case("[limits]\nmax_recipients = = 5", "postern.toml:2:"),
                new Case("a = 1\na = 2", "postern.toml:2:"))) {
            Path file = write(c.toml());
            assertThatThrownBy(() -> Config.load(file)).as(c.toml())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(c.expected());
        }
    }

    @Test
    void theSmarthostSettingsAreRead() throws IOException {
        Path file = write("""
                [relay]
                smarthost = "[2001:db8::25]:587"
                smarthost_user = "postern@example.org"
                smarthost_password_file = "secrets/relay.pw"
                smarthost_require_tls = false
                """);

        Config.Relay relay = Config.load(file).relay();

        assertThat(relay.smarthost()).contains(new Config.Relay.Smarthost("2001:db8::25", 587));
        assertThat(relay.smarthost().orElseThrow()).hasToString("[2001:db8::25]:587");
        assertThat(relay.user()).contains("postern@example.org");
        assertThat(relay.passwordFile()).contains(file.getParent().resolve("secrets/relay.pw"));
        assertThat(relay.requireTls()).isFalse();
        assertThat(Config.load(write("[relay]\nsmarthost = \"\"")).relay()).isEqualTo(Config.Relay.DEFAULTS);
    }

    @Test
    void syntaxErrorsGiveLineColumnAndTheParsersWords() throws IOException {
        Path file = write("hostname = \"mail.example.org\"\n[limits\n");

        assertThatThrownBy(() -> Config.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageMatching("(?s).*postern\\.toml:2:\\d+: TOML syntax error: .+");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Path file = write("""
                hostnme = "x"
                [limits]
                max_recipients = 5
                [queue]
                give_up = "forever"
                """);

        assertThatThrownBy(() -> Config.load(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).contains(":1: hostnme: unknown key"),
                        p -> assertThat(p).contains(":3: limits.max_recipients: expected a whole number from 100"),
                        p -> assertThat(p).contains(":5: queue.give_up: 'forever' is not a duration")));
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.toml");
        assertThatThrownBy(() -> Config.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": config file does not exist");
    }

    @Test
    void limitsAreCheckedAtTheirBoundaries() throws IOException {
        record Case(String key, String value, boolean ok) {}
        for (var c : List.of(
                new Case("max_message_size", "\"64KiB\"", true),            // RFC 5321 §4.5.3.1.7: 64K octets
                new Case("max_message_size", "65535", false),
                new Case("max_message_size", "65536", true),
                new Case("max_recipients", "100", true),                    // RFC 5321 §4.5.3.1.8
                new Case("max_recipients", "99", false),
                new Case("max_connections", "1", true),
                new Case("max_connections", "0", false),
                new Case("max_connections", "2147483647", true),
                new Case("max_connections", "2147483648", false),
                new Case("max_connections_per_ip", "1", true),
                new Case("max_connections_per_ip", "0", false),
                new Case("max_bad_commands", "1", true),
                new Case("max_bad_commands", "0", false),
                new Case("max_auth_failures", "1", true),
                new Case("max_auth_failures", "-1", false))) {
            Path file = write("[limits]\n" + c.key() + " = " + c.value());
            if (c.ok()) {
                assertThat(Config.load(file).limits()).as(c.toString()).isNotNull();
            } else {
                assertThatThrownBy(() -> Config.load(file)).as(c.toString())
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("postern.toml:2: limits." + c.key() + ": expected");
            }
        }
        assertThat(Config.load(write("[limits]\nmax_message_size = \"64KiB\"")).limits().maxMessageSize())
                .isEqualTo(Config.Limits.MIN_MAX_MESSAGE_SIZE);
        assertThat(Config.load(write("[limits]\nmax_recipients = 100")).limits().maxRecipients())
                .isEqualTo(Config.Limits.MIN_MAX_RECIPIENTS);
    }
}
