package org.postern.client.pop3;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.net.Endpoint;
import org.postern.client.net.ProtocolException;
import org.postern.client.testing.TestPostern;
import org.postern.wire.smtp.client.TestCertificates;

/** Pop3Client against Postern's POP3 (STLS and implicit TLS) over real sockets. */
class Pop3ClientTest {
    private static final String USER = TestPostern.USER;
    private static final String DOTS = "From: bob@example.net\r\nSubject: dots\r\n\r\n.leading dot\r\n..two\r\n.\r\nend\r\n";

    @TempDir
    Path dir;
    TestPostern postern;

    @BeforeEach
    void start() {
        postern = TestPostern.start(dir);
    }

    @AfterEach
    void stop() {
        postern.close();
    }

    @Test
    void listsAndRetrievesOverStlsAndImplicitTlsWithDotsRestored() throws IOException {
        postern.deliver(USER, DOTS);
        postern.deliver(USER, "Subject: second\r\n\r\nHi.\r\n");
        byte[] first = postern.content(USER, "INBOX", 1);
        for (Endpoint e : List.of(postern.pop3(), postern.pop3s())) {
            try (Pop3Client c = Pop3Client.connect(e, TestPostern.TIMEOUT)) {
                assertThat(c.isTls()).isTrue();
                assertThat(c.capabilities()).contains("UIDL").doesNotContain("STLS");
                c.login(USER, TestPostern.PASSWORD.toCharArray(), false);
                List<Pop3Client.Listing> listing = c.listing();
                assertThat(listing).extracting(Pop3Client.Listing::number).containsExactly(1, 2);
                assertThat(listing.get(0).size()).isEqualTo(first.length);
                assertThat(listing.get(0).uid()).isNotEqualTo(listing.get(1).uid());
                List<byte[]> bodies = new ArrayList<>();
                c.retrieve(1, body -> bodies.add(body.readAllBytes()));
                assertThat(new String(bodies.getFirst(), US_ASCII)).isEqualTo(new String(first, US_ASCII));
                c.retrieve(2, body -> bodies.add(body.readNBytes(3)));      // reads only part
                c.retrieve(1, body -> bodies.add(body.readAllBytes()));      // still in step
                assertThat(bodies.get(2)).isEqualTo(first);
                c.quit();
            }
        }
    }

    @Test
    void streamsALargeMessage() throws Exception {
        postern.deliver(USER, TestPostern.largeMessage("big", 5L * 1024 * 1024));
        byte[] stored = postern.content(USER, "INBOX", 1);
        try (Pop3Client c = Pop3Client.connect(postern.pop3s(), TestPostern.TIMEOUT)) {
            c.login(USER, TestPostern.PASSWORD.toCharArray(), false);
            String[] digest = new String[1];
            c.retrieve(1, body -> {
                try {
                    MessageDigest d = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[8192];
                    for (int n; (n = body.read(buf)) > 0; ) d.update(buf, 0, n);
                    digest[0] = HexFormat.of().formatHex(d.digest());
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(digest[0]).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
        }
    }

    @Test
    void deletionsTakeEffectAtQuit() throws IOException {
        postern.deliver(USER, "Subject: one\r\n\r\n1\r\n");
        postern.deliver(USER, "Subject: two\r\n\r\n2\r\n");
        try (Pop3Client c = Pop3Client.connect(postern.pop3(), TestPostern.TIMEOUT)) {
            c.login(USER, TestPostern.PASSWORD.toCharArray(), false);
            c.delete(1);
            assertThat(postern.messages(USER, "INBOX")).as("not before QUIT").hasSize(2);
            assertThatThrownBy(() -> c.retrieve(1, b -> {})).isInstanceOf(ProtocolException.class).hasMessageContaining("RETR refused");
            c.quit();
        }
        assertThat(postern.messages(USER, "INBOX")).singleElement()
                .satisfies(m -> assertThat(new String(postern.content(USER, "INBOX", m.uid()), US_ASCII)).contains("Subject: two"));
    }

    @Test
    void refusesPlaintextPasswordsUntrustedCertificatesAndWrongPasswords() throws IOException {
        try (Pop3Client c = Pop3Client.connect(postern.endpoint("pop3", Endpoint.Security.PLAINTEXT), TestPostern.TIMEOUT)) {
            assertThat(c.capabilities()).contains("STLS");
            assertThatThrownBy(() -> c.login(USER, TestPostern.PASSWORD.toCharArray(), false))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("without TLS");
        }
        Endpoint untrusted = new Endpoint("127.0.0.1", postern.pop3().port(), Endpoint.Security.STARTTLS,
                Optional.of(TestCertificates.trustingOther()));
        assertThatThrownBy(() -> Pop3Client.connect(untrusted, TestPostern.TIMEOUT)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not trusted");
        try (Pop3Client c = Pop3Client.connect(postern.pop3(), TestPostern.TIMEOUT)) {
            assertThatThrownBy(() -> c.login(USER, "wrong".toCharArray(), false))
                    .isInstanceOf(org.postern.client.net.AuthenticationException.class)
                    .hasMessageContaining("refused").hasMessageNotContaining("wrong");
            assertThatThrownBy(() -> c.login(USER + "\r\nDELE 1", "x".toCharArray(), false))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
