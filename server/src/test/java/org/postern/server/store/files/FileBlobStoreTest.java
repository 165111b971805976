package org.postern.server.store.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.store.BlobRef;
import org.postern.server.store.BlobStore;

class FileBlobStoreTest {
    @TempDir
    Path dir;
    FileBlobStore blobs;

    @BeforeEach
    void open() throws IOException {
        blobs = FileBlobStore.open(dir);
    }

    private static InputStream bytes(int n) {
        return new ByteArrayInputStream(new byte[n]);
    }

    private long files(String under) throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("blobs"))) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getParent().getFileName().toString().equals("tmp") == under.equals("tmp"))
                    .count();
        }
    }

    private String read(BlobRef ref) throws IOException {
        try (InputStream in = blobs.open(ref)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void putStoresTheBytesUnderADirectoryNamedByTheIdsFirstTwoCharacters() throws IOException {
        BlobStore.Stored stored = blobs.put(new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)), 100);

        String id = stored.ref().id();
        assertThat(id).matches("[0-9a-f]{" + FileBlobStore.ID_BYTES * 2 + "}");
        assertThat(dir.resolve("blobs").resolve(id.substring(0, 2)).resolve(id)).isRegularFile();
        assertThat(stored.size()).isEqualTo(5);
        assertThat(blobs.size(stored.ref())).isEqualTo(5);
        assertThat(read(stored.ref())).isEqualTo("hello");
        assertThat(files("tmp")).isZero();
    }

    @Test
    void idsAreDistinct() throws IOException {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) ids.add(blobs.put(bytes(1), 1).ref().id());
        assertThat(ids).hasSize(200);
    }

    @Test
    void putAcceptsExactlyMaxBytes() throws IOException {
        assertThat(blobs.put(bytes(1000), 1000).size()).isEqualTo(1000);
    }

    @Test
    void putPastMaxBytesThrowsAndLeavesNoFileBehind() {
        assertThatThrownBy(() -> blobs.put(bytes(1001), 1000)).isInstanceOf(BlobStore.TooLargeException.class);
        assertThatThrownBy(() -> blobs.put(bytes(200_000), 1000)).isInstanceOf(BlobStore.TooLargeException.class);
        assertThat(dir.resolve("blobs").resolve("tmp")).isEmptyDirectory();
        try (Stream<Path> s = Files.walk(dir.resolve("blobs"))) {
            assertThat(s.filter(Files::isRegularFile)).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPendingBlobIsInTmpUntilCommittedAndGoneIfClosedWithout() throws IOException {
        BlobStore.Stored stored;
        try (BlobStore.Pending p = blobs.begin()) {
            OutputStream out = p.out();
            out.write("part one, ".getBytes(StandardCharsets.UTF_8));
            out.write("part two".getBytes(StandardCharsets.UTF_8));
            out.close();   // closing the stream does not lose the blob
            assertThat(files("tmp")).isEqualTo(1);
            stored = p.commit();
        }
        assertThat(read(stored.ref())).isEqualTo("part one, part two");
        assertThat(stored.size()).isEqualTo(18);

        try (BlobStore.Pending p = blobs.begin()) {
            p.out().write(1);
        }
        assertThat(files("tmp")).isZero();
        assertThat(files("blobs")).isEqualTo(1);
    }

    @Test
    void deleteRemovesTheBlobAndDeletingAMissingBlobIsFine() throws IOException {
        BlobRef ref = blobs.put(bytes(3), 3).ref();
        blobs.delete(ref);
        blobs.delete(ref);
        assertThat(blobs.exists(ref)).isFalse();
        assertThatThrownBy(() -> blobs.open(ref)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void sweepTempDeletesLeftoversOfACrash() throws IOException {
        Files.writeString(dir.resolve("blobs/tmp/0123456789abcdef"), "half written");
        BlobRef kept = blobs.put(bytes(1), 1).ref();

        assertThat(blobs.sweepTemp(Duration.ofHours(1))).isZero();
        assertThat(blobs.sweepTemp()).isEqualTo(1);
        assertThat(files("tmp")).isZero();
        assertThat(blobs.exists(kept)).isTrue();
    }
}
