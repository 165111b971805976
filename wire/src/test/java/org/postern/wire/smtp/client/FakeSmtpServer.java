package org.postern.wire.smtp.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.postern.wire.io.WireInput;

/**
 * A scriptable remote SMTP server for tests, modelled on OkHttp's MockWebServer: it listens on
 * 127.0.0.1, port 0, answers each stage (greeting, EHLO, HELO, STARTTLS, MAIL, RCPT per address, DATA, after the
 * final dot, RSET) with a configurable {@link Effect}, and records what it received: every command line
 * ({@link #commands()}) and every transaction that reached the end of its data ({@link #takeTransaction}), with
 * the exact bytes on the wire and the message after dot-unstuffing.
 *
 * <pre>{@code
 * try (var remote = FakeSmtpServer.start()) {
 *     remote.ehloKeywords("PIPELINING", "SIZE 1000000");
 *     remote.rcpt("gone@example.org", FakeSmtpServer.reply(550, "5.1.1 no such user"));
 *     remote.afterDot(FakeSmtpServer.CLOSE);               // connection dropped after the final dot
 *     ... connect a client to remote.address() ...
 *     FakeSmtpServer.Transaction t = remote.takeTransaction(Duration.ofSeconds(5)).orElseThrow();
 * }
 * }</pre>
 *
 * Configure before the client connects; settings apply to every connection. Data is read raw, ending only at
 * CRLF.CRLF, and unstuffed here independently of the production code.
 */
public final class FakeSmtpServer implements AutoCloseable {
    /** What the server does at a stage instead of its default reply. */
    public sealed interface Effect {}

    /** A reply: one line per element, {@code code-} on all but the last. */
    public record Reply(int code, List<String> lines) implements Effect {
        public Reply {
            lines = List.copyOf(lines);
        }
    }

    /** These bytes exactly (garbage, a reply without CRLF, injected data). */
    public record Raw(String text) implements Effect {}

    /** These bytes one at a time, {@code interval} apart (a slow-loris server). */
    public record Trickle(String text, Duration interval) implements Effect {}

    /** Close the connection instead of replying: at the greeting a close at connect, after the dot a drop after it. */
    public record Close() implements Effect {}

    /** Never answer: hold the connection until the server closes. */
    public record Stall() implements Effect {}

    /** Only for {@link #data}: answer 354, read {@code bytes} of the message, then close. */
    public record CloseMidData(int bytes) implements Effect {}

    /** Only for {@link #data}: answer 354 and then never read again (the client's writes back up). */
    public record StallMidData() implements Effect {}

    public static final Effect CLOSE = new Close();
    public static final Effect STALL = new Stall();

    public static Reply reply(int code, String... lines) {
        return new Reply(code, List.of(lines));
    }

    /**
     * One transaction that reached the end of its data.
     *
     * @param mail      the MAIL command line as received
     * @param rcpts     every RCPT command line as received, refused ones included
     * @param wire      the bytes between the 354 and the end, the terminating {@code .CRLF} included
     * @param body      the message after dot-unstuffing, without the terminator
     * @param pipelined more commands were already waiting when MAIL was read (sent in the same write)
     * @param tls       the transaction ran over TLS
     */
    public record Transaction(String mail, List<String> rcpts, byte[] wire, byte[] body, boolean pipelined, boolean tls) {
        public String bodyText() {
            return new String(body, UTF_8);
        }
    }

    private final ServerSocket listener;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Transaction> transactions = new LinkedBlockingQueue<>();
    private final Map<String, Effect> rcptEffects = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Effect greeting = reply(220, "fake.example ESMTP ready");
    private volatile List<String> ehloKeywords = List.of("PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES");
    private volatile Optional<Effect> ehlo = Optional.empty(), helo = Optional.empty();
    private volatile Effect startTls = reply(220, "2.0.0 ready to start TLS");
    private volatile Effect mail = reply(250, "2.1.0 sender ok");
    private volatile Effect rcpt = reply(250, "2.1.5 recipient ok");
    private volatile Effect data = reply(354, "end with <CRLF>.<CRLF>");
    private volatile Effect afterDot = reply(250, "2.0.0 queued as FAKE");
    private volatile Effect rset = reply(250, "2.0.0 reset");
    private volatile Optional<SSLContext> tls = Optional.empty();
    private volatile Optional<String[]> login = Optional.empty();
    private volatile String authMechanisms = "PLAIN LOGIN";

    private FakeSmtpServer(InetSocketAddress bind) throws IOException {
        listener = new ServerSocket();
        listener.bind(bind, 50);
        Thread.ofVirtual().name("fake-smtp-accept").start(this::acceptLoop);
    }

