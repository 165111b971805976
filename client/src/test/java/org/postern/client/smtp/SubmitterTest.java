package org.postern.client.smtp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.net.Endpoint;
import org.postern.client.testing.TestPostern;
import org.postern.wire.smtp.client.TestCertificates;

/** Submitter against Postern's submission (STARTTLS + AUTH) and submissions (implicit TLS) ports. */
class SubmitterTest {
    private static final String USER = TestPostern.USER, BOB = "bob@example.org";

    @TempDir
    Path dir;
    TestPostern postern;
    Path message;

    @BeforeEach
    void start() throws IOException {
        postern = TestPostern.start(dir.resolve("server"));
        postern.addUser(BOB, "bob-pw");
        message = dir.resolve("out.eml");
        Files.writeString(message, "From: " + USER + "\r\nTo: " + BOB + "\r\nSubject: submitted\r\nMessage-ID: <s1@example.org>\r\n"
                + "\r\nHello Bob.\r\n.leading dot\r\n", US_ASCII);
    }

    @AfterEach
    void stop() {
        postern.close();
    }

    private void send(Endpoint e, String password, List<String> to) throws IOException {
        Submitter.send(e, USER, password.toCharArray(), false, TestPostern.TIMEOUT, USER, to, message);
    }

    @Test
    void submitsOverStartTlsWithAuthAndTheMessageIsDelivered() throws IOException {
        send(postern.submission(), TestPostern.PASSWORD, List.of(BOB));
        assertThat(postern.messages(BOB, "INBOX")).singleElement().satisfies(m ->
                assertThat(new String(postern.content(BOB, "INBOX", m.uid()), US_ASCII))
                        .contains("Subject: submitted", "Hello Bob.\r\n.leading dot\r\n"));
    }

    @Test
    void submitsOverImplicitTls() throws IOException {
        send(postern.submissions(), TestPostern.PASSWORD, List.of(BOB, USER));
        assertThat(postern.messages(BOB, "INBOX")).hasSize(1);
        assertThat(postern.messages(USER, "INBOX")).hasSize(1);
    }

    @Test
    void submitsAnEightBitMessage() throws IOException {
        Files.writeString(message, "From: " + USER + "\r\nTo: " + BOB + "\r\nSubject: =?UTF-8?Q?gr=C3=BC=C3=9Fe?=\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Grüße aus Köln.\r\n", UTF_8);
        send(postern.submission(), TestPostern.PASSWORD, List.of(BOB));
        assertThat(postern.messages(BOB, "INBOX")).singleElement().satisfies(m ->
                assertThat(new String(postern.content(BOB, "INBOX", m.uid()), UTF_8)).contains("Grüße aus Köln."));
    }

    @Test
    void aRefusedRecipientIsReportedPermanentlyWithTheOnesAccepted() {
        assertThatThrownBy(() -> send(postern.submission(), TestPostern.PASSWORD, List.of(BOB, "nobody@example.org")))
                .isInstanceOfSatisfying(SubmissionException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.accepted()).containsExactly(BOB);
                    assertThat(e.refused()).containsOnlyKeys("nobody@example.org");
                    assertThat(e.refused().get("nobody@example.org")).startsWith("5");
                    assertThat(e.getMessage()).contains("accepted the message for " + BOB, "refused nobody@example.org (5");
                });
        assertThat(postern.messages(BOB, "INBOX")).as("the accepted recipient got it").hasSize(1);
    }

    @Test
    void aWrongPasswordFailsWithAClearMessage() {
        assertThatThrownBy(() -> send(postern.submission(), "wrong", List.of(BOB)))
                .isInstanceOf(org.postern.client.net.AuthenticationException.class).hasMessageContaining("authentication")
                .hasMessageNotContaining("wrong");
        assertThat(postern.messages(BOB, "INBOX")).isEmpty();
    }

    @Test
    void anUntrustedCertificateStopsTheSubmissionBeforeThePasswordIsSent() {
        for (Endpoint e : List.of(postern.submission(), postern.submissions())) {
            Endpoint untrusted = new Endpoint(e.host(), e.port(), e.security(), Optional.of(TestCertificates.trustingOther()));
            assertThatThrownBy(() -> send(untrusted, TestPostern.PASSWORD, List.of(BOB)))
                    .isInstanceOfSatisfying(SubmissionException.class, x -> assertThat(x.permanent()).isFalse())
                    .hasMessageContaining("TLS handshake");
        }
        assertThat(postern.messages(BOB, "INBOX")).isEmpty();
    }

    @Test
    void refusesPlaintextUnlessAllowedAndBadAddressesBeforeConnecting() {
        Endpoint plain = postern.endpoint("smtp-submission", Endpoint.Security.PLAINTEXT);
        assertThatThrownBy(() -> send(plain, TestPostern.PASSWORD, List.of(BOB))).isInstanceOf(SubmissionException.class)
                .hasMessageContaining("without TLS");
        assertThatThrownBy(() -> send(postern.submission(), TestPostern.PASSWORD, List.of("not an address")))
                .isInstanceOfSatisfying(SubmissionException.class, x -> assertThat(x.permanent()).isTrue())
                .hasMessageContaining("not an email address");
        assertThatThrownBy(() -> send(postern.submission(), TestPostern.PASSWORD, List.of()))
                .isInstanceOf(SubmissionException.class).hasMessageContaining("no recipients");
    }
}
