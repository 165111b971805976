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

    private static String maps(long pid) throws Exception {
        return Files.readString(Path.of("/proc/" + pid + "/maps"));
    }
}
