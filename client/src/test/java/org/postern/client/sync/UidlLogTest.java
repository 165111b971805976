package org.postern.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UidlLogTest {
    @Test
    void aUniqueIdOfSeventyCharactersIsKeptAndSeventyOneIsRefused(@TempDir Path dir) {
        try (UidlLog log = UidlLog.open(dir)) {
            String longest = "u".repeat(UidlLog.MAX_UIDL_CHARS);
            log.record(longest, Instant.EPOCH);
            assertThat(log.seen()).containsKey(longest);
            assertThatThrownBy(() -> log.record(longest + "u", Instant.EPOCH))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 70");
        }
    }

    @Test
    void aUniqueIdWithASpaceOrEmptyIsRefused() {
        assertThatThrownBy(() -> UidlLog.check("a b")).hasMessageContaining("0x20");
        assertThatThrownBy(() -> UidlLog.check("")).hasMessageContaining("1 to 70");
        assertThat(UidlLog.check("!~")).isEqualTo("!~");
    }

    @Test
    void aPop3DbThatCannotBeOpenedIsAStoreProblemNamingTheFile(@TempDir Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectory(dir.resolve(UidlLog.FILE_NAME)); // not a database file
        assertThatThrownBy(() -> UidlLog.open(dir))
                .isInstanceOf(org.postern.client.store.LocalStoreException.class)
                .hasMessageStartingWith("cannot open " + dir.resolve(UidlLog.FILE_NAME) + ": ");
    }

    @Test
    void whatIsRecordedSurvivesReopeningAndKeepOnlyForgetsTheRest(@TempDir Path dir) {
        try (UidlLog log = UidlLog.open(dir)) {
            log.record("a", Instant.ofEpochSecond(10));
            log.record("b", Instant.ofEpochSecond(20));
        }
        try (UidlLog log = UidlLog.open(dir)) {
            assertThat(log.seen()).containsEntry("a", Instant.ofEpochSecond(10)).containsEntry("b", Instant.ofEpochSecond(20));
            log.keepOnly(Set.of("b"));
            assertThat(log.seen()).containsOnlyKeys("b");
        }
    }
}
