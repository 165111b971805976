package org.postern.client.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPosternTest {
    @Test
    void deliversToTheUsersInboxAndServesImapsWithTheTrustedCertificate(@TempDir Path dir) throws Exception {
        try (TestPostern postern = TestPostern.start(dir)) {
            postern.deliver(TestPostern.USER, "Subject: fixture\r\n\r\nHello.\r\n");
            assertThat(postern.messages(TestPostern.USER, "INBOX")).hasSize(1);
            assertThat(new String(postern.content(TestPostern.USER, "INBOX", 1), US_ASCII)).contains("Subject: fixture", "Hello.");

            var imaps = postern.imaps();
            try (SSLSocket s = (SSLSocket) postern.trust().getSocketFactory().createSocket(imaps.host(), imaps.port())) {
                var in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
                assertThat(in.readLine()).startsWith("* OK");
            }
        }
    }
}
