package org.postern.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eclipse Angus Mail as an independent client: STARTTLS + AUTH on submission, implicit TLS, concurrency. */
class AngusMailTest {
    private static Session session(int port, boolean implicitTls) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(port));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.ssl.socketFactory", TestTls.clientFactory());
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        if (implicitTls) {
            p.put("mail.smtp.ssl.enable", "true");
        } else {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        return Session.getInstance(p);
    }

    private static MimeMessage message(Session s, String from, String to, String subject, String body) throws MessagingException {
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject, "UTF-8");
        m.setText(body, "UTF-8");
        return m;
    }

    @Test
    void submitsOverStartTlsWithAuth(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Session s = session(server.submission.port(), false);
            String body = "Hello,\n.a line with a leading dot\n..\n.\nGrüße\n";
            Transport.send(message(s, TestServer.USER, TestServer.OTHER, "angus", body), TestServer.USER, TestServer.PASSWORD);
            String stored = server.inbox(TestServer.OTHER).getFirst();
            assertThat(stored).startsWith("Return-Path: <mjl@example.org>\r\n").contains(" with ESMTPSA id ")
                    .contains("Subject: angus").contains("Message-ID: <");
            assertThat(stored).contains("\r\n.a line with a leading dot\r\n..\r\n.\r\n");
        }
    }

    @Test
    void submitsOverImplicitTls(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Session s = session(server.submissions.port(), true);
            Transport.send(message(s, TestServer.USER, "someone@elsewhere.example", "out", "x"), TestServer.USER, TestServer.PASSWORD);
            assertThat(server.outbound()).singleElement().satisfies(o -> assertThat(o.recipients()).containsExactly("someone@elsewhere.example"));
        }
    }

    @Test
    void wrongPasswordAndForgedSenderAreRefused(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Session s = session(server.submission.port(), false);
            assertThatThrownBy(() -> Transport.send(message(s, TestServer.USER, TestServer.OTHER, "x", "x"), TestServer.USER, "wrong"))
                    .isInstanceOf(jakarta.mail.AuthenticationFailedException.class);
            assertThatThrownBy(() -> Transport.send(message(s, "ceo@example.org", TestServer.OTHER, "x", "x"), TestServer.USER, TestServer.PASSWORD))
                    .isInstanceOf(MessagingException.class).hasMessageContaining("553");
            assertThat(server.deliveries()).isZero();
        }
    }

    @Test
    void concurrentClientsAreAllDeliveredExactlyOnce(@TempDir Path dir) throws Exception {
        int clients = 8, perClient = 20;
        try (TestServer server = TestServer.start(dir)) {
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                threads.add(Thread.ofPlatform().start(() -> {
                    Session s = session(server.submission.port(), false);
                    try (Transport t = s.getTransport("smtp")) {
                        t.connect(TestServer.USER, TestServer.PASSWORD);
                        for (int i = 0; i < perClient; i++) {
                            MimeMessage m = message(s, TestServer.USER, TestServer.OTHER, "n " + client + "-" + i, "body " + client + "-" + i);
                            t.sendMessage(m, m.getAllRecipients());
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : threads) t.join(60_000);
            assertThat(failures).isEmpty();
            Map<String, Integer> seen = new HashMap<>();
            Pattern subject = Pattern.compile("Subject: n (\\d+-\\d+)\r\n");
            for (String m : server.inbox(TestServer.OTHER)) {
                Matcher matcher = subject.matcher(m);
                assertThat(matcher.find()).isTrue();
                seen.merge(matcher.group(1), 1, Integer::sum);
            }
            assertThat(seen).hasSize(clients * perClient);
            assertThat(seen.values()).allMatch(n -> n == 1);
        }
    }

}
