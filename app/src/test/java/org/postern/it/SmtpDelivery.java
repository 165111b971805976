package org.postern.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Delivers test mail the way another MX does: one SMTP transaction on the MX port as a plain socket conversation. */
final class SmtpDelivery {
    private SmtpDelivery() {}

    /** Sends {@code message} (CRLF line ends, ending in CRLF) from {@code from} to {@code to}; dot-stuffs it here. */
    static void deliver(int port, String from, String to, String message) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            List<String> transcript = new ArrayList<>();
            expect(in, "220", transcript);
            for (String[] step : new String[][] {{"HELO client.interop.example", "250"}, {"MAIL FROM:<" + from + ">", "250"},
                    {"RCPT TO:<" + to + ">", "250"}, {"DATA", "354"}}) {
                out.write((step[0] + "\r\n").getBytes(UTF_8));
                out.flush();
                expect(in, step[1], transcript);
            }
            StringBuilder data = new StringBuilder();
            for (String line : message.substring(0, message.length() - 2).split("\r\n", -1))
                data.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
            out.write((data + ".\r\n").getBytes(UTF_8));
            out.flush();
            expect(in, "250", transcript);
            out.write("QUIT\r\n".getBytes(UTF_8));
            out.flush();
            expect(in, "221", transcript);
        }
    }

    /** Sends one command line and reads its reply; throws unless the reply has {@code code}. */
    static void command(OutputStream out, BufferedReader in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(UTF_8));
        out.flush();
        if (!replyHas(in, code)) throw new IOException("unexpected reply to " + line);
    }

    /** Reads a (multi-line) reply; true when it has the code. Throws when the connection ends. */
    static boolean replyHas(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) throw new IOException("connection closed");
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line.startsWith(code);
    }

    private static void expect(InputStream in, String code, List<String> transcript) throws IOException {
        while (true) {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') b.append((char) c);
            String line = b.toString().strip();
            transcript.add(line);
            if (!line.startsWith(code)) throw new AssertionError("expected " + code + ", SMTP conversation: " + transcript);
            if (line.length() < 4 || line.charAt(3) != '-') return;
        }
    }
}
