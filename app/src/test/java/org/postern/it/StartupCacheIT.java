package org.postern.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's startup cache (the JDK's AOT cache, JEP 483/514/515): the first {@code serve} of a build records
 * it when it stops cleanly, the next one maps it. "Mapped" is read from /proc/PID/maps, which lists the cache file
 * when the JVM uses it.
 */
class StartupCacheIT {
    @Test
    void theFirstServeRecordsTheCacheAndTheNextOneUsesIt(@TempDir Path dir) throws Exception {
        int smtp = PosternProcess.freePort();
        Path config = PosternProcess.writeConfig(dir, "mx.cache.test", "smtp = [\"127.0.0.1:" + smtp + "\"]");
        // POSTERN_AOT_CACHE: this run's profile must not become the one real servers of this build start from
        Path cache = dir.resolve("postern.aot");
        Path buildCache = PosternProcess.ROOT.resolve("app/target/postern.aot");
        boolean hadBuildCache = Files.exists(buildCache);
        long buildCacheModified = hadBuildCache ? Files.getLastModifiedTime(buildCache).toMillis() : 0;

        try (var first = PosternProcess.serve(config, smtp, cache)) {
            assertThat(maps(first.pid())).as("nothing to map yet").doesNotContain("postern.aot");
            first.stop();
        }
        assertThat(cache).as("written when the first server stopped").isRegularFile();
        assertThat(Files.size(cache)).isGreaterThan(1 << 20);

        try (var second = PosternProcess.serve(config, smtp, cache)) {
            assertThat(maps(second.pid())).contains(cache.toString());
            second.stop();
        }
        assertThat(cache).as("kept, not recorded again").isRegularFile();
        assertThat(Files.exists(buildCache)).as("the build's own cache untouched").isEqualTo(hadBuildCache);
        if (hadBuildCache) assertThat(Files.getLastModifiedTime(buildCache).toMillis()).isEqualTo(buildCacheModified);
    }

    @Test
    void theFirstClientSyncRecordsTheClientsCacheOtherClientCommandsDoNot(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("postern-client.aot");
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        assertThat(client(home, cache, "folders").output()).contains("no accounts yet");
        assertThat(cache).as("only a sync records").doesNotExist();

        // a sync that fails (no such account) still runs the client's start-up path, which is what is recorded
        assertThat(client(home, cache, "sync", "nosuch").exit()).isNotZero();
        // assembled in the background after the command ended
        for (int i = 0; i < 600 && !Files.exists(cache); i++) Thread.sleep(100);
        assertThat(cache).as("assembled after the first sync ended").isRegularFile();
        assertThat(Files.size(cache)).isGreaterThan(1 << 20);
        long recorded = Files.getLastModifiedTime(cache).toMillis();

        assertThat(client(home, cache, "sync", "nosuch").exit()).isNotZero();
        Thread.sleep(2000); // time for a background assembly, were one started
        assertThat(Files.getLastModifiedTime(cache).toMillis()).as("used, not recorded again").isEqualTo(recorded);
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no profile or partial cache left behind")
                    .containsExactlyInAnyOrder("home", "postern-client.aot");
        }
    }

    private static PosternProcess.Result client(Path home, Path cache, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PosternProcess.LAUNCHER.toString(), "client"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("POSTERN_CLIENT_HOME", home.toString());
        pb.environment().put("POSTERN_AOT_CACHE", cache.toString());
        pb.environment().remove("POSTERN_AOT");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new PosternProcess.Result(p.exitValue(), out);
    }

    private static String maps(long pid) throws Exception {
        return Files.readString(Path.of("/proc/" + pid + "/maps"));
    }
}
