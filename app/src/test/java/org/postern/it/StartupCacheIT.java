package org.postern.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's startup cache (the JDK's AOT cache, JEP 483/514/515): the first {@code serve} of a build records
 * it when it stops cleanly, the next one maps it. "Mapped" is read from /proc/PID/maps, which lists the cache file
 * when the JVM uses it.
 */
class StartupCacheIT {
    private static final Path CACHE = PosternProcess.ROOT.resolve("app/target/postern.aot");

    @Test
    void theFirstServeRecordsTheCacheAndTheNextOneUsesIt(@TempDir Path dir) throws Exception {
        int smtp = PosternProcess.freePort();
        Path config = PosternProcess.writeConfig(dir, "mx.cache.test", "smtp = [\"127.0.0.1:" + smtp + "\"]");
        Files.deleteIfExists(CACHE);

        try (var first = PosternProcess.serve(config, smtp, true)) {
            assertThat(maps(first.pid())).as("nothing to map yet").doesNotContain("postern.aot");
            first.stop();
        }
        assertThat(CACHE).as("written when the first server stopped").isRegularFile();
        assertThat(Files.size(CACHE)).isGreaterThan(1 << 20);

        try (var second = PosternProcess.serve(config, smtp, true)) {
            assertThat(maps(second.pid())).contains(CACHE.toString());
            second.stop();
        }
        assertThat(CACHE).as("kept, not recorded again").isRegularFile();
    }

    private static String maps(long pid) throws Exception {
        return Files.readString(Path.of("/proc/" + pid + "/maps"));
    }
}
