package org.postern.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs Postern the way a person does: through the {@code ./postern} launcher at the repository root, as a
 * separate process. Integration tests (run by Maven's failsafe after {@code package}, so the launcher finds
 * a fresh build and does not rebuild) use it for the server and the admin commands.
 */
final class PosternProcess implements AutoCloseable {
    static final Path ROOT = findRoot();
    static final Path LAUNCHER = ROOT.resolve("postern");

    private final Process process;
    private final Path log;

    private PosternProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code ./postern serve --config CONFIG} without the launcher's startup cache (recording it costs each
     * stop a few seconds; StartupCacheIT tests it); returns once {@code port} accepts connections.
     */
    static PosternProcess serve(Path config, int port) throws Exception {
        return serve(config, port, null);
    }

    /**
     * As {@link #serve(Path, int)}, with the startup cache in {@code startupCache} (never the build's own
     * app/target/postern.aot: what a test's short run records would be the profile real servers start from).
     */
    static PosternProcess serve(Path config, int port, Path startupCache) throws Exception {
        Path log = config.resolveSibling("server-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        if (startupCache == null) pb.environment().put("POSTERN_AOT", "off");
        else pb.environment().put("POSTERN_AOT_CACHE", startupCache.toString());
        Process p = pb.start();
        PosternProcess server = new PosternProcess(p, log);
        if (awaitPort(port, Duration.ofSeconds(90), p::isAlive)) return server;
        if (!p.isAlive()) throw new AssertionError("server exited with " + p.exitValue() + ":\n" + server.output());
        server.kill();
        throw new AssertionError("server did not listen on " + port + " within 90 s:\n" + server.output());
    }

    /**
     * Waits until 127.0.0.1:{@code port} accepts a connection: true then; false once {@code within} has passed or
     * as soon as {@code alive} says the process that should listen there has ended.
     */
    static boolean awaitPort(int port, Duration within, BooleanSupplier alive) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (alive.getAsBoolean()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) return false;
                Thread.sleep(100);
            }
        }
        return false;
    }

    /** Runs an admin command to completion; {@code stdin} is fed to it (passwords). */
    static Result run(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(LAUNCHER.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), out);
    }

    record Result(int exit, String output) {
        Result ok() {
            if (exit != 0) throw new AssertionError("exit " + exit + ": " + output);
            return this;
        }
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush — what a power cut or the OOM killer does. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Ctrl-C: a clean stop. Returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("server did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A config with the given listeners; every other listener kind is off. */
    static Path writeConfig(Path dir, String hostname, String listeners) throws IOException {
        Path config = dir.resolve("postern.toml");
        Files.writeString(config, """
                hostname = "%s"
                data_dir = "data"

                [listeners]
                %s
                """.formatted(hostname, listeners));
        return config;
    }

    private static Path findRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("postern")) && Files.isExecutable(p.resolve("postern")))) p = p.getParent();
        if (p == null) throw new IllegalStateException("launcher ./postern not found above " + Path.of("").toAbsolutePath());
        return p;
    }
}
