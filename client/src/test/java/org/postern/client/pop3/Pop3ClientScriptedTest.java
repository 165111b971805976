package org.postern.client.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.client.net.Endpoint;
import org.postern.client.net.ProtocolException;
import org.postern.client.testing.ScriptedServer;

/** Pop3Client against scripted servers: plain USER/PASS servers, injection, malformed and oversized answers. */
class Pop3ClientScriptedTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static ScriptedServer.Script loggedIn(String capa, ScriptedServer.Script rest) {
        return c -> {
            c.send("+OK POP3 ready\r\n");
            c.expect("CAPA");
            c.send(capa);
            c.expect("USER u");
            c.send("+OK\r\n");
            c.expect("PASS p w");
            c.send("+OK logged in\r\n");
            rest.run(c);
        };
    }

    @Test
    void usesUserAndPassWithoutSaslAndAcceptsAServerWithoutCapa() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(loggedIn("-ERR what is CAPA\r\n", c -> {
            c.expect("UIDL");
            c.send("+OK\r\n1 abc\r\n2 def\r\n.\r\n");
            c.expect("LIST");
            c.send("+OK 2 messages\r\n1 120\r\n2 300\r\n.\r\n");
            c.expect("QUIT");
            c.send("+OK bye\r\n");
        }))) {
            try (Pop3Client client = Pop3Client.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                assertThat(client.capabilities()).isEmpty();
                client.login("u", "p w".toCharArray(), true);
                assertThat(client.listing()).containsExactly(new Pop3Client.Listing(1, "abc", 120),
                        new Pop3Client.Listing(2, "def", 300));
                client.quit();
            }
            assertThat(server.failure()).isEmpty();
        }
    }

    @Test
    void refusesMalformedListings() throws Exception {
        record Case(String uidl, String list, String message) {}
        String longUid = "u".repeat(Pop3ClientLimits.MAX_UID_CHARS + 1);
        String okUid = "u".repeat(Pop3ClientLimits.MAX_UID_CHARS);
        for (Case k : List.of(
                new Case("1 a b\r\n", "", "malformed UIDL"),
                new Case("x abc\r\n", "", "malformed UIDL"),
                new Case("1 " + longUid + "\r\n", "", "unique-id not 1-70"),
                new Case("1 abc\r\n", "1 many\r\n", "malformed LIST"),
                new Case("1 abc\r\n", "2 10\r\n", "in LIST but not in UIDL"),
                new Case("1 " + okUid + "\r\n", "1 10\r\n", ""))) {
            try (ScriptedServer server = ScriptedServer.start(loggedIn("+OK\r\nUIDL\r\n.\r\n", c -> {
                c.expect("UIDL");
                c.send("+OK\r\n" + k.uidl() + ".\r\n");
                if (!k.list().isEmpty()) {
                    c.expect("LIST");
                    c.send("+OK\r\n" + k.list() + ".\r\n");
                }
                c.awaitClose();
            }))) {
                try (Pop3Client client = Pop3Client.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                    client.login("u", "p w".toCharArray(), true);
                    if (k.message().isEmpty()) {
                        assertThat(client.listing()).singleElement().satisfies(l -> assertThat(l.uid()).isEqualTo(okUid));
                    } else {
                        assertThatThrownBy(client::listing).as(k.uidl() + k.list()).isInstanceOf(ProtocolException.class)
                                .hasMessageContaining(k.message());
                    }
                }
            }
        }
    }

    @Test
    void aLineIsAcceptedAtTheLimitAndRefusedOnePastIt() throws Exception {
        int max = Pop3ClientLimits.MAX_LINE_BYTES;
        for (int length : List.of(max, max + 1)) {
            try (ScriptedServer server = ScriptedServer.start(c -> {
                c.send("+OK" + " ".repeat(length - 3) + "\r\n");
                c.expect("CAPA");
                c.send("-ERR\r\n");
                c.awaitClose();
            })) {
                if (length == max) {
                    try (Pop3Client client = Pop3Client.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                        assertThat(client.capabilities()).isEmpty();
                    }
                } else {
                    assertThatThrownBy(() -> Pop3Client.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT))
                            .isInstanceOf(ProtocolException.class).hasMessageContaining("longer than " + max);
                }
            }
        }
    }

    @Test
    void aListingIsAcceptedAtItsLineLimitAndRefusedOnePastIt() throws Exception {
        int max = Pop3ClientLimits.MAX_LISTING_LINES;
        for (int lines : List.of(max, max + 1)) {
            try (ScriptedServer server = ScriptedServer.start(c -> {
                c.send("+OK ready\r\n");
                c.expect("CAPA");
                c.send("+OK\r\n" + "X\r\n".repeat(lines) + ".\r\n");
                c.awaitClose();
            })) {
                if (lines == max) {
                    try (Pop3Client client = Pop3Client.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                        assertThat(client.capabilities()).containsExactly("X");
                    }
                } else {
                    assertThatThrownBy(() -> Pop3Client.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT))
                            .isInstanceOf(ProtocolException.class).hasMessageContaining("more than " + max + " lines");
                }
            }
        }
    }

    @Test
    void stlsIsRequiredAndDataInjectedBehindItsAnswerIsRefused() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send("+OK ready\r\n");
            c.expect("CAPA");
            c.send("+OK\r\nUSER\r\n.\r\n");
            c.awaitClose();
        })) {
            assertThatThrownBy(() -> Pop3Client.connect(server.endpoint(Endpoint.Security.STARTTLS), TIMEOUT))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("does not offer STLS");
        }
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send("+OK ready\r\n");
            c.expect("CAPA");
            c.send("+OK\r\nSTLS\r\n.\r\n");
            c.expect("STLS");
            c.send("+OK go\r\n+OK injected\r\n");
            c.awaitClose();
        })) {
            assertThatThrownBy(() -> Pop3Client.connect(server.endpoint(Endpoint.Security.STARTTLS), TIMEOUT))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("injection");
        }
        try (ScriptedServer server = ScriptedServer.start(c -> {
            c.send("-ERR go away\r\n");
            c.awaitClose();
        })) {
            assertThatThrownBy(() -> Pop3Client.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("go away");
        }
    }

    @Test
    void aConsumerFailureEndsTheConnection() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(loggedIn("-ERR\r\n", c -> {
            c.expect("RETR 1");
            c.send("+OK\r\nline\r\n.\r\n");
            c.awaitClose();
        }))) {
            try (Pop3Client client = Pop3Client.connect(server.endpoint(Endpoint.Security.PLAINTEXT), TIMEOUT)) {
                client.login("u", "p w".toCharArray(), true);
                assertThatThrownBy(() -> client.retrieve(1, body -> {
                    throw new IOException("disk full");
                })).hasMessage("disk full");
                assertThatThrownBy(() -> client.delete(1)).isInstanceOf(ProtocolException.class).hasMessageContaining("earlier error");
            }
        }
    }
}
