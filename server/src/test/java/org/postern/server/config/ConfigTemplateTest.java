package org.postern.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated postern.toml, the documentation and the production example agree with the code. */
class ConfigTemplateTest {
    private static final Path DOCS = Path.of("..", "docs");       // tests run in the server module directory

    @TempDir
    Path dir;

    @Test
    void theTemplateLoadsBackIntoExactlyTheDefaults() throws Exception {
        for (boolean privileged : new boolean[] {false, true}) {
            Config defaults = Config.defaults(dir, privileged);
            Path file = Files.writeString(dir.resolve("postern.toml"), ConfigTemplate.render(defaults, privileged));

            assertThat(Config.load(file)).as("privileged=" + privileged).isEqualTo(defaults);
        }
    }

    @Test
    void theTemplateListsEveryKey() {
        String text = ConfigTemplate.render(Config.defaults(dir, false), false);
        String table = "";
        var seen = new java.util.ArrayList<String>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("[")) table = line.substring(1, line.indexOf(']')) + ".";
            var m = java.util.regex.Pattern.compile("^(?:# )?([a-z_0-9]+) = ").matcher(line);
            if (m.find()) seen.add(table + m.group(1));
        }
        assertThat(seen).containsExactlyElementsOf(ConfigSchema.dottedKeys());
    }

    @Test
    void theTemplateUncommentedStillLoadsToTheDefaults() throws Exception {
        // An operator who removes every '# ' in front of a key gets the same server.
        Config defaults = Config.defaults(dir, false);
        String uncommented = ConfigTemplate.render(defaults, false).lines()
                .map(l -> l.matches("# [a-z_]+ = .*") ? l.substring(2) : l)
                .collect(java.util.stream.Collectors.joining("\n"));
        Path file = Files.writeString(dir.resolve("postern.toml"), uncommented);

        assertThat(Config.load(file)).isEqualTo(defaults);
    }

    @Test
    void firstStartUsesUnprivilegedPortsOnLoopbackOrStandardPortsEverywhere() {
        Config user = Config.defaults(dir, false);
        Config root = Config.defaults(dir, true);
        record Case(ListenerKind kind, int user, int root, boolean implicitTls) {}
        for (var c : List.of(
                new Case(ListenerKind.SMTP, 2525, 25, false),
                new Case(ListenerKind.SUBMISSION, 2587, 587, false),
                new Case(ListenerKind.SUBMISSIONS, 2465, 465, true),
                new Case(ListenerKind.POP3, 2110, 110, false),
                new Case(ListenerKind.POP3S, 2995, 995, true),
                new Case(ListenerKind.IMAP, 2143, 143, false),
                new Case(ListenerKind.IMAPS, 2993, 993, true))) {
            assertThat(user.listeners(c.kind()))
                    .containsExactly(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), c.user()));
            assertThat(root.listeners(c.kind()))
                    .containsExactly(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), c.root()));
            assertThat(c.kind().standardPort()).isEqualTo(c.root());
            assertThat(c.kind().unprivilegedPort()).isEqualTo(c.user());
            assertThat(c.kind().implicitTls()).as(c.kind().name()).isEqualTo(c.implicitTls());
            assertThat(ListenerKind.ofKey(c.kind().key())).contains(c.kind());
        }
        assertThat(user.dataDir()).isEqualTo(dir.toAbsolutePath());
        assertThat(user.tls()).isEqualTo(new Config.Tls(dir.resolve("tls/cert.pem"), dir.resolve("tls/key.pem")));
        assertThat(user.limits()).isEqualTo(Config.Limits.DEFAULTS);
        assertThat(user.queue().retryDelay(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(user.queue().retryDelay(2)).isEqualTo(Duration.ofMinutes(10));
        assertThat(user.queue().retryDelay(3)).isEqualTo(Duration.ofMinutes(15));
        assertThat(user.queue().retryDelay(40)).isEqualTo(Duration.ofMinutes(15));
        assertThat(user.security()).isEqualTo(new Config.Security(false, List.of()));
    }

    @Test
    void theProductionExampleLoadsWithTheStandardPortsOnAllAddresses() {
        Config example = Config.load(DOCS.resolve("postern.example.toml"));

        assertThat(example.hostname()).isEqualTo("mail.example.org");
        assertThat(example.dataDir()).isEqualTo(Path.of("/var/lib/postern"));
        for (ListenerKind kind : ListenerKind.values()) {
            assertThat(example.listeners(kind)).as(kind.key()).containsExactly(
                    new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), kind.standardPort()));
        }
        assertThat(example.tls().certificate())
                .isEqualTo(Path.of("/etc/letsencrypt/live/mail.example.org/fullchain.pem"));
        assertThat(example.security().allowPlaintextAuth()).isFalse();
        assertThat(example.limits()).isEqualTo(Config.Limits.DEFAULTS);
        assertThat(example.queue()).isEqualTo(Config.Queue.DEFAULTS);
    }

    @Test
    void theReferenceDocumentsEveryKey() throws Exception {
        String doc = Files.readString(DOCS.resolve("configuration.md"));
        for (String key : ConfigSchema.dottedKeys()) {
            assertThat(doc).as(key).contains("| `" + key + "` |");
        }
        for (ListenerKind kind : ListenerKind.values()) {
            assertThat(doc).contains("`127.0.0.1:" + kind.unprivilegedPort() + "`", "`0.0.0.0:" + kind.standardPort() + "`");
        }
    }
}
