package org.postern.wire.mime;

import java.util.Arrays;

/** A growable byte array, unsynchronized (ByteArrayOutputStream synchronizes every write). */
final class ByteBuf {
    private byte[] bytes;
    private int size;

    ByteBuf(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    void append(byte[] b, int off, int len) {
        ensure(size + len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    void append(int b) {
        if (size == bytes.length) ensure(size + 1);
        bytes[size++] = (byte) b;
    }

    int size() {
        return size;
    }

    /** The backing array; valid bytes are {@code [0, size())}. */
    byte[] array() {
        return bytes;
    }

    void clear() {
        size = 0;
    }

    private void ensure(int capacity) {
        if (capacity > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
    }
}