    public static FakeSmtpServer start() throws IOException {
        return new FakeSmtpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** On a given address and port (an MX host on another loopback address, port 0 for any). */
    public static FakeSmtpServer start(InetSocketAddress bind) throws IOException {
        return new FakeSmtpServer(bind);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    // --- configuration ---

    public FakeSmtpServer greeting(Effect e) { greeting = e; return this; }

    /** The keyword lines of the EHLO reply; STARTTLS and AUTH are added when {@link #tls}/{@link #login} are set. */
    public FakeSmtpServer ehloKeywords(String... keywords) { ehloKeywords = List.of(keywords); return this; }

    /** Replaces the whole EHLO reply (e.g. {@code reply(502, "5.5.1 no ESMTP here")} for the HELO fallback). */
    public FakeSmtpServer ehlo(Effect e) { ehlo = Optional.of(e); return this; }

    public FakeSmtpServer helo(Effect e) { helo = Optional.of(e); return this; }

    /** Offers STARTTLS with this server context (see {@link TestCertificates#server()}). */
    public FakeSmtpServer tls(SSLContext context) { tls = Optional.of(context); return this; }

    /** The reply to STARTTLS; TLS starts only after a reply with code 220. */
    public FakeSmtpServer startTls(Effect e) { startTls = e; return this; }

    /** Offers AUTH PLAIN LOGIN and accepts exactly this user and password. */
    public FakeSmtpServer login(String user, String password) { login = Optional.of(new String[] {user, password}); return this; }

    /** The mechanisms advertised after AUTH (default {@code PLAIN LOGIN}); both are always accepted. */
    public FakeSmtpServer authMechanisms(String mechanisms) { authMechanisms = mechanisms; return this; }

    public FakeSmtpServer mail(Effect e) { mail = e; return this; }

    /** The default for every RCPT. */
    public FakeSmtpServer rcpt(Effect e) { rcpt = e; return this; }

    /** The effect for one recipient address (as between the angle brackets). */
    public FakeSmtpServer rcpt(String address, Effect e) { rcptEffects.put(address, e); return this; }

    public FakeSmtpServer data(Effect e) { data = e; return this; }

    public FakeSmtpServer afterDot(Effect e) { afterDot = e; return this; }

    public FakeSmtpServer rset(Effect e) { rset = e; return this; }

    // --- what was received ---

    /** The next transaction that reached the end of its data, waiting up to {@code timeout}. */
    public Optional<Transaction> takeTransaction(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(transactions.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Every command line received, on all connections, in order. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** The verbs of {@link #commands()}, upper-case. */
    public List<String> verbs() {
        return commands.stream().map(c -> c.split(" ", 2)[0].toUpperCase(Locale.ROOT)).toList();
    }

    public int connectionCount() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        listener.close();
        for (Socket s : sockets) s.close();
    }

    // --- serving ---

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                sockets.add(s);
                connections.incrementAndGet();
                Thread.ofVirtual().name("fake-smtp-session").start(() -> {
                    try (s) {
                        new Session(s).run();
                    } catch (IOException | InterruptedException e) {
                        // the client went away or the server closed: the test looks at what was recorded
                    }
                });
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    private final class Session {
        private Socket socket;
        private WireInput in;
        private OutputStream out;
        private boolean secure;
        private String pendingMail;
        private boolean pipelined;
        private final List<String> rcpts = new ArrayList<>();

        Session(Socket socket) throws IOException {
            this.socket = socket;
            streams();
        }

        private void streams() throws IOException {
            out = socket.getOutputStream();
            in = new WireInput(socket.getInputStream(), 64 * 1024, () -> {});
        }

        void run() throws IOException, InterruptedException {
            if (!apply(greeting)) return;
            while (true) {
                String line;
                try {
                    line = in.readLine();
                } catch (EOFException e) {
                    return;
                }
                commands.add(line);
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                boolean go = switch (verb) {
                    case "EHLO" -> apply(ehlo.orElseGet(this::ehloReply));
                    case "HELO" -> apply(helo.orElse(reply(250, "fake.example")));
                    case "STARTTLS" -> startTls();
                    case "AUTH" -> auth(line);
                    case "MAIL" -> {
                        pendingMail = line;
                        pipelined = in.hasBuffered();
                        rcpts.clear();
                        yield apply(mail);
                    }
                    case "RCPT" -> {
                        rcpts.add(line);
                        yield apply(rcptEffects.getOrDefault(address(line), rcpt));
                    }
                    case "DATA" -> data();
                    case "RSET" -> {
                        pendingMail = null;
                        rcpts.clear();
                        yield apply(rset);
                    }
                    case "NOOP" -> apply(reply(250, "2.0.0 ok"));
                    case "QUIT" -> {
                        apply(reply(221, "2.0.0 bye"));
                        yield false;
                    }
                    default -> apply(reply(500, "5.5.1 unknown command"));
                };
                if (!go) return;
            }
        }

        private Reply ehloReply() {
            List<String> lines = new ArrayList<>();
            lines.add("fake.example greets you");
            lines.addAll(ehloKeywords);
            if (tls.isPresent() && !secure) lines.add("STARTTLS");
            if (login.isPresent()) lines.add("AUTH " + authMechanisms);
            return new Reply(250, lines);
        }

        /** Performs an effect; false when the session is over. */
        private boolean apply(Effect e) throws IOException, InterruptedException {
            switch (e) {
                case Reply r -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < r.lines().size(); i++) {
                        sb.append(r.code()).append(i == r.lines().size() - 1 ? " " : "-").append(r.lines().get(i)).append("\r\n");
                    }
                    out.write(sb.toString().getBytes(UTF_8));
                    out.flush();
                    return true;
                }
                case Raw r -> {
                    out.write(r.text().getBytes(UTF_8));
                    out.flush();
                    return true;
                }
                case Trickle t -> {
                    for (byte b : t.text().getBytes(UTF_8)) {
                        if (closed.await(t.interval().toMillis(), TimeUnit.MILLISECONDS)) return false;
                        out.write(b);
                        out.flush();
                    }
                    return true;
                }
                case Close _ -> {
                    return false;
                }
                case Stall _, StallMidData _ -> {
                    closed.await();
                    return false;
                }
                case CloseMidData _ -> throw new IllegalArgumentException("CloseMidData is only for DATA");
            }
        }

        private boolean startTls() throws IOException, InterruptedException {
            if (tls.isEmpty() || secure) return apply(reply(502, "5.5.1 no STARTTLS"));
            if (!apply(startTls)) return false;
            if (!(startTls instanceof Reply r && r.code() == 220)) return true;
            SSLSocket ssl = (SSLSocket) tls.get().getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            ssl.setUseClientMode(false);
            ssl.startHandshake();   // a failed handshake ends the session
            socket = ssl;
            secure = true;
            streams();
            return true;
        }

        private boolean auth(String line) throws IOException, InterruptedException {
            if (login.isEmpty()) return apply(reply(502, "5.5.1 no AUTH"));
            String[] parts = line.split(" ");
            String user, password;
            if (parts.length >= 2 && parts[1].equalsIgnoreCase("PLAIN")) {
                String response = parts.length > 2 ? parts[2] : prompt("");
                String[] fields = new String(Base64.getDecoder().decode(response), UTF_8).split("\0", -1);
                if (fields.length != 3) return apply(reply(501, "5.5.2 bad PLAIN"));
                user = fields[1];
                password = fields[2];
            } else if (parts.length >= 2 && parts[1].equalsIgnoreCase("LOGIN")) {
                user = decode(prompt("VXNlcm5hbWU6"));
                password = decode(prompt("UGFzc3dvcmQ6"));
            } else {
                return apply(reply(504, "5.5.4 mechanism not supported"));
            }
            boolean ok = user.equals(login.get()[0]) && password.equals(login.get()[1]);
            return apply(ok ? reply(235, "2.7.0 authenticated") : reply(535, "5.7.8 authentication failed"));
        }

        private String prompt(String challenge) throws IOException, InterruptedException {
            apply(reply(334, challenge));
            String response = in.readLine();
            commands.add(response);
            return response;
        }

        private static String decode(String b64) {
            return new String(Base64.getDecoder().decode(b64), UTF_8);
        }

        private boolean data() throws IOException, InterruptedException {
            Effect e = data;
            if (e instanceof CloseMidData(int bytes)) {
                apply(reply(354, "go ahead"));
                for (int i = 0; i < bytes && in.read() >= 0; i++) { /* read and drop */ }
                return false;
            }
            if (e instanceof StallMidData) apply(reply(354, "go ahead"));
            if (!apply(e)) return false;
            if (!(e instanceof Reply r && r.code() == 354)) return true;
            byte[] wire = readData();
            transactions.add(new Transaction(pendingMail, List.copyOf(rcpts), wire, unstuff(wire), pipelined, secure));
            pendingMail = null;
            rcpts.clear();
            return apply(afterDot);
        }

        /** Raw bytes up to and including the CRLF.CRLF's ".CRLF"; the data starts as if after a CRLF. */
        private byte[] readData() throws IOException {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            int state = 2;   // 0 in line, 1 after CR, 2 at line start, 3 after ".", 4 after ".CR"
            while (true) {
                int b = in.read();
                if (b < 0) throw new EOFException("closed in DATA");
                raw.write(b);
                state = switch (state) {
                    case 1 -> b == '\n' ? 2 : b == '\r' ? 1 : 0;
                    case 2 -> b == '.' ? 3 : b == '\r' ? 1 : 0;
                    case 3 -> b == '\r' ? 4 : 0;
                    case 4 -> {
                        if (b == '\n') yield -1;
                        yield b == '\r' ? 1 : 0;
                    }
                    default -> b == '\r' ? 1 : 0;
                };
                if (state == -1) return raw.toByteArray();
            }
        }
    }

    /** Drops the terminating ".CRLF" and the first dot of every line that starts with one (RFC 5321 §4.5.2). */
    static byte[] unstuff(byte[] wire) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int end = wire.length - 3;
        boolean lineStart = true;
        for (int i = 0; i < end; i++) {
            byte b = wire[i];
            if (lineStart && b == '.') {
                lineStart = false;
                continue;
            }
            body.write(b);
            lineStart = b == '\n' && i > 0 && wire[i - 1] == '\r';
        }
        return body.toByteArray();
    }

    private static String address(String rcptLine) {
        int lt = rcptLine.indexOf('<'), gt = rcptLine.indexOf('>');
        return lt >= 0 && gt > lt ? rcptLine.substring(lt + 1, gt) : rcptLine;
    }
}
