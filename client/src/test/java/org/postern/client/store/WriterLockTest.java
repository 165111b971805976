package org.postern.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The account's writer lock between real processes (a second JVM running {@link LockHolder}). */
class WriterLockTest {
    @TempDir
    Path dir;

    private static Process holder(Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), LockHolder.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String firstLine(Process p) throws IOException {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    @Test
    void anotherProcessHoldingTheAccountIsNamedByItsPid() throws Exception {
        Process p = holder(dir);
        try {
            assertThat(firstLine(p)).isEqualTo("open " + p.pid());
            assertThatThrownBy(() -> LocalStore.open(dir)).isInstanceOf(StoreLockedException.class)
                    .hasMessage("another postern client is syncing this account (pid " + p.pid()
                            + "); try again when it is done");
        } finally {
            p.getOutputStream().close();
            p.waitFor();
        }
        try (LocalStore store = LocalStore.open(dir)) {
            assertThat(store.directory()).isEqualTo(dir);
        }
    }

    @Test
    void aFailedSecondOpenInThisProcessDoesNotFreeTheFirstOnesLock() throws Exception {
        try (LocalStore store = LocalStore.open(dir)) {
            assertThatThrownBy(() -> LocalStore.open(dir)).isInstanceOf(StoreLockedException.class);
            Process p = holder(dir);
            String line = firstLine(p);
            p.getOutputStream().close();
            p.waitFor();
            assertThat(line).isEqualTo("locked: another postern client is syncing this account (pid "
                    + ProcessHandle.current().pid() + "); try again when it is done");
            assertThat(store.folders()).isEmpty();
        }
    }
}
