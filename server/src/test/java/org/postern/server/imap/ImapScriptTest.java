package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scripted IMAP conversations, several sessions at once, from {@code src/test/resources/imap/*.script}:
 * {@code OPEN n imap|imaps} connects session n (greeting not read), {@code Cn: text} sends text with CRLF,
 * {@code Sn: regex} is a regular expression the next response line of session n must match whole,
 * {@code STARTTLSn} does session n's client handshake (after its STARTTLS was answered), {@code CLOSEDn} expects
 * session n to have been closed, {@code DELIVER: subject} delivers a message to the test user over SMTP, and
 * {@code #} starts a comment. In C text, {@code \r \n \\} are escapes. Session numbers are one digit.
 */
class ImapScriptTest {
    static final List<String> SCRIPTS = List.of("login", "select-fetch-store", "two-sessions", "literals");
    private static final Pattern LINE = Pattern.compile("(OPEN|C|S|STARTTLS|CLOSED)([0-9])(?::? ?)(.*)");

    static Stream<String> scripts() {
        return SCRIPTS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void scriptRunsAsWritten(String name, @TempDir Path dir) throws IOException {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/imap/" + name + ".script")) {
            assertThat(in).as(name + ".script").isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<Integer, ImapClient> sessions = new HashMap<>();
        try (ImapTestServer server = ImapTestServer.start(dir)) {
            int n = 0;
            for (String raw : script.split("\n")) {
                n++;
                String line = raw.stripTrailing();
                if (line.isBlank() || line.startsWith("#")) continue;
                String where = name + ".script:" + n + ": " + line;
                if (line.startsWith("DELIVER: ")) {
                    server.deliver(ImapTestServer.USER, "From: alice@test.example\r\nSubject: " + line.substring(9)
                            + "\r\n\r\nbody\r\n");
                    continue;
                }
                Matcher m = LINE.matcher(line);
                assertThat(m.matches()).as(where).isTrue();
                int s = Integer.parseInt(m.group(2));
                String arg = m.group(3);
                switch (m.group(1)) {
                    case "OPEN" -> sessions.put(s, arg.equals("imaps") ? ImapClient.tls(server.imapsPort())
                            : new ImapClient(server.imapPort()));
                    case "C" -> session(sessions, s, where).send(unescape(arg) + "\r\n");
                    case "S" -> {
                        String got = session(sessions, s, where).line();
                        assertThat(got).as(where).isNotNull();
                        assertThat(got).as(where).matches(arg);
                    }
                    case "STARTTLS" -> session(sessions, s, where).handshake();
                    case "CLOSED" -> assertThat(session(sessions, s, where).closed()).as(where).isTrue();
                    default -> throw new IllegalArgumentException(where);
                }
            }
        } finally {
            for (ImapClient c : sessions.values()) c.close();
        }
    }

    private static ImapClient session(Map<Integer, ImapClient> sessions, int n, String where) {
        ImapClient c = sessions.get(n);
        assertThat(c).as(where + " (OPEN the session first)").isNotNull();
        return c;
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\\\", "\\");
    }
}
