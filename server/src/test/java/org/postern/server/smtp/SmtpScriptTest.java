package org.postern.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scripted conversations (STYLE.md "Scripted conversations"), from {@code src/test/resources/smtp/*.script}:
 * {@code C:} is sent with CRLF, {@code SEND:} is sent as is, {@code S:} is a regular expression the next reply
 * line must match whole, {@code STARTTLS} does the client handshake, {@code CLOSED} expects the server to have
 * closed, {@code LISTENER: mx|submission} picks the port (before the first line), {@code #} is a comment.
 * In C:/SEND: text, {@code \r \n \t \\} are escapes.
 */
class SmtpScriptTest {
    static final List<String> SCRIPTS = List.of("ehlo", "mx-delivery", "mx-refusals", "parameters", "submission",
            "bdat", "non-smtp", "smuggling", "line-too-long");

    static Stream<String> scripts() {
        return SCRIPTS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void scriptRunsAsWritten(String name, @TempDir Path dir) throws IOException {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/smtp/" + name + ".script")) {
            assertThat(in).as(name + ".script").isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (TestServer server = TestServer.start(dir)) {
            run(server, name, script);
        }
    }

    private static void run(TestServer server, String name, String script) throws IOException {
        RawClient c = null;
        int n = 0;
        try {
            for (String raw : script.split("\n")) {
                n++;
                String line = raw.stripTrailing();
                if (line.isBlank() || line.startsWith("#")) continue;
                String where = name + ".script:" + n + ": " + line;
                if (line.startsWith("LISTENER:")) {
                    assertThat(c).as(where + " (LISTENER must come first)").isNull();
                    c = switch (line.substring(9).strip()) {
                        case "mx" -> server.mxClient();
                        case "submission" -> server.submissionClient();
                        default -> throw new IllegalArgumentException(where);
                    };
                    continue;
                }
                if (c == null) c = server.mxClient();
                if (line.startsWith("C: ") || line.equals("C:")) {
                    c.send(unescape(line.substring(Math.min(3, line.length()))) + "\r\n");
                } else if (line.startsWith("SEND: ")) {
                    c.send(unescape(line.substring(6)));
                } else if (line.startsWith("S: ")) {
                    String got = c.readLine();
                    assertThat(got).as(where).isNotNull().matches(line.substring(3));
                } else if (line.equals("STARTTLS")) {
                    c.startTls();
                } else if (line.equals("CLOSED")) {
                    assertThat(c.closed()).as(where).isTrue();
                } else {
                    throw new IllegalArgumentException("bad script line " + where);
                }
            }
        } finally {
            if (c != null) c.close();
        }
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch != '\\' || i + 1 == s.length()) {
                sb.append(ch);
                continue;
            }
            char e = s.charAt(++i);
            sb.append(switch (e) {
                case 'r' -> '\r';
                case 'n' -> '\n';
                case 't' -> '\t';
                case '\\' -> '\\';
                default -> throw new IllegalArgumentException("bad escape \\" + e);
            });
        }
        return sb.toString();
    }
}
