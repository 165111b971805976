package org.postern.server.pop3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.smtp.TestTls;
import org.postern.server.store.MessageMeta;

/**
 * Eclipse Angus Mail's POP3 provider as an independent client: "pop3" with STLS required (and AUTH PLAIN, the
 * only mechanism allowed to it), "pop3s" on the implicit-TLS port with USER/PASS (Angus calls it LOGIN).
 */
class AngusPop3Test {
    @TempDir
    Path dir;

    private static Store store(Pop3TestServer server, boolean implicitTls) throws Exception {
        String protocol = implicitTls ? "pop3s" : "pop3";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put(p + "host", "127.0.0.1");
        props.put(p + "port", String.valueOf(implicitTls ? server.pop3sPort() : server.pop3Port()));
        props.put(p + "ssl.socketFactory", TestTls.clientFactory());
        props.put(p + "ssl.checkserveridentity", "true");
        props.put(p + "connectiontimeout", "10000");
        props.put(p + "timeout", "10000");
        if (implicitTls) {
            props.put(p + "auth.mechanisms", "LOGIN");   // USER/PASS
        } else {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
            props.put(p + "auth.mechanisms", "PLAIN");   // RFC 5034 AUTH PLAIN, or no login at all
        }
        return Session.getInstance(props).getStore(protocol);
    }

    @Test
    void angusReadsTheInboxOverStlsWithAuthPlainAndGetsTheAttachmentByteExact() throws Exception {
        byte[] attachment = InteropMessages.attachment();
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            server.deliver(Pop3TestServer.USER, InteropMessages.plain("one"));
            server.deliver(Pop3TestServer.USER, InteropMessages.withAttachment("two", attachment));
            List<String> stored = server.inboxTexts(Pop3TestServer.USER);
            List<MessageMeta> metas = server.inbox(Pop3TestServer.USER);

            Store store = store(server, false);
            store.connect(Pop3TestServer.USER, Pop3TestServer.PASSWORD);
            try {
                POP3Folder inbox = (POP3Folder) store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessageCount()).isEqualTo(2);
                Message[] messages = inbox.getMessages();
                String uid1 = inbox.getUID(messages[0]), uid2 = inbox.getUID(messages[1]);
                assertThat(uid1).matches("[0-9]+\\.[0-9]+").endsWith("." + metas.get(0).uid());
                assertThat(uid2).matches("[0-9]+\\.[0-9]+").endsWith("." + metas.get(1).uid()).isNotEqualTo(uid1);
                assertThat(messages[0].getSubject()).isEqualTo("one");

                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                messages[1].writeTo(raw);
                assertThat(raw.toString(UTF_8)).as("the whole message as RETR sent it").isEqualTo(stored.get(1));

                MimeMultipart mp = (MimeMultipart) messages[1].getContent();
                assertThat(mp.getCount()).isEqualTo(2);
                assertThat(mp.getBodyPart(0).getContent()).isEqualTo("See the attachment.\r\n.a line starting with a dot\r\n..\r\n.");
                MimeBodyPart att = (MimeBodyPart) mp.getBodyPart(1);
                assertThat(att.getDisposition()).isEqualTo(Part.ATTACHMENT);
                assertThat(att.getFileName()).isEqualTo("data.bin");
                try (InputStream in = att.getInputStream()) {
                    assertThat(in.readAllBytes()).as("the attachment after base64 decoding").isEqualTo(attachment);
                }
                inbox.close(false);
            } finally {
                store.close();
            }
            assertThat(server.inbox(Pop3TestServer.USER)).hasSize(2);
        }
    }

    @Test
    void angusDeletesAMessageOverPop3sAndTheStoreNoLongerHasIt() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            server.deliver(Pop3TestServer.USER, InteropMessages.plain("one"));
            server.deliver(Pop3TestServer.USER, InteropMessages.withAttachment("two", InteropMessages.attachment()));
            server.deliver(Pop3TestServer.USER, InteropMessages.plain("three"));
            List<String> stored = server.inboxTexts(Pop3TestServer.USER);

            Store store = store(server, true);
            store.connect(Pop3TestServer.USER, Pop3TestServer.PASSWORD);
            String uid3;
            try {
                POP3Folder inbox = (POP3Folder) store.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                assertThat(inbox.getMessageCount()).isEqualTo(3);
                Message two = inbox.getMessage(2);
                assertThat(two.getSubject()).isEqualTo("two");
                two.setFlag(Flags.Flag.DELETED, true);
                uid3 = inbox.getUID(inbox.getMessage(3));
                inbox.close(true);   // DELE 2, QUIT
            } finally {
                store.close();
            }
            assertThat(server.inboxTexts(Pop3TestServer.USER)).containsExactly(stored.get(0), stored.get(2));

            Store again = store(server, true);
            again.connect(Pop3TestServer.USER, Pop3TestServer.PASSWORD);
            try {
                POP3Folder inbox = (POP3Folder) again.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessageCount()).isEqualTo(2);
                assertThat(inbox.getUID(inbox.getMessage(2))).as("message 3 is now number 2, with the same UID").isEqualTo(uid3);
                inbox.close(false);
            } finally {
                again.close();
            }
        }
    }

    @Test
    void angusGetsAnAuthenticationFailureForAWrongPasswordOnBothPorts() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            for (boolean implicitTls : new boolean[] {false, true}) {
                Store store = store(server, implicitTls);
                assertThatThrownBy(() -> store.connect(Pop3TestServer.USER, "wrong"))
                        .as(implicitTls ? "pop3s" : "pop3 + STLS").isInstanceOf(AuthenticationFailedException.class);
                assertThat(store.isConnected()).isFalse();
            }
        }
    }
}
