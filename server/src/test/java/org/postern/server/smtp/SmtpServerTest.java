package org.postern.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.config.Cidr;
import org.postern.server.config.Config;
import org.postern.server.config.ListenerKind;
import org.postern.server.directory.sqlite.SqliteDirectory;
import org.postern.server.store.sqlite.SqliteMailStore;
import org.postern.server.net.Listener;
import org.postern.server.net.ListenerException;

/** Starting and stopping the server from the configuration. */
class SmtpServerTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    private static Config config(Path dir, Map<ListenerKind, List<InetSocketAddress>> listeners) {
        return Config.defaults(dir, false).withHostname("mx.example.org").withListeners(listeners)
                .withLimits(new Config.Limits(1 << 20, 200, 30, 3, 7, 2))
                .withSecurity(new Config.Security(true, List.of(Cidr.parse("192.0.2.0/24"))));
    }

    private SqliteMailStore store;
    private SqliteDirectory directory;

    @org.junit.jupiter.api.AfterEach
    void closeStore() {
        if (store != null) store.close();
        if (directory != null) directory.close();
    }

    private SmtpServer server(Path dir, Config config, boolean tls) {
        store = SqliteMailStore.open(dir);
        directory = SqliteDirectory.open(dir);
        return new SmtpServer(SmtpSettings.from(config), new SmtpServer.Services(store, directory,
                tls ? Optional.of(TestTls.server()) : Optional.empty(), Clock.systemUTC(), new org.postern.server.net.AuthThrottle(java.time.Clock.systemUTC())));
    }

    @Test
    void settingsComeFromTheConfiguration(@TempDir Path dir) {
        SmtpSettings s = SmtpSettings.from(config(dir, Map.of()));
        assertThat(s.hostname()).isEqualTo("mx.example.org");
        assertThat(s.maxMessageBytes()).isEqualTo(1 << 20);
        assertThat(s.maxRecipients()).isEqualTo(200);
        assertThat(s.maxConnections()).isEqualTo(30);
        assertThat(s.maxConnectionsPerIp()).isEqualTo(3);
        assertThat(s.maxBadCommands()).isEqualTo(7);
        assertThat(s.maxAuthFailures()).isEqualTo(2);
        assertThat(s.allowPlaintextAuth()).isTrue();
        assertThat(s.relayNetworks()).containsExactly(Cidr.parse("192.0.2.0/24"));
        assertThat(SmtpSettings.defaults("x.example").relayNetworks()).as("loopback is not trusted by default").isEmpty();
        assertThat(SmtpSettings.defaults("x.example").allowPlaintextAuth()).isFalse();
    }

    @Test
    void listenOpensEverySmtpListenerOfTheConfigurationAndCloseStopsThem(@TempDir Path dir) throws IOException {
        Config c = config(dir, Map.of(ListenerKind.SMTP, List.of(ANY, ANY), ListenerKind.SUBMISSIONS, List.of(ANY),
                ListenerKind.IMAP, List.of(ANY)));
        SmtpServer smtp = server(dir, c, true);
        List<Listener> opened = smtp.listen(c);
        assertThat(opened).extracting(Listener::name).containsExactlyInAnyOrder("smtp-mx", "smtp-mx", "smtp-submissions");
        try (RawClient client = new RawClient(opened.getFirst().port())) {
            client.greeting();
        }
        smtp.close();
        assertThat(smtp.listeners()).isEmpty();
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", opened.getFirst().port())).isInstanceOf(IOException.class);
    }

    @Test
    void aPortInUseClosesWhatWasOpenedAndNamesTheSetting(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            InetSocketAddress busy = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            Config c = config(dir, Map.of(ListenerKind.SMTP, List.of(ANY), ListenerKind.SUBMISSION, List.of(busy)));
            SmtpServer smtp = server(dir, c, true);
            assertThatThrownBy(() -> smtp.listen(c)).isInstanceOf(ListenerException.class)
                    .hasMessage("port " + busy.getPort() + " on 127.0.0.1 is already in use by another program: "
                            + "stop it or change listeners.submission in postern.toml");
            assertThat(smtp.listeners()).isEmpty();
        }
    }

    @Test
    void submissionListenersNeedTls(@TempDir Path dir) {
        Config c = config(dir, Map.of()).withSecurity(Config.Security.DEFAULTS);
        SmtpServer smtp = server(dir, c, false);
        assertThatThrownBy(() -> smtp.listen(org.postern.server.smtp.ListenerKind.SUBMISSIONS, ANY))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TLS certificate");
        assertThatThrownBy(() -> smtp.listen(org.postern.server.smtp.ListenerKind.SUBMISSION, ANY))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TLS certificate");
        Listener mx = smtp.listen(org.postern.server.smtp.ListenerKind.MX, ANY);   // MX works without TLS
        assertThat(mx.port()).isPositive();
        smtp.close();
    }
}
