package org.postern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.config.Config;
import org.postern.server.config.ListenerKind;
import org.postern.server.tls.TlsException;

class PosternServerTest {
    private static Config withOnly(Path dir, ListenerKind kind, boolean plaintextAuth) {
        Map<ListenerKind, List<InetSocketAddress>> listeners = new EnumMap<>(ListenerKind.class);
        for (ListenerKind k : ListenerKind.values()) listeners.put(k, List.of());
        listeners.put(kind, List.of(new InetSocketAddress("127.0.0.1", 0)));
        return Config.defaults(dir, false).withListeners(listeners)
                .withSecurity(new Config.Security(plaintextAuth, List.of()));
    }

    @Test
    void anImplicitTlsListenerWithoutACertificateIsRefusedWithASentenceEvenWhenPlaintextAuthIsAllowed(@TempDir Path dir) {
        // allow_plaintext_auth concerns AUTH before STARTTLS; port 465 is TLS from the first byte regardless
        assertThatThrownBy(() -> PosternServer.start(withOnly(dir, ListenerKind.SUBMISSIONS, true)))
                .isInstanceOf(TlsException.class).hasMessageContaining("no TLS certificate at");
    }

    @Test
    void submissionWithoutACertificateIsRefusedUnlessPlaintextAuthIsAllowed(@TempDir Path dir) {
        assertThatThrownBy(() -> PosternServer.start(withOnly(dir, ListenerKind.SUBMISSION, false)))
                .isInstanceOf(TlsException.class).hasMessageContaining("no TLS certificate at");
        try (PosternServer server = PosternServer.start(withOnly(dir, ListenerKind.SUBMISSION, true))) {
            assertThat(server.listeners()).hasSize(1);
        }
    }

    @Test
    void anMxListenerRunsWithoutACertificate(@TempDir Path dir) {
        try (PosternServer server = PosternServer.start(withOnly(dir, ListenerKind.SMTP, false))) {
            assertThat(server.listeners()).hasSize(1);
        }
    }

    @Test
    void pop3WithoutACertificateIsRefusedUnlessPlaintextLoginIsAllowedAndThenListens(@TempDir Path dir) {
        assertThatThrownBy(() -> PosternServer.start(withOnly(dir, ListenerKind.POP3, false)))
                .isInstanceOf(TlsException.class).hasMessageContaining("pop3");
        try (PosternServer server = PosternServer.start(withOnly(dir, ListenerKind.POP3, true))) {
            assertThat(server.listeners()).extracting(l -> l.name()).containsExactly("pop3");
        }
    }

    @Test
    void aPortInUseStopsTheStartAndLeavesNoOtherListenerBound(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int free;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                free = probe.getLocalPort();
            }
            Map<ListenerKind, List<InetSocketAddress>> listeners = new EnumMap<>(ListenerKind.class);
            for (ListenerKind k : ListenerKind.values()) listeners.put(k, List.of());
            listeners.put(ListenerKind.SMTP, List.of(new InetSocketAddress("127.0.0.1", free)));
            listeners.put(ListenerKind.POP3, List.of(new InetSocketAddress("127.0.0.1", taken.getLocalPort())));
            Config config = Config.defaults(dir, false).withListeners(listeners)
                    .withSecurity(new Config.Security(true, List.of()));
            assertThatThrownBy(() -> PosternServer.start(config)).hasMessageContaining("already in use")
                    .hasMessageContaining("listeners.pop3");
            try (java.net.ServerSocket again = new java.net.ServerSocket(free, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                assertThat(again.isBound()).as("the SMTP port opened before the failure was closed again").isTrue();
            }
        }
    }
}
