package org.postern.server.store;

/** A body blob's id in the {@link BlobStore}: opaque, URL- and file-name-safe. */
public record BlobRef(String id) {
    public BlobRef {
        if (id == null || !id.matches("[A-Za-z0-9_-]{8,64}")) throw new IllegalArgumentException("bad blob id");
    }
}
