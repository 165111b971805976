package org.postern.server.store;

/** A body blob's id in the {@link BlobStore}: opaque, URL- and file-name-safe. */
public record BlobRef(String id) {
    /** Id length bounds: ids are generated (base32 time + random), so anything outside is corruption. */
    static final int MIN_LENGTH = 8, MAX_LENGTH = 64;

    public BlobRef {
        if (!valid(id)) throw new IllegalArgumentException("bad blob id");
    }

    /**
     * {@code [A-Za-z0-9_-]{8,64}}, checked by hand: a BlobRef is made for every message row read, and
     * {@code String.matches} compiled the pattern each time (it showed up in profiles of POP3 RETR).
     */
    public static boolean valid(String id) {
        if (id == null || id.length() < MIN_LENGTH || id.length() > MAX_LENGTH) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            if (!ok) return false;
        }
        return true;
    }
}
